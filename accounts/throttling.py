"""Limits on guessing: failed sign-ins per account and per client address, and password reset
requests per email address and per client address.

They count in the shared "throttle" cache (microblog.ratelimit), so every worker process
sees the same counts. An account is identified by the name typed, whether or not such a user
exists, so a lock-out says nothing about which accounts exist. Limits are read from settings
when used.
"""

import logging

from django.conf import settings

from microblog.ratelimit import RateLimit, client_address

from .usernames import lookup_key

logger = logging.getLogger(__name__)


def _sign_in_limits():
    window = settings.SIGN_IN_LOCKOUT_SECONDS
    return (
        (RateLimit("sign-in-account", settings.SIGN_IN_FAILURES_PER_ACCOUNT, window), "account"),
        (RateLimit("sign-in-address", settings.SIGN_IN_FAILURES_PER_ADDRESS, window), "address"),
    )


def _sign_in_idents(request, username):
    return {"account": lookup_key(str(username or "")), "address": client_address(request)}


def sign_in_wait(request, username):
    """Seconds before `username` may try to sign in from this request's address (0: now)."""
    idents = _sign_in_idents(request, username)
    return max(limit.seconds_left(idents[kind]) for limit, kind in _sign_in_limits())


def record_failed_sign_in(request, username):
    """Count a failed sign-in; attempts made during a lock-out do not lengthen it."""
    if sign_in_wait(request, username):
        return
    idents = _sign_in_idents(request, username)
    for limit, kind in _sign_in_limits():
        limit.hit(idents[kind])
        if limit.exceeded(idents[kind]):
            logger.warning("Sign-in locked for a while: too many failures per %s", kind)


def password_reset_allowed(request, email):
    """Count a password reset request; False when this address or client asked too often."""
    window = settings.PASSWORD_RESET_LIMIT_SECONDS
    limits = (
        (RateLimit("reset-email", settings.PASSWORD_RESET_PER_EMAIL, window), email.casefold()),
        (
            RateLimit("reset-address", settings.PASSWORD_RESET_PER_ADDRESS, window),
            client_address(request),
        ),
    )
    if any(limit.exceeded(ident) for limit, ident in limits):
        logger.warning("Password reset request dropped: too many requests")
        return False
    for limit, ident in limits:
        limit.hit(ident)
    return True
