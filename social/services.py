from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Follow


class FollowError(ValueError):
    """A follow that the rules refuse; the message is meant for the user."""


def follow(user, target):
    """Make `user` follow `target`. Following twice is harmless; following oneself is not."""
    if user.pk == target.pk:
        raise FollowError(_("You cannot follow yourself!"))
    try:
        with transaction.atomic():
            _link, created = Follow.objects.get_or_create(follower=user, followed=target)
    except IntegrityError:  # a concurrent request created it first
        created = False
    return created


def unfollow(user, target):
    if user.pk == target.pk:
        raise FollowError(_("You cannot unfollow yourself!"))
    deleted, _details = Follow.objects.filter(follower=user, followed=target).delete()
    return bool(deleted)
