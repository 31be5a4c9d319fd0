"""Remove uploaded files that no row names, and uploads never attached to a post."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from posts.models import Media

FOLDERS = ("media", "avatars")


def stored_names(folder):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from stored_names(f"{folder}/{child}")


class Command(BaseCommand):
    help = (
        "Delete stored post images and avatars that no row names (left by a crash or a "
        "rolled-back request), and uploads never attached to a post."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="Only files older than this many minutes (an upload may not be committed yet).",
        )
        parser.add_argument(
            "--unattached-hours",
            type=int,
            default=24,
            help="Delete uploads (POST /api/media) not attached to a post after this many hours.",
        )

    def handle(self, *args, min_age, unattached_hours, **options):
        now = timezone.now()
        stale = Media.objects.filter(
            post__isnull=True, created__lt=now - timedelta(hours=unattached_hours)
        )
        unattached = 0
        with transaction.atomic():
            for media in stale:
                media.delete()  # its files go once committed (posts.signals)
                unattached += 1
        known = set()
        for file, thumbnail in Media.objects.values_list("file", "thumbnail"):
            known.update((file, thumbnail))
        for source, sizes in (
            get_user_model()
            .objects.exclude(avatar_file="")
            .values_list("avatar_file", "avatar_sizes")
        ):
            known.add(source)
            known.update(sizes.values())
        cutoff = now - timedelta(minutes=min_age)
        removed = 0
        for folder in FOLDERS:
            for name in list(stored_names(folder)):
                if name in known or default_storage.get_modified_time(name) > cutoff:
                    continue
                default_storage.delete(name)
                removed += 1
        self.stdout.write(
            f"{removed} orphaned files removed; {unattached} unattached uploads deleted."
        )
