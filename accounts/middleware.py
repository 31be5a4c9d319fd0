class LastSeenMiddleware:
    """Keep `last_seen` current for signed-in users (one write per user per minute at most)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.touch_last_seen()
        return self.get_response(request)
