from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_times_are_relative_and_last_seen_is_a_local_full_date(
    browser, live_server, make_user
):
    susan = make_user("susan")
    make_user("john", last_seen=datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    Post.objects.create(
        author=susan, body="three minutes old", timestamp=timezone.now() - timedelta(minutes=3)
    )
    Post.objects.create(
        author=susan, body="two days old", timestamp=timezone.now() - timedelta(days=2)
    )
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", timezone_id="America/New_York"
    )
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("susan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.goto("/user/susan")

    recent = page.locator("article", has_text="three minutes old").locator("time")
    expect(recent).to_have_text("3 minutes ago")
    assert recent.get_attribute("datetime").endswith("Z")
    expect(page.locator("article", has_text="two days old").locator("time")).to_have_text(
        "2 days ago"
    )
    # john was last seen at 12:00 UTC, which is 7:00 in New York in January
    page.goto("/user/john")
    expect(page.locator("p", has_text="Last seen on:").locator("time")).to_have_text(
        "Thursday, January 15, 2026 at 7:00 AM"
    )
    context.close()


def test_server_rendered_fallback_is_readable_without_javascript(browser, live_server, make_user):
    susan = make_user("susan")
    Post.objects.create(
        author=susan, body="hello", timestamp=datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Username").fill("susan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/explore")
    expect(page.locator("article time")).to_have_text("March 1, 2026, 9:30 a.m. UTC")
    context.close()


def test_write_and_delete_a_post_in_the_browser(page, make_user, sign_in):
    sign_in(make_user("susan"))
    page.get_by_label("Say something").fill("Hello from the browser")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your post is now live!")).to_be_visible()
    expect(page.locator("article", has_text="Hello from the browser")).to_be_visible()
    page.get_by_role("link", name="Delete this post").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Your post has been deleted.")).to_be_visible()
    assert not Post.objects.exists()
