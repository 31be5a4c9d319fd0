"""The user rows the API shows, with their counts annotated in the same query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from posts.models import Post
from social.models import Follow


def _count(queryset, outer_field):
    """COUNT(*) of `queryset` rows whose `outer_field` is the outer user, as a subquery."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def users_with_counts(queryset=None):
    """Active users with post_count, follower_count and followed_count (active people only)."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.filter(is_active=True).annotate(
        post_count=_count(Post.objects.all(), "author"),
        follower_count=_count(Follow.objects.filter(follower__is_active=True), "followed"),
        followed_count=_count(Follow.objects.filter(followed__is_active=True), "follower"),
    )
