import sys

from django.core.signals import got_request_exception
from django.db import connection


class QueryCountMiddleware:
    """Report each response's database work in headers.

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
