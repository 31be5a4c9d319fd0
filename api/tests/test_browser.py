"""The browsable API and the interactive docs, in a real browser."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browsable_api_signs_in_through_the_site(page, user):
    page.goto("/api/users")
    expect(page.get_by_text("HTTP 401 Unauthorized")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("susan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/api/users")
    expect(page.get_by_text("HTTP 200 OK")).to_be_visible()
    expect(page.locator(".response-info")).to_contain_text('"susan@example.com"')


def test_interactive_docs_load_only_our_own_files(page, live_server, db):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() == 16
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert outside == []


def test_signed_in_user_writes_a_post_in_the_browsable_api(page, sign_in, user):
    sign_in(user)
    page.goto("/api/posts")
    form = page.locator("#post-object-form")
    form.locator('[name="body"]').fill("Written in the browsable API")
    form.get_by_role("button", name="POST").click()
    expect(page.get_by_text("HTTP 201 Created")).to_be_visible()
    assert user.posts.get().body == "Written in the browsable API"
