"""Users with everything the API shows about them counted in the same query.

Here rather than in social/ because the post count reads posts (social never imports posts).
"""

from django.contrib.auth import get_user_model

from social.querysets import count_per_user, with_follow_counts

from .models import Post


def users_with_counts(users=None):
    """Active users with post_count, follower_count and followed_count (active people only)."""
    if users is None:
        users = get_user_model().objects.all()
    return with_follow_counts(users.filter(is_active=True)).annotate(
        post_count=count_per_user(Post.objects.all(), "author")
    )
