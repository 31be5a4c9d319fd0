"""Under the Content-Security-Policy (no inline scripts) every kind of page still works: the
site, the admin, the browsable API, Swagger UI and ReDoc, with no CSP violation or console
error in a real browser."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# ReDoc's page asks for Google's fonts and ReDoc's logo from their servers: the policy blocks
# both (the page does not need them), which is the point of it.
BLOCKED_ON_PURPOSE = ("https://fonts.googleapis.com/", "https://cdn.redoc.ly/")


@pytest.fixture
def watched(page, settings, live_server):
    settings.SECURITY_HEADERS = True
    problems = []

    def console(message):
        text = message.text
        if message.type != "error" or text.startswith("Failed to load resource"):
            return  # failed loads: our own are caught by status below, others are offline
        if "Content Security Policy" in text and any(u in text for u in BLOCKED_ON_PURPOSE):
            return
        if text.startswith("CSP violation: ") and text.split()[-1].startswith(BLOCKED_ON_PURPOSE):
            return
        problems.append(text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.url.startswith(live_server.url)
            and problems.append(f"{r.status} {r.url}")
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return page, problems


def test_every_kind_of_page_works_under_the_policy(watched, make_user, live_server):
    page, problems = watched
    make_user("boss", is_staff=True, is_superuser=True)

    response = page.goto("/auth/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"].split("style-src")[0]
    assert "camera=()" in response.headers["permissions-policy"]
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.get_by_role("textbox").first.fill("Written under a strict policy")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Written under a strict policy")).to_be_visible()

    page.goto("/admin/accounts/user/")
    expect(page.get_by_role("link", name="boss")).to_be_visible()
    page.locator("#action-toggle").check()  # the admin's own script selects every row
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")

    page.goto("/api/posts")
    form = page.locator("#post-object-form")
    form.locator('[name="body"]').fill("Written in the browsable API")
    form.get_by_role("button", name="POST").click()
    expect(page.get_by_text("HTTP 201 Created")).to_be_visible()

    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto("/api/redoc/")
    expect(page.get_by_text("Microblog API").first).to_be_visible()
    expect(page.locator("[data-section-id]").first).to_be_attached()
    assert problems == [], "\n".join(problems)
