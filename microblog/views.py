"""The site's error pages: HTML in the site's layout, or JSON for clients that prefer it."""

from http import HTTPStatus

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
