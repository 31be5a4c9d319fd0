"""What GET /healthz probes: the database always; the cache and the queue when Redis is on.

Each check returns None when the service answers, or a short reason when it does not; the
reason goes to the log, not to the (unauthenticated) client.
"""

import logging

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connections

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2
CACHE_KEY = "healthz"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches["default"]
    cache.set(CACHE_KEY, "ok", timeout=10)
    if cache.get(CACHE_KEY) != "ok":
        raise RuntimeError("the cache did not return what was just stored")


def check_queue():
    url = settings.RQ_QUEUES["default"]["URL"]
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def checks():
    """The checks that apply to this configuration, by the name the probe reports."""
    found = {"database": check_database}
    if settings.REDIS_URL:
        found["cache"] = check_cache
        found["queue"] = check_queue
    return found


def run_checks():
    """{name: "ok" | "down"} for every configured service."""
    results = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:
            logger.warning("Health check failed: %s is down", name, exc_info=True)
            results[name] = "down"
        else:
            results[name] = "ok"
    return results
