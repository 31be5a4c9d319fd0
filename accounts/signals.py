"""Signals of the accounts app, and its receivers of Django's own.

`password_changed` is sent (with `user`) once a user's new password has been saved, by any
path: the password reset, a password change, the admin, `changepassword`. Other apps react
to it (the API revokes the user's tokens) without accounts knowing them.
"""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import Signal, receiver

from .throttling import record_failed_sign_in

password_changed = Signal()


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_sign_in")
def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failed_sign_in(request, credentials.get("username"))
