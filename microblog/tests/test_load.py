"""Several processes writing at once through gunicorn on one SQLite file: nothing fails,
nothing is lost, nothing is doubled."""

import multiprocessing
import random
import sqlite3
import time

from django.urls import Resolver404, resolve

from . import live


def search_is_available():
    try:
        resolve("/search")
    except Resolver404:
        return False
    return True


def indexed_post_ids(directory):
    """The ids of the posts in the site's Whoosh index."""
    from whoosh.index import open_dir

    index = open_dir(str(directory / "whoosh_index"))
    with index.searcher() as searcher:
        return sorted(
            int(fields["django_id"])
            for fields in searcher.all_stored_fields()
            if fields.get("django_ct") == "posts.post"
        )


CLIENTS = 4
SECONDS = 3
MIN_REQUESTS = 10


def client_loop(base_url, me, session_key, token, others, seconds, seed, search=False):
    """One user's closed loop of posts (page and API), follows/unfollows, private messages and
    reads; returns what got a success answer."""
    rng = random.Random(seed)
    http = live.browser(session_key)
    api = {"Authorization": f"Bearer {token}"}
    done = {"posts": [], "following": {}, "messages": [], "errors": [], "requests": 0}
    deadline = time.monotonic() + seconds
    give_up = deadline + 60
    i = 0
    # A few seconds, and at least MIN_REQUESTS each however busy the machine is.
    while (time.monotonic() < deadline or i < MIN_REQUESTS) and time.monotonic() < give_up:
        i += 1
        roll = rng.random()
        target = rng.choice(others)
        record = None
        if roll < 0.25:
            body = f"{me} page post {i}"
            request = ("post", "/", {"data": live.form(post=body)}, 302)
            record = ("posts", body)
        elif roll < 0.35:
            body = f"{me} API post {i}"
            request = ("post", "/api/posts", {"json": {"body": body}, "headers": api}, 201)
            record = ("posts", body)
        elif roll < 0.6:
            want = not done["following"].get(target, False)
            path = f"/{'follow' if want else 'unfollow'}/{target}"
            request = ("post", path, {"data": live.form()}, 302)
        elif roll < 0.8:
            body = f"{me} to {target} {i}"
            path = f"/send_message/{target}"
            request = ("post", path, {"data": live.form(message=body)}, 302)
            record = ("messages", (target, body))
        else:
            reads = ["/", "/explore", "/messages", "/notifications?since=0"]
            if search:
                reads += ["/search?q=load", "/search?q=post"]
            path = rng.choice(reads)
            request = ("get", path, {}, 200)
            if rng.random() < 0.3:
                request = ("get", "/api/timeline", {"headers": api}, 200)
        method, path, options, expect = request
        try:
            response = http.request(
                method, base_url + path, allow_redirects=False, timeout=60, **options
            )
        except OSError as error:
            done["errors"].append(f"{method} {path}: {error}")
            continue
        done["requests"] += 1
        if response.status_code != expect:
            cause = response.headers.get("X-Exception", "")
            done["errors"].append(f"{method} {path}: {response.status_code} {cause}")
        elif record:
            done[record[0]].append(record[1])
        elif "follow" in path:
            done["following"][target] = want
    return done


def test_concurrent_writers_on_sqlite_lose_nothing(tmp_path, migrated_sqlite):
    search = search_is_available()
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
                        users[name]["token"],
                        [n for n in names if n != name],
                        SECONDS,
                        i,
                        search,
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
    assert sum(r["requests"] for r in results.values()) >= MIN_REQUESTS * CLIENTS

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
    messages = db.execute(
        "SELECT a.username, b.username, m.body FROM messaging_message m "
        "JOIN accounts_user a ON a.id = m.sender_id JOIN accounts_user b ON b.id = m.recipient_id"
    ).fetchall()
    sent = [(name, to, body) for name, r in results.items() for to, body in r["messages"]]
    assert sorted(messages) == sorted(sent)
    assert answered and sent  # the mix did write, through every path
    if search:  # the search index agrees with the database, post for post
        post_ids = sorted(row[0] for row in db.execute("SELECT id FROM posts_post"))
        assert indexed_post_ids(tmp_path) == post_ids
