def last_seen_exempt(view):
    """Mark a view that keeps `last_seen` current itself (as `csrf_exempt` marks a view).

    The API marks its views: its authentication classes touch `last_seen` for whoever they
    authenticate, so a request with a Bearer token does not also load the session's user (two
    queries) for nothing.
    """
    view.last_seen_exempt = True
    return view


class LastSeenMiddleware:
    """Keep `last_seen` current for signed-in users (one write per user per minute at most).

    It runs just before the view, and leaves alone the views marked `last_seen_exempt`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "last_seen_exempt", False):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.touch_last_seen()
        return None
