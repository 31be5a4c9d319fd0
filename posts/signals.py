"""A post image's files go with its row, whatever deleted it (a post, its author, the admin)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Media


@receiver(post_delete, sender=Media, dispatch_uid="posts.media_files")
def delete_media_files(sender, instance, using, **kwargs):
    names = instance.file_names
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names], using=using)
