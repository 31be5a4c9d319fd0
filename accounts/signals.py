"""A deleted user's avatar files go with the account."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import User


@receiver(post_delete, sender=User, dispatch_uid="accounts.avatar_files")
def delete_avatar_files(sender, instance, using, **kwargs):
    names = [name for name in (instance.avatar_file.name, *instance.avatar_sizes.values()) if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names], using=using)
