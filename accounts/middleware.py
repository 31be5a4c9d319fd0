from rest_framework.views import APIView


def _is_api_view(view_func):
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class LastSeenMiddleware:
    """Keep `last_seen` current for signed-in users (one write per user per minute at most).

    It runs just before the view, and leaves the API's views (Django REST framework) to their
    authentication classes, which touch `last_seen` for whoever they authenticate
    (api.authentication): an API request with a Bearer token then does not also load the
    session's user (two queries) for nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_api_view(view_func):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.touch_last_seen()
        return None
