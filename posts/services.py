from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from messaging.services import start_task

from .jobs import export_posts
from .language import detect_language
from .media import discard_prepared, prepare_images, save_prepared
from .models import Post

EXPORT_POSTS = "export_posts"


def create_post(author, body, *, images_with_alt=()):
    """Write a post, with [(checked image, alt text), ...] if any: the one path for the site,
    the API and the demo data.

    The language is detected here, once, so lists never have to guess it again; it is
    detected, and the images' files stored, before the transaction opens, so the write lock
    (SQLite's BEGIN IMMEDIATE) is held for the inserts and their signal handlers only. The
    post and its images are written together or not at all.
    """
    body = body.strip()
    language = detect_language(body)
    prepared = prepare_images(owner=author, images_with_alt=images_with_alt)
    try:
        with transaction.atomic():
            post = Post.objects.create(author=author, body=body, language=language)
            save_prepared(prepared=prepared, post=post)
    except Exception:
        discard_prepared(prepared)
        raise
    return post


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
