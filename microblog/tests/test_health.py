"""GET /healthz: 200 when every configured service answers, 503 naming what is down.

"Down" is real: the services are pointed at a port where nothing listens (or, for SQLite, at
a file that cannot be opened)."""

import os
import socket

import pytest
from django.db.utils import ConnectionHandler
from django.test import override_settings

from microblog import health

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released on close: nothing listens there


def redis_at(url):
    return {
        "REDIS_URL": url,
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        },
        "RQ_QUEUES": {"default": {"URL": url, "DEFAULT_TIMEOUT": 600}},
    }


def test_healthy_embedded_site_answers_200_with_the_database_only(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_no_sign_in_needed_and_only_get(client):
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post("/healthz").status_code == 405


def test_database_down_answers_503_naming_it(client, settings, monkeypatch, tmp_path, caplog):
    settings.REDIS_URL = ""
    broken = dict(settings.DATABASES["default"])
    if broken["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        broken.update(HOST="127.0.0.1", PORT=str(closed_port()))
    monkeypatch.setattr(health, "connections", ConnectionHandler({"default": broken}))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "down"},
        "down": ["database"],
    }
    assert "Health check failed: database is down" in caplog.text


def test_cache_and_queue_down_answer_503_naming_them(client):
    with override_settings(**redis_at(f"redis://127.0.0.1:{closed_port()}/0")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "down", "queue": "down"},
        "down": ["cache", "queue"],
    }


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_with_redis_configured_cache_and_queue_are_probed_too(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }


def test_probe_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/explore").status_code == 301


def test_configured_checks_follow_redis_url(settings):
    settings.REDIS_URL = ""
    assert list(health.checks()) == ["database"]
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert list(health.checks()) == ["database", "cache", "queue"]


def test_a_failing_probe_is_logged_but_not_emailed(client, mailoutbox, caplog):
    closed = redis_at(f"redis://127.0.0.1:{closed_port()}/0")
    with override_settings(ADMINS=[("Admin", "admin@example.com")], **closed):
        assert client.get("/healthz").status_code == 503
    assert "Health check failed: queue is down" in caplog.text
    assert mailoutbox == []
