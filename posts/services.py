from .models import Post


def create_post(author, body):
    """Write a post: the one path for the site, the API and the demo data."""
    return Post.objects.create(author=author, body=body.strip())


def delete_post(post):
    post.delete()
