import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging import services
from messaging.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_polling(settings):
    settings.NOTIFICATIONS_POLL_SECONDS = 0.3


@pytest.fixture
def susan(make_user):
    return make_user("susan")


@pytest.fixture
def john(make_user):
    return make_user("john")


def test_the_badge_follows_new_messages_while_the_page_stays_open(page, sign_in, susan, john):
    sign_in(susan)
    page.goto("/explore")
    badge = page.locator("#message_count")
    expect(badge).to_be_hidden()
    page.evaluate("window.__same_page = true")

    services.send_message(john, susan, "Hello Susan")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("1")
    services.send_message(john, susan, "Are you there?")
    expect(badge).to_have_text("2")
    assert page.evaluate("window.__same_page") is True  # no reload happened

    page.get_by_role("link", name=re.compile("^Messages")).click()
    expect(page.get_by_role("heading", name="Messages")).to_be_visible()
    expect(page.get_by_text("Are you there?")).to_be_visible()
    expect(badge).to_be_hidden()


def test_sending_a_message_from_a_profile(page, sign_in, susan, john):
    sign_in(susan)
    page.goto("/user/john")
    page.get_by_role("link", name="Send private message").click()
    page.get_by_label("Message").fill("x" * 150)  # the browser stops at 140
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message has been sent.")).to_be_visible()
    assert page.url.endswith("/user/john")
    assert services.unread_message_count(john) == 1
    assert john.messages_received.get().body == "x" * 140


def test_the_progress_alert_rises_and_disappears(page, sign_in, susan):
    sign_in(susan)
    task = Task.objects.create(
        id="4f1d2c1e-0000-4000-8000-000000000001",
        name="export_posts",
        description="Exporting posts…",
        user=susan,
    )
    page.goto("/")
    page.evaluate("window.__same_page = true")
    alert = page.locator(f"[id='{task.id}-alert']")
    progress = page.locator(f"[id='{task.id}-progress']")
    expect(alert).to_have_text("Exporting posts… 0%")

    task.notify_progress(30)
    expect(progress).to_have_text("30")
    task.notify_progress(70)
    expect(alert).to_have_text("Exporting posts… 70%")
    task.finish()
    expect(progress).to_have_text("100")
    expect(alert).to_have_count(0)
    assert page.evaluate("window.__same_page") is True


def test_a_task_started_elsewhere_appears_and_a_failure_is_told(page, sign_in, susan):
    sign_in(susan)
    page.goto("/explore")
    task = Task.objects.create(
        id="4f1d2c1e-0000-4000-8000-000000000002",
        name="export_posts",
        description="Exporting posts…",
        user=susan,
    )
    task.notify_progress(10)
    alert = page.locator(f"[id='{task.id}-alert']")
    expect(alert).to_have_text("Exporting posts… 10%")
    task.fail()
    expect(alert).to_have_count(0)
    failure = page.get_by_role("alert")
    expect(failure).to_have_text("Your posts could not be exported. Please try again later.")
    failure.get_by_role("button", name="Dismiss").click()  # the form the script built
    page.wait_for_url("**/explore")
    expect(page.get_by_role("heading", name="Explore")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_a_task_whose_worker_died_is_shown_failed_until_dismissed(page, sign_in, susan, settings):
    sign_in(susan)
    task = Task.objects.create(
        id="4f1d2c1e-0000-4000-8000-000000000003",
        name="export_posts",
        description="Exporting posts…",
        user=susan,
    )
    long_ago = timezone.now() - timedelta(seconds=settings.TASK_TIMEOUT + 1)
    Task.objects.filter(pk=task.pk).update(created=long_ago)
    page.goto("/explore")
    failure = page.get_by_role("alert")
    expect(failure).to_have_text("Your posts could not be exported. Please try again later.")
    expect(page.locator(f"[id='{task.id}-alert']")).to_have_count(0)
    page.reload()
    expect(failure).to_have_count(1)  # still there: the user has not closed it
    failure.get_by_role("button", name="Dismiss").click()
    page.wait_for_url("**/explore")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert Task.objects.get().failed
