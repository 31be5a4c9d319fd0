"""The export as a user sees it in the browser, eager and on the embedded defaults."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection
from playwright.sync_api import expect

from messaging.models import Task
from microblog.jobs import wait_for_jobs
from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_polling(settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 0.3


@pytest.fixture
def susan(make_user):
    return make_user("susan")


def test_export_your_posts_from_the_profile(page, sign_in, susan):
    Post.objects.create(author=susan, body="a post to keep")
    sign_in(susan)
    page.goto("/user/susan")
    page.get_by_role("button", name="Export your posts").click()
    expect(page.get_by_text("will arrive by email")).to_be_visible()
    assert [m.attachments[0][0] for m in mail.outbox] == ["posts.json"]
    page.get_by_role("button", name="Export your posts").click()  # the first one is done
    expect(page.get_by_text("will arrive by email")).to_be_visible()
    assert len(mail.outbox) == 2


@pytest.fixture
def readers_take_no_table_locks():
    """The test database is SQLite in memory with a shared cache, where a reading connection
    locks the tables it reads and a writer on another connection then fails at once ("database
    table is locked") instead of waiting. The embedded site's file database (WAL) has no such
    locks; here the page's connection reads uncommitted rows so that the job's thread can write."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 1")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 0")


@pytest.fixture
def gated_progress(monkeypatch):
    """The export pauses before reporting 30% and after reporting 60%, until released, so the
    test sees the alert at each stage whatever the machine's speed."""
    gates = {30: threading.Event(), 60: threading.Event()}
    report = Task.notify_progress

    def notify_progress(self, progress, **extra):
        if progress == 30:
            gates[30].wait(30)
        report(self, progress, **extra)
        if progress == 60:
            gates[60].wait(30)

    monkeypatch.setattr(Task, "notify_progress", notify_progress)
    yield gates
    for gate in gates.values():
        gate.set()
    assert wait_for_jobs(30)


def test_on_the_embedded_defaults_the_export_alert_moves_then_completes(
    page, sign_in, susan, settings, readers_take_no_table_locks, gated_progress
):
    settings.JOBS_EAGER = False  # no Redis either: the in-process background thread
    settings.REDIS_URL = ""
    Post.objects.bulk_create(Post(author=susan, body=f"post {i}") for i in range(100))
    sign_in(susan)
    page.goto("/user/susan")
    page.get_by_role("button", name="Export your posts").click()
    # The request answered while the job still runs (it waits before 30%).
    expect(page.get_by_text("will arrive by email")).to_be_visible()
    page.evaluate("window.__same_page = true")
    task = Task.objects.get()
    alert = page.locator(f"[id='{task.id}-alert']")
    expect(alert).to_have_text("Exporting posts… 20%")
    assert mail.outbox == []

    gated_progress[30].set()
    expect(alert).to_have_text("Exporting posts… 60%")  # brought by the poll
    assert mail.outbox == []

    gated_progress[60].set()
    expect(page.locator(f"[id='{task.id}-progress']")).to_have_text("100")
    expect(alert).to_have_count(0)
    assert page.evaluate("window.__same_page") is True  # no reload
    assert wait_for_jobs(30)
    assert [m.attachments[0][0] for m in mail.outbox] == ["posts.json"]
    task.refresh_from_db()
    assert task.complete and not task.failed
    expect(page.get_by_role("alert")).to_have_count(0)
    assert re.search(r"post 99", mail.outbox[0].attachments[0][1])
