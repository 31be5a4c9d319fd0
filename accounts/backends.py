"""The first authentication backend: it refuses, before any password is checked, a sign-in
that is locked out (accounts.throttling) or whose credentials cannot be a real account's
(too long, or with a NUL character, which PostgreSQL cannot even compare).

It has no get_user: it never signs anyone in itself, so sessions name the ModelBackend that
follows it. Django's authenticate() stops at its PermissionDenied and reports a failed sign-in
(user_login_failed), as for a wrong password.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from .throttling import sign_in_wait

PASSWORD_MAX_LENGTH = 4096


def credentials_are_plausible(username, password):
    max_length = get_user_model()._meta.get_field("username").max_length
    return (
        isinstance(username, str)
        and len(username) <= max_length
        and "\x00" not in username
        and (password is None or (len(password) <= PASSWORD_MAX_LENGTH and "\x00" not in password))
    )


class SignInThrottleBackend:
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None:
            return None
        if not credentials_are_plausible(username, password):
            raise PermissionDenied
        if request is not None and sign_in_wait(request, username):
            raise PermissionDenied
        return None
