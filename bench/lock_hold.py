"""How long one POST / holds SQLite's write lock: BEGIN IMMEDIATE to the end of the post's
INSERT (the COMMIT follows), in one process without HTTP, for docs/benchmarks.md.

A script, not a module to import: run it on a copy of the benchmark's dataset,

    cp var/bench/bench.sqlite3 /tmp/copy.sqlite3
    DATABASE_URL=sqlite:////tmp/copy.sqlite3 SEARCH_URL=whoosh:///tmp/copy_index DEBUG=false \
      SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
      ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=false SECURE_COOKIES=false \
      SECURE_HSTS_SECONDS=0 .venv/bin/python manage.py shell < bench/lock_hold.py
"""

import statistics
import time

from django.db import connection
from django.test import Client

import microblog.wsgi  # noqa: F401  (starts up as a web process does)
from accounts.models import User

began = []
held = []


def wrapper(execute, sql, params, many, context):
    if sql.startswith("BEGIN"):
        began.append(time.perf_counter())
    result = execute(sql, params, many, context)
    if sql.startswith('INSERT INTO "posts_post"'):
        held.append(time.perf_counter() - began[-1])
    return result


client = Client()
client.force_login(User.objects.get(username="user000020"))
request_times = []
with connection.execute_wrapper(wrapper):
    for i in range(201):
        t = time.perf_counter()
        body = f"Lock timing post {i}: the quick brown fox jumps over the lazy dog"
        r = client.post("/", {"post": body})
        request_times.append(time.perf_counter() - t)
        assert r.status_code == 302, r.status_code
first, rest = held[0], sorted(held[1:])
print(f"first post: lock held {first * 1000:.1f} ms (request {request_times[0] * 1000:.1f} ms)")
print(
    f"next {len(rest)}: lock held median {statistics.median(rest) * 1000:.2f} ms, "
    f"p95 {rest[int(0.95 * len(rest))] * 1000:.2f} ms; "
    f"request median {statistics.median(request_times[1:]) * 1000:.1f} ms"
)
