"""Rate limits, read from settings at request time (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

They count in the "throttle" cache, which every process shares (Redis, or the database), so a
limit holds across all gunicorn workers rather than per worker.
"""

from django.core.cache import caches
from rest_framework import throttling
from rest_framework.settings import api_settings

THROTTLE_CACHE = "throttle"


class SharedCountsMixin:
    @property
    def cache(self):
        return caches[THROTTLE_CACHE]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(SharedCountsMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(SharedCountsMixin, throttling.UserRateThrottle):
    pass


class CredentialsThrottle(SharedCountsMixin, throttling.SimpleRateThrottle):
    """Password attempts per client address, counted before the password is checked.

    DRF checks throttles after authentication, so a wrong password would otherwise never
    be counted; the token view runs this one first.
    """

    scope = "credentials"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
