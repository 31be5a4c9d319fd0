"""Signals of the accounts app, and its receivers of Django's own.

`password_changed` is sent (with `user`) once a user's new password has been saved, by any
path: the password reset, a password change, the admin, `changepassword`. Other apps react
to it (the API revokes the user's tokens) without accounts knowing them.

A deleted user's avatar files go with the account.
"""

from django.contrib.auth.signals import user_login_failed
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from .throttling import record_failed_sign_in

password_changed = Signal()


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_sign_in")
def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failed_sign_in(request, credentials.get("username"))


# The sender by label: accounts.models imports this module for password_changed.
@receiver(post_delete, sender="accounts.User", dispatch_uid="accounts.avatar_files")
def delete_avatar_files(sender, instance, using, **kwargs):
    names = [name for name in (instance.avatar_file.name, *instance.avatar_sizes.values()) if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names], using=using)
