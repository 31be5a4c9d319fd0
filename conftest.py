"""Fixtures shared by every app's tests: users, signed-in clients, and a real browser."""

import os
import re
import signal
from pathlib import Path

import pytest
from django.core.cache import caches

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def _throttle_cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("throttle_cache")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _throttle_cache_dir):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if settings.CACHES["throttle"]["BACKEND"].endswith("FileBasedCache"):
        # Rate limits count in files: the tests' own, not the site's under var/.
        throttle = {**settings.CACHES["throttle"], "LOCATION": str(_throttle_cache_dir)}
        settings.CACHES = {**settings.CACHES, "throttle": throttle}
    for alias in ("default", "throttle"):
        caches[alias].clear()
    yield
    for alias in ("default", "throttle"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """An RQ worker run inside a test installs its own SIGTERM/SIGINT handlers (a SIGTERM then
    only asks for a warm shutdown). Left in place, they are inherited by processes the later
    tests fork, which then ignore SIGTERM: a multiprocessing pool's terminate() hung on one."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    for number, handler in saved.items():
        if signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture(autouse=True)
def _jobs_eager(settings):
    """Background jobs run in the test's thread once its transaction commits (in a `db` test,
    under django_capture_on_commit_callbacks); tests of the queue or the thread turn it off."""
    settings.JOBS_EAGER = True


@pytest.fixture
def fake_queue(settings, monkeypatch):
    """Jobs go to RQ, on a queue kept in fakeredis (no server needed); returns that queue.

    Every queue name gives this one queue: run its jobs with SimpleWorker(...).work(burst=True).
    """
    import fakeredis
    from rq import Queue

    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://fake"
    queue = Queue("default", connection=fakeredis.FakeRedis())
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: queue)
    return queue


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, never under var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_user(db, django_user_model):
    """make_user("susan", about_me=...) creates an active user with the password PASSWORD."""

    def make(username="susan", email=None, password=PASSWORD, **fields):
        email = email or f"{username}@example.com"
        return django_user_model.objects.create_user(
            username=username, email=email, password=password, **fields
        )

    return make


@pytest.fixture
def user(make_user):
    return make_user("susan")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


# Browser tests ----------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop, our ORM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def locale():
    """The browser's language: parametrize `locale` (e.g. "es-ES") to run a test in another."""
    return "en-US"


@pytest.fixture
def page(request, browser, live_server, locale):
    """A fresh browser tab on the live server; a screenshot is saved if the test fails."""
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def sign_in(page):
    """sign_in(user) signs `user` in through the real login form."""

    def sign_in_as(user, password=PASSWORD):
        page.goto("/auth/login")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/auth/login" not in url)

    return sign_in_as


# Search -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _search_index_in_tmp(tmp_path_factory):
    """No test writes the real search index under var/: a file index lives in a temp dir."""
    from haystack import connections

    info = connections.connections_info["default"]
    original = info.get("PATH")
    if original is None:  # a search server: nothing on disk to protect
        yield
        return
    info["PATH"] = str(tmp_path_factory.mktemp("search") / "whoosh_index")
    connections.reload("default")
    yield
    info["PATH"] = original
    connections.reload("default")


@pytest.fixture
def search_index():
    """An empty search index (the posts' changes reach it through posts.search.sync's job)."""
    from haystack import connections

    backend = connections["default"].get_backend()
    backend.clear()
    return backend
