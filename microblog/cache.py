"""Caches that fail open: with Redis unreachable, a read misses and a write is dropped.

Every use of the cache here is an optimisation or a counter (rendered posts, search pages,
translations, throttles), so a Redis outage must cost speed, not answers: each public method
of Django's RedisCache is wrapped, and a Redis error is logged as a warning instead of raised.
/healthz still reports the cache as down (microblog.health), so the outage is seen.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_open(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("Cache unavailable (%s failed open): %s", method.__name__, error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


def _get_default(key, default=None, *args, **kwargs):
    return default


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache; when Redis cannot be reached, it behaves as an empty cache."""

    add = _fail_open(False)(RedisCache.add)
    get = _fail_open(_get_default)(RedisCache.get)
    set = _fail_open(None)(RedisCache.set)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    get_many = _fail_open(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    set_many = _fail_open(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    clear = _fail_open(False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            logger.warning("Cache unavailable (incr failed open): %s", error)
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from error
