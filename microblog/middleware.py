import base64

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBadRequest

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def own_transactions(view):
    """Mark a view whose writes all go through services that open their own transactions.

    AtomicWritesMiddleware then leaves it alone: the work before a write (validation, language
    detection) and after it (messages, the redirect) holds no transaction, and with it no
    SQLite write lock, while other requests wait to write. A view marked so must write
    nothing outside those services.
    """
    view.own_transactions = True
    return view


class AtomicWritesMiddleware:
    """Run each state-changing request in one transaction, rolled back if the view raises.

    This is ATOMIC_REQUESTS for writes only: with SQLite's immediate transactions, wrapping
    reads too would make every page view queue for the single write lock. Views marked with
    `own_transactions` are left to the transactions of the services they call.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "own_transactions", False):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)


class RejectNulMiddleware:
    """A NUL character in the path, the query string, a form field or the credentials is
    refused with a 400 before any view runs: no name, id or password has one, and PostgreSQL
    cannot even compare a string that contains it (a 500 there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return HttpResponseBadRequest("Bad request: NUL character.", content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path_info:
            return True
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return "\x00" in _credentials(request.META.get("HTTP_AUTHORIZATION", ""))


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _credentials(header):
    """The Authorization header, with HTTP Basic's base64 decoded."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return header
    try:
        return base64.b64decode(value.strip(), validate=True).decode("latin-1")
    except ValueError:
        return header


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (SECURITY_HEADERS, on
    when DEBUG is off). Scripts only from the site itself, never inline: the site's JavaScript,
    the admin's, Swagger UI's and ReDoc's are all files (a browser test checks each page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SECURITY_HEADERS:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
