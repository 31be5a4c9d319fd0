"""Several processes writing at once through gunicorn on one SQLite file: nothing fails,
nothing is lost, nothing is doubled."""

import multiprocessing
import random
import sqlite3
import time

from . import live

CLIENTS = 4
SECONDS = 3


def client_loop(base_url, me, session_key, others, seconds, seed):
    """One user's closed loop of posts, follows/unfollows and reads; returns what succeeded."""
    rng = random.Random(seed)
    http = live.browser(session_key)
    done = {"posts": [], "following": {}, "errors": [], "requests": 0}
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        i += 1
        roll = rng.random()
        if roll < 0.45:
            body = f"{me} load post {i}"
            method, path, data, expect = "post", "/", live.form(post=body), 302
        elif roll < 0.75:
            target = rng.choice(others)
            want = not done["following"].get(target, False)
            path = f"/{'follow' if want else 'unfollow'}/{target}"
            method, data, expect = "post", live.form(), 302
        else:
            method, path, data, expect = "get", rng.choice(["/", "/explore"]), None, 200
        try:
            response = http.request(
                method, base_url + path, data=data, allow_redirects=False, timeout=60
            )
        except OSError as error:
            done["errors"].append(f"{method} {path}: {error}")
            continue
        done["requests"] += 1
        if response.status_code != expect:
            cause = response.headers.get("X-Exception", "")
            done["errors"].append(f"{method} {path}: {response.status_code} {cause}")
        elif path == "/" and method == "post":
            done["posts"].append(body)
        elif method == "post":
            done["following"][target] = want
    return done


def test_concurrent_writers_on_sqlite_lose_nothing(tmp_path, migrated_sqlite):
    env = live.new_site(tmp_path, migrated_sqlite)
    names = [f"writer{i}" for i in range(CLIENTS)] + ["bystander"]
    users = live.sign_in(env, names)
    server = live.start(env, tmp_path, workers=CLIENTS)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(CLIENTS) as pool:
            jobs = [
                pool.apply_async(
                    client_loop,
                    (
                        server.url,
                        name,
                        users[name]["session"],
                        [n for n in names if n != name],
                        SECONDS,
                        i,
                    ),
                )
                for i, name in enumerate(names[:CLIENTS])
            ]
            results = dict(zip(names, (job.get(timeout=120) for job in jobs), strict=False))
        assert server.alive()
    finally:
        server.stop()

    errors = [e for r in results.values() for e in r["errors"]]
    assert errors == [], errors
    assert "database is locked" not in server.log()
    assert sum(r["requests"] for r in results.values()) > 4 * CLIENTS

    db = sqlite3.connect(tmp_path / "db.sqlite3")
    stored = db.execute(
        "SELECT u.username, p.body FROM posts_post p JOIN accounts_user u ON u.id = p.author_id"
    ).fetchall()
    answered = [(name, body) for name, r in results.items() for body in r["posts"]]
    assert sorted(stored) == sorted(answered)  # every post that got its redirect, once
    follows = set(
        db.execute(
            "SELECT a.username, b.username FROM social_follow f "
            "JOIN accounts_user a ON a.id = f.follower_id "
            "JOIN accounts_user b ON b.id = f.followed_id"
        ).fetchall()
    )
    expected = {
        (name, target)
        for name, r in results.items()
        for target, following in r["following"].items()
        if following
    }
    assert follows == expected
