"""gunicorn's configuration for Microblog: `gunicorn microblog.wsgi` picks it up from here.

Sync workers: each request holds one worker, so the count is the number of requests served at
once. WEB_CONCURRENCY sets it (the variable Heroku-style platforms set); the default is
2 x cores + 1, capped so that a large machine does not open more database connections than
a default PostgreSQL accepts.
"""

import multiprocessing
import os


def _positive_int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"gunicorn.conf.py: {name} must be a whole number above 0, not {raw!r}.")
    return value


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_positive_int('PORT', 8000)}"
workers = _positive_int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = _positive_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never takes a worker down. Not too often:
# a new worker imports the site again and starts with empty local caches (rendered posts,
# search results). At 1000 the benchmark's workers were recycled every few seconds, which
# cost the poll a third of its throughput; at 10000 a busy worker lives for minutes.
max_requests = 10_000
max_requests_jitter = 1_000
# Heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
# The proxy in front sets X-Forwarded-*; trust it only from the addresses given.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Catch the search index up with changes a killed process left in the outbox."""
    from django.db import connections

    from posts.search.sync import catch_up

    catch_up()
    connections.close_all()
