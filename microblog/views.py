"""The site's error pages (HTML in the site's layout, or JSON for clients that prefer it),
and the health probe."""

from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from . import health


def prefers_json(request):
    accepted = request.get_preferred_type(["text/html", "application/json"])
    return accepted == "application/json"


def _error(request, status, message):
    if prefers_json(request):
        return JsonResponse({"error": HTTPStatus(status).phrase, "message": message}, status=status)
    return render(request, f"errors/{status}.html", {"title": message}, status=status)


def page_not_found(request, exception=None):
    return _error(request, 404, _("File Not Found"))


def server_error(request):
    return _error(request, 500, _("An unexpected error has occurred"))


@never_cache
@require_GET
def healthz(request):
    """200 when every configured service answers, 503 naming the ones that do not."""
    results = health.run_checks()
    down = [name for name, state in results.items() if state != "ok"]
    body = {"status": "unavailable" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


def media(request, path):
    """An uploaded file from MEDIA_ROOT (see MEDIA_SERVE): Django's static file view.

    Stored names are random and never reused (a new avatar is a new name): cached for a year.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=365 * 24 * 60 * 60, immutable=True)
    return response
