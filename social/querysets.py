"""Who follows whom, read as user querysets: the follower and following pages, the profile,
the user popup and the API all read them from here."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Follow


def count_per_user(rows, user_field):
    """COUNT(*) of `rows` whose `user_field` is the outer user, as a correlated subquery."""
    counted = (
        rows.filter(**{user_field: OuterRef("pk")})
        .order_by()
        .values(user_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_follow_counts(users):
    """Annotate `follower_count` and `followed_count`, counting active people only."""
    return users.annotate(
        follower_count=count_per_user(Follow.objects.filter(follower__is_active=True), "followed"),
        followed_count=count_per_user(Follow.objects.filter(followed__is_active=True), "follower"),
    )


def with_viewer_follows(users, viewer):
    """Annotate `viewer_follows`: whether `viewer` follows each user (False for anonymous)."""
    follows = Follow.objects.filter(follower_id=viewer.pk, followed=OuterRef("pk"))
    return users.annotate(viewer_follows=Exists(follows) if viewer.pk else Value(False))


def people_seen_by(viewer):
    """Active users with their follow counts and `viewer_follows`, for a profile or popup."""
    active = get_user_model().objects.filter(is_active=True)
    return with_viewer_follows(with_follow_counts(active), viewer)


def followers_of(user):
    """The active users who follow `user`, most recent follow first."""
    return (
        get_user_model()
        .objects.filter(is_active=True, following_links__followed=user)
        .order_by("-following_links__created", "-following_links__id")
    )


def followed_by(user):
    """The active users `user` follows, most recent follow first."""
    return (
        get_user_model()
        .objects.filter(is_active=True, follower_links__follower=user)
        .order_by("-follower_links__created", "-follower_links__id")
    )
