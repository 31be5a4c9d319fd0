from django.db import transaction

from .language import detect_language
from .models import Post


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
