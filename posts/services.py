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

    The language is detected here, once, so lists never have to guess it again. The post
    and its note for the search index (posts.search.sync) commit together.
    """
    body = body.strip()
    language = detect_language(body)
    with transaction.atomic():
        return Post.objects.create(author=author, body=body, language=language)


def delete_post(post):
    post.delete()  # one transaction with its note for the search index (and any cascade)


def start_export(*, user):
    """Start emailing `user` all their posts; TaskAlreadyRunning if an export of theirs runs."""
    return start_task(
        user=user,
        name=EXPORT_POSTS,
        description=_("Exporting posts…"),
        job=export_posts,
        args=(translation.get_language(),),
    )
