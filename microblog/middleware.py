from django.db import transaction

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
