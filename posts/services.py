from django.utils import translation
from django.utils.translation import gettext as _

from messaging.services import start_task

from .jobs import export_posts
from .language import detect_language
from .models import Post

EXPORT_POSTS = "export_posts"


def create_post(author, body):
    """Write a post: the one path for the site, the API and the demo data.

    The language is detected here, once, so lists never have to guess it again.
    """
    body = body.strip()
    return Post.objects.create(author=author, body=body, language=detect_language(body))


def delete_post(post):
    post.delete()


def start_export(*, user):
    """Start emailing `user` all their posts; TaskAlreadyRunning if an export of theirs runs."""
    return start_task(
        user=user,
        name=EXPORT_POSTS,
        description=_("Exporting posts…"),
        job=export_posts,
        args=(translation.get_language(),),
    )
