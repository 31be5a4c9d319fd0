"""Users with their counts (and whether the viewer follows them) annotated in the same query.

The API's user rows, the profile page and the user popup read their counts from here."""

from functools import cache

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
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


def _with_counts(queryset):
    return queryset.filter(is_active=True).annotate(
        post_count=_count(Post.objects.all(), "author"),
        follower_count=_count(Follow.objects.filter(follower__is_active=True), "followed"),
        followed_count=_count(Follow.objects.filter(followed__is_active=True), "follower"),
    )


@cache
def _all_users_with_counts():
    # Resolving the three subqueries costs more CPU than running the query they make, so
    # the unfiltered queryset is built once per process; each use works on a clone (.all()).
    # It is never evaluated itself, and it names no database until a clone runs.
    return _with_counts(User.objects.all())


def users_with_counts(queryset=None):
    """Active users with post_count, follower_count and followed_count (active people only)."""
    if queryset is None:
        return _all_users_with_counts().all()
    return _with_counts(queryset)


def with_viewer_follows(queryset, viewer):
    """Annotate `viewer_follows`: whether `viewer` follows each user (False for anonymous)."""
    follows = Follow.objects.filter(follower_id=viewer.pk, followed=OuterRef("pk"))
    return queryset.annotate(viewer_follows=Exists(follows) if viewer.pk else Value(False))


def people_seen_by(viewer):
    """Active users with their counts and `viewer_follows`, for a profile or popup: one query."""
    return with_viewer_follows(users_with_counts(), viewer)
