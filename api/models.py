"""API tokens: random, short-lived, stored only as a hash.

A token is a public selector (to find the row) followed by a secret; only the secret's
SHA-256 digest is stored, and it is compared in constant time. Each request for a token
issues a fresh one, and deleting the row revokes it.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SELECTOR_LENGTH = 12  # characters of token_urlsafe(9)
SECRET_BYTES = 32


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that have not expired and whose user may still sign in."""
        return self.filter(expires__gt=now or timezone.now(), user__is_active=True)

    def issue(self, user, lifetime=None):
        """A new token for `user`: returns (Token, the token string shown once to the client)."""
        now = timezone.now()
        lifetime = settings.API_TOKEN_LIFETIME if lifetime is None else lifetime
        self.filter(user=user, expires__lte=now).delete()  # tidy up the user's dead tokens
        selector = secrets.token_urlsafe(SELECTOR_LENGTH * 3 // 4)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        token = self.create(
            user=user,
            selector=selector,
            digest=_digest(secret),
            created=now,
            expires=now + timedelta(seconds=lifetime),
        )
        return token, selector + secret

    def authenticate(self, key):
        """The usable Token that `key` stands for, or None."""
        if not isinstance(key, str) or len(key) <= SELECTOR_LENGTH:
            return None
        selector, secret = key[:SELECTOR_LENGTH], key[SELECTOR_LENGTH:]
        # One query, the user with it; the selector is unique, so no ordering is needed.
        found = self.usable().filter(selector=selector).select_related("user")[:1]
        token = next(iter(found), None)
        if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
            return None
        return token


class Token(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    selector = models.CharField(_("selector"), max_length=SELECTOR_LENGTH, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"), db_index=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} {self.selector}…"

    def revoke(self):
        self.delete()
