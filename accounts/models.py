import hashlib
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .avatars import stored_size_for
from .signals import password_changed

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class UniqueIgnoringCase(models.UniqueConstraint):
    """UNIQUE(LOWER(field)), whose violation is reported on that field, as `unique=True`'s is:
    the sign-up and profile forms show it beside the field, the API under the field's name."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            [lowered] = self.expressions
            [field] = lowered.get_source_expressions()
            raise ValidationError({field.name: error.error_list}) from error


class MicroblogUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Sign-in is case-insensitive, like the uniqueness rule."""
        return self.get(username__iexact=username)


class User(AbstractUser):
    email = models.EmailField(_("email address"))
    about_me = models.CharField(_("about me"), max_length=140, blank=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    # The uploaded avatar, a 400 px square; the smaller sizes are made by a job and listed in
    # avatar_sizes ({"36": name, ...}) once they all exist. Database defaults too, so that code
    # still running from before this migration can create users.
    avatar_file = models.FileField(_("avatar"), max_length=255, blank=True, db_default="")
    avatar_sizes = models.JSONField(_("avatar sizes"), default=dict, blank=True, db_default={})

    objects = MicroblogUserManager()

    class Meta:
        constraints = [
            UniqueIgnoringCase(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_code="unique",
                violation_error_message=_("Please use a different username."),
            ),
            UniqueIgnoringCase(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_code="unique",
                violation_error_message=_("Please use a different email address."),
            ),
        ]

    def __str__(self):
        return self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_is_new = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if getattr(self, "password_is_new", False):
            self.password_is_new = False
            password_changed.send(sender=type(self), user=self)

    def get_absolute_url(self):
        return reverse("posts:profile", args=[self.username])

    def avatar(self, size=128):
        """The address of the user's avatar, at least `size` pixels square.

        The uploaded one once its sizes are made; until then (and without one) the Gravatar
        identicon for the user's address, or the local identicon when AVATARS_GRAVATAR is off.
        """
        if self.avatar_sizes:
            return default_storage.url(self.avatar_sizes[str(stored_size_for(size))])
        if not settings.AVATARS_GRAVATAR:
            return reverse("accounts:identicon", args=[self.pk])
        digest = hashlib.md5(self.email.strip().lower().encode("utf-8")).hexdigest()
        return (
            f"https://www.gravatar.com/avatar/{digest}?{urlencode({'d': 'identicon', 's': size})}"
        )

    @property
    def has_uploaded_avatar(self):
        return bool(self.avatar_file)

    def touch_last_seen(self, now=None):
        """Record activity, writing at most once per LAST_SEEN_RESOLUTION."""
        now = now or timezone.now()
        if self.last_seen and now - self.last_seen < LAST_SEEN_RESOLUTION:
            return False
        type(self).objects.filter(pk=self.pk).update(last_seen=now)
        self.last_seen = now
        return True
