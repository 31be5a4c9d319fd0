"""Rate limits, read from settings at request time (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class CurrentRatesMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(CurrentRatesMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(CurrentRatesMixin, throttling.UserRateThrottle):
    pass


class CredentialsThrottle(CurrentRatesMixin, throttling.SimpleRateThrottle):
    """Password attempts per client address, counted before the password is checked.

    DRF checks throttles after authentication, so a wrong password would otherwise never
    be counted; the token view runs this one first.
    """

    scope = "credentials"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
