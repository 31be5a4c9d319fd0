"""Redis down, every endpoint still answers: caches fail open (a miss, a dropped write, a
logged warning), throttles count nothing for the while, /healthz says 503 naming the cache and
the queue. Runs on a redis-server of the test's own, which it stops."""

import base64

import pytest

from . import live

PASSWORD = "correct-horse-battery"


@pytest.fixture
def outage(tmp_path, migrated_sqlite):
    redis_server = live.RedisServer(tmp_path).start()
    env = live.new_site(
        tmp_path,
        migrated_sqlite,
        REDIS_URL=redis_server.url,
        EMAIL_URL=f"filemail:///{tmp_path}/mail",  # django-environ drops one slash
    )
    users = live.sign_in(env, ["susan", "john"], password=PASSWORD)
    live.run_shell(
        env,
        "from accounts.models import User; from posts.models import Post; "
        "Post.objects.create(author=User.objects.get(username='john'), body='hello redis')",
    )
    server = live.start(env, tmp_path, workers=2)
    yield server, users, redis_server
    server.stop()
    redis_server.stop()


def test_with_redis_down_no_endpoint_fails(tmp_path, outage):
    server, users, redis_server = outage
    site = live.browser(users["susan"]["session"])
    anonymous = live.browser()
    api = {"Authorization": f"Bearer {users['susan']['token']}"}
    john = users["john"]["id"]
    basic = "Basic " + base64.b64encode(f"susan:{PASSWORD}".encode()).decode()
    # Warm the caches first, so that the outage also hits entries Redis held.
    assert site.get(server.url + "/search?q=hello").status_code == 200

    redis_server.stop()
    answers = {
        "home": site.get(server.url + "/"),
        "explore": site.get(server.url + "/explore"),
        "profile": site.get(server.url + "/user/john"),
        "popup": site.get(server.url + "/user/john/popup"),
        "followers": site.get(server.url + "/user/john/followers"),
        "following": site.get(server.url + "/user/john/following"),
        "follow": site.post(server.url + "/follow/john", data=live.form()),
        "post": site.post(server.url + "/", data=live.form(post="written while Redis is down")),
        "messages": site.get(server.url + "/messages"),
        "notifications": site.get(server.url + "/notifications?since=0"),
        "search": site.get(server.url + "/search?q=hello"),
        "new search": site.get(server.url + "/search?q=redis"),
        "login page": anonymous.get(server.url + "/auth/login"),
        "failed login": anonymous.post(
            server.url + "/auth/login", data=live.form(username="john", password="wrong")
        ),
        "reset": anonymous.post(
            server.url + "/auth/reset_password_request", data=live.form(email="john@example.com")
        ),
        "api users": anonymous.get(server.url + "/api/users", headers=api),
        "api user": anonymous.get(server.url + f"/api/users/{john}", headers=api),
        "api timeline": anonymous.get(server.url + "/api/timeline", headers=api),
        "api post": anonymous.post(
            server.url + "/api/posts", json={"body": "API while Redis is down"}, headers=api
        ),
        "api token": anonymous.post(server.url + "/api/tokens", headers={"Authorization": basic}),
        "api register": anonymous.post(
            server.url + "/api/users",
            json={
                "username": "newbie",
                "email": "newbie@example.com",
                "password": "a-long-passphrase",
            },
        ),
    }
    errors = {name: r.status_code for name, r in answers.items() if r.status_code >= 500}
    assert errors == {}
    assert answers["search"].status_code == 200
    assert answers["api token"].status_code == 200 and answers["api token"].json()["token"]
    assert answers["api register"].status_code == 201
    assert answers["api post"].status_code == 201

    health = anonymous.get(server.url + "/healthz")
    assert health.status_code == 503
    assert set(health.json()["down"]) == {"cache", "queue"}
    assert len(list((tmp_path / "mail").iterdir())) == 1  # the reset's email, not lost
    assert "Cache unavailable" in (tmp_path / "gunicorn.log").read_text()
