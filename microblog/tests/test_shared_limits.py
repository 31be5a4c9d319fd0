"""Rate limits count across every gunicorn worker, on the embedded defaults (the database
cache) and with Redis: each request below opens a new connection, so the four workers share
the requests between them, and a count kept per worker would let about four times as many by.
"""

import base64

import pytest
import requests

from . import live


def basic(username, password):
    return {
        "Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    }


@pytest.fixture(params=["database cache", "redis"])
def site(request, tmp_path, migrated_sqlite):
    extra = {}
    redis_server = None
    if request.param == "redis":
        redis_server = live.RedisServer(tmp_path).start()
        extra["REDIS_URL"] = redis_server.url
    env = live.new_site(tmp_path, migrated_sqlite, **extra)
    live.sign_in(env, ["susan"], password="correct-horse-battery")
    server = live.start(env, tmp_path, workers=4)
    yield server
    server.stop()
    if redis_server is not None:
        redis_server.stop()


def test_limits_are_counted_across_workers(site):
    statuses = [
        requests.post(site.url + "/api/tokens", headers=basic(f"guess{n}", "x")).status_code
        for n in range(14)
    ]
    assert statuses == [401] * 10 + [429] * 4  # API_THROTTLE_CREDENTIALS: 10/minute

    def sign_in(password):
        return live.browser().post(
            site.url + "/auth/login",
            data=live.form(username="susan", password=password),
            allow_redirects=False,
        )

    locked = ["Too many failed sign-in attempts" in sign_in("wrong").text for _ in range(5)]
    assert locked == [False] * 4 + [True]  # SIGN_IN_FAILURES_PER_ACCOUNT: 5
    response = sign_in("correct-horse-battery")
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.text
