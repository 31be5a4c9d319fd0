"""Counting attempts per caller in the shared "throttle" cache, for the site's own limits.

The API's throttles are DRF's (api/throttling.py); the sign-in and password reset limits of
the accounts app count here, in the same cache, with the same sliding window as DRF's.
Callers are identified by a digest, so any text (a typed username, an address) makes a valid
cache key that reveals nothing.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

THROTTLE_CACHE = "throttle"


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or the X-Forwarded-For hop that NUM_PROXIES
    trusted proxies name (as DRF's throttles find it)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    if forwarded and proxies:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return remote_addr


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` attempts per `window` seconds for each caller of `scope`."""

    scope: str
    limit: int
    window: int

    def _key(self, ident):
        digest = hashlib.sha256(str(ident).encode("utf-8", "surrogatepass")).hexdigest()
        return f"ratelimit:{self.scope}:{digest}"

    def _recent(self, key, now):
        history = caches[THROTTLE_CACHE].get(key) or []
        return [moment for moment in history if moment > now - self.window]

    def hit(self, ident):
        """Count one attempt by `ident`."""
        now = time.time()
        key = self._key(ident)
        history = [now, *self._recent(key, now)][: self.limit]
        caches[THROTTLE_CACHE].set(key, history, timeout=self.window)

    def exceeded(self, ident):
        """Whether `ident` has made `limit` attempts within the window."""
        return len(self._recent(self._key(ident), time.time())) >= self.limit

    def seconds_left(self, ident):
        """Seconds until `ident` may try again (0 when it may now)."""
        now = time.time()
        history = self._recent(self._key(ident), now)
        if len(history) < self.limit:
            return 0
        return max(0, int(history[-1] + self.window - now) + 1)
