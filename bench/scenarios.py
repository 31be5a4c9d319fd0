"""What the benchmark measures: one scenario per row of docs/benchmarks.md.

A scenario whose endpoint is not in the URLconf (its branch has not landed) is reported as
"not available" instead of failing.
"""

import time
from dataclasses import dataclass

from django.urls import Resolver404, resolve

from microblog.demo import WORDS

from .load import Request

SEARCH_WORDS = WORDS["en"][8:] + WORDS["es"][8:]  # skip the articles: nobody searches "the"


@dataclass
class Scenario:
    key: str
    title: str
    probe: str  # a path that must resolve for the scenario to be available
    build: object  # build(context) -> make_request(client, i) -> Request
    api: bool = False
    flask: float | None = None  # the tutorial's Flask app, req/s on the same dataset
    flask_factor: float | None = None  # the multiple of it that SPEC asks for

    def available(self):
        try:
            resolve(self.probe)
        except Resolver404:
            return False
        return True


def fixed(request):
    return lambda context: lambda client, i: request


def profile(context):
    users = context["usernames"]
    return lambda client, i: Request(
        "GET", f"/user/{users[(client.number * 61 + i * 7) % len(users)]}"
    )


def search(context):
    return lambda client, i: Request(
        "GET", f"/search?q={SEARCH_WORDS[(client.number * 7 + i) % len(SEARCH_WORDS)]}"
    )


def search_cold(context):
    """Two-word queries that (almost) never repeat during a run: what a results cache can't help."""
    n = len(SEARCH_WORDS)

    def make(client, i):
        number = i * 16 + client.number  # every client, every request: another pair
        return Request(
            "GET", f"/search?q={SEARCH_WORDS[number % n]}+{SEARCH_WORDS[(number // n) % n]}"
        )

    return make


def poll(context):
    since = int(context["started"])
    return lambda client, i: Request("GET", f"/notifications?since={since}")


def api_user(context):
    ids = context["user_ids"]
    return lambda client, i: Request(
        "GET", f"/api/users/{ids[(client.number * 13 + i) % len(ids)]}", api=True
    )


def new_post(client, i):
    words = WORDS["en"][(client.number + i) % 40 :][:12]
    body = f"Benchmark post {i} from {client.username}: {' '.join(words)}"[:140]
    return Request("POST", "/", data={"post": body}, expect=(302,))


def write_mix(context):
    home = Request("GET", "/")
    return lambda client, i: new_post(client, i) if i % 5 == 0 else home


def new_posts(context):
    return new_post


SCENARIOS = [
    Scenario(
        "home", "Home timeline, page 1", "/", fixed(Request("GET", "/")), flask=2, flask_factor=100
    ),
    Scenario("home40", "Home timeline, page 40", "/", fixed(Request("GET", "/?page=40"))),
    Scenario(
        "explore",
        "Explore",
        "/explore",
        fixed(Request("GET", "/explore")),
        flask=99,
        flask_factor=1.5,
    ),
    Scenario("profile", "A profile", "/user/someone", profile, flask=115, flask_factor=1.5),
    Scenario("search", "Search (one-word queries, repeated)", "/search", search),
    Scenario("search_cold", "Search (two-word queries, not repeated)", "/search", search_cold),
    Scenario("poll", "Notifications poll", "/notifications", poll),
    Scenario(
        "api_users",
        "GET /api/users?page=5",
        "/api/users",
        fixed(Request("GET", "/api/users?page=5", api=True)),
        api=True,
        flask=52,
        flask_factor=4,
    ),
    Scenario("api_user", "GET /api/users/<id>", "/api/users/1", api_user, api=True, flask=353),
    Scenario(
        "api_timeline",
        "GET /api/timeline",
        "/api/timeline",
        fixed(Request("GET", "/api/timeline", api=True)),
        api=True,
    ),
    Scenario("write", "Write mix: 20 % new posts, 80 % home", "/", write_mix),
    Scenario(
        "posts", "New posts (every request a post)", "/", new_posts, flask=94, flask_factor=1.5
    ),
]


def context_for(users, user_ids):
    return {
        "usernames": [f"user{n:06d}" for n in range(users)],
        "user_ids": user_ids,
        "started": time.time(),
    }
