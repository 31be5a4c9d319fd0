import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_in_and_log_out_in_the_browser(page):
    page.goto("/auth/register")
    page.get_by_label("Username").fill("walter")
    page.get_by_label("Email").fill("walter@example.com")
    page.get_by_label("Password*", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Congratulations, you are now a registered user!")).to_be_visible()
    assert User.objects.filter(username="walter").exists()

    page.get_by_label("Username").fill("walter")
    page.get_by_label("Password").fill("a-long-unusual-passphrase")
    page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Hi, walter!")).to_be_visible()

    page.get_by_role("button", name="Logout").click()
    expect(page.get_by_role("link", name="Login")).to_be_visible()
    page.goto("/")
    assert "/auth/login" in page.url


def test_registration_errors_show_in_the_page(page, make_user):
    make_user("susan")
    page.goto("/auth/register")
    page.get_by_label("Username").fill("susan")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password*", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("short")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Please use a different username.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("someone@example.com")
