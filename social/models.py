from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """`follower` sees `followed`'s posts in their home timeline."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="following_links",
        verbose_name=_("follower"),
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follower_links",
        verbose_name=_("followed"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="follow_unique"),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followed")), name="follow_not_self"
            ),
        ]
        indexes = [
            # followers of a user, newest first (the followed side's lists and counts)
            models.Index(fields=["followed", "-created"], name="follow_followed_created"),
            models.Index(fields=["follower", "-created"], name="follow_follower_created"),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self):
        return f"{self.follower} → {self.followed}"
