from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from messaging.services import start_task

from .jobs import export_posts
from .language import detect_language
from .models import Post

EXPORT_POSTS = "export_posts"


def create_post(author, body):
    """Write a post: the one path for the site, the API and the demo data.

    The language is detected here, once, so lists never have to guess it again; it is
    detected before the transaction opens, so the write lock (SQLite's BEGIN IMMEDIATE) is
    held for the insert and its signal handlers only, not for the detection (a few ms).
    """
    body = body.strip()
    language = detect_language(body)
    with transaction.atomic():
        return Post.objects.create(author=author, body=body, language=language)


def delete_post(post):
    with transaction.atomic():
        post.delete()  # with its note for the search index (and any cascade)


def start_export(*, user):
    """Start emailing `user` all their posts; TaskAlreadyRunning if an export of theirs runs."""
    return start_task(
        user=user,
        name=EXPORT_POSTS,
        description=_("Exporting posts…"),
        job=export_posts,
        args=(translation.get_language(),),
    )
