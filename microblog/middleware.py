from django.db import transaction

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
