from .language import detect_language
from .models import Post


def create_post(author, body):
    """Write a post: the one path for the site, the API and the demo data.

    The language is detected here, once, so lists never have to guess it again.
    """
    body = body.strip()
    return Post.objects.create(author=author, body=body, language=detect_language(body))


def delete_post(post):
    post.delete()
