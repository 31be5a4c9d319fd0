import base64
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.http import HttpResponseBadRequest

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AtomicWritesMiddleware:
    """Run each state-changing request in one transaction, rolled back if the view raises.

    This is ATOMIC_REQUESTS for writes only: with SQLite's immediate transactions, wrapping
    reads too would make every page view queue for the single write lock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)


class QueryCountMiddleware:
    """Benchmark mode only (BENCHMARK=true): report each response's database work in headers.

    `X-DB-Queries` counts the queries run for the request (through `execute_wrapper`, so
    DEBUG's query log is not needed); `X-Exception` names an unhandled exception, so the load
    tool can tell "database is locked" from other errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(self.remember_exception, weak=False)

    @staticmethod
    def remember_exception(sender, request=None, **kwargs):
        if request is not None:
            request._unhandled_exception = sys.exc_info()[1]

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-DB-Queries"] = str(count)
        exception = getattr(request, "_unhandled_exception", None)
        if exception is not None:
            text = " ".join(f"{type(exception).__name__}: {exception}".split())
            response["X-Exception"] = text.encode("ascii", "replace").decode()[:200]
        return response


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
