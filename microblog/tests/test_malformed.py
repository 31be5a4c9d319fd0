"""A scripted pass of malformed requests against every endpoint of a running site: each gets a
4xx (or a redirect, or a normal answer when the input is simply ignored), never a 500, and the
server keeps serving."""

import itertools
from concurrent.futures import ThreadPoolExecutor

import requests
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from . import live

HUGE = "9" * 400
OVERSIZED = "x" * (3 * 1024 * 1024)  # past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
BAD_UTF8 = b"\xff\xfe\xc0\xaf post=\xe9t\xe9"
FORM = "application/x-www-form-urlencoded"
SKIP = {"logout"}  # a valid logout would end the session the rest of the pass uses


def endpoints(patterns=None, namespace=""):
    """(name, [parameter names]) of every named URL, the admin's apart (Django's own)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from endpoints(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def guess(parameter, context):
    if parameter in {"username", "user"}:
        return context["username"]
    if parameter == "format":
        return "json"
    if parameter.endswith("id") or parameter == "pk":
        return context["id"]
    return "not-a-real-value"


def paths(context):
    found = set()
    for name, parameters in endpoints():
        if name.rsplit(":", 1)[-1] in SKIP:
            continue
        try:
            found.add(reverse(name, kwargs={p: guess(p, context) for p in parameters}))
        except NoReverseMatch:
            continue
    return sorted(found)


def attacks(signed_in):
    """(method, URL suffix, keyword arguments for requests; "csrf": False sends no token)."""
    query = f"?page={HUGE}&per_page={HUGE}&since={HUGE}&q=%FF%FE&format=%C0"
    anonymous = [
        ("GET", query, {"headers": {"Authorization": "Bearer wrong-token"}}),
        ("POST", "?page=-1&since=nan", {"data": {"post": "no csrf token"}, "csrf": False}),
        ("DELETE", "", {"headers": {"Authorization": "Basic !!!not-base64"}}),
    ]
    if not signed_in:
        return anonymous
    json = {"Content-Type": "application/json"}
    return [
        *anonymous,
        ("GET", "?page=-1&per_page=abc&since=1e400&page=%00&since=%FF", {}),
        ("POST", "", {"data": {"post": OVERSIZED}}),
        ("POST", "", {"data": BAD_UTF8, "headers": {"Content-Type": FORM}}),
        ("POST", "", {"data": b'{"body": "broken', "headers": json}),
        ("PUT", "", {"data": b'["wrong", "type"]', "headers": json}),
        ("POST", query, {"data": {"message": "x" * 1000, "post": "y" * 1000, "since": HUGE}}),
    ]


def send(session_key, base_url, path, method, suffix, options):
    http = live.browser(session_key)
    options = dict(options)
    data = options.get("data") or ""
    oversized = len("".join(data.values()) if isinstance(data, dict) else data) > 1024 * 1024
    headers = dict(options.pop("headers", {}))
    if options.pop("csrf", True):
        headers["X-CSRFToken"] = live.CSRF
        if isinstance(options.get("data"), dict):
            options["data"] = live.form(**options["data"])
    try:
        response = http.request(
            method,
            base_url + path + suffix,
            headers=headers,
            allow_redirects=False,
            timeout=60,
            **options,
        )
    except requests.RequestException as error:
        if oversized:
            return None  # a server refusing an oversized body may close the connection early
        return f"{method} {path}{suffix[:40]}: {error}"
    if response.status_code >= 500:
        cause = response.headers.get("X-Exception", "")
        return f"{method} {path}{suffix[:40]}: {response.status_code} {cause}"
    return None


def test_malformed_requests_never_get_a_500(tmp_path, migrated_sqlite):
    env = live.new_site(tmp_path, migrated_sqlite)
    users = live.sign_in(env, ["mallory", "victim"])
    live.run_shell(
        env,
        "from accounts.models import User; from posts.models import Post; "
        "Post.objects.create(author=User.objects.get(username='victim'), body='hello')",
    )
    context = {"username": "victim", "id": users["victim"]["id"]}
    targets = paths(context)
    assert "/" in targets and "/user/victim" in targets

    server = live.start(env, tmp_path, workers=4)
    try:
        jobs = [
            (session, path, method, suffix, options)
            for session, path in itertools.product((users["mallory"]["session"], None), targets)
            for method, suffix, options in attacks(signed_in=session is not None)
        ]
        with ThreadPoolExecutor(4) as pool:
            failures = [
                f for f in pool.map(lambda job: send(job[0], server.url, *job[1:]), jobs) if f
            ]
        assert server.alive()
        home = live.browser(users["mallory"]["session"]).get(server.url + "/", timeout=30)
        assert home.status_code == 200
    finally:
        server.stop()
    assert failures == [], "\n".join(failures) + "\n" + server.log()[-3000:]
