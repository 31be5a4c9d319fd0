"""The site by keyboard alone: every flow below uses keyboard.press and keyboard.type only,
and asserts where the focus lands (and that it is visible at every Tab stop)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD
from messaging.models import Message
from posts.models import Post
from posts.tests.fake_translators import FakeLibreTranslate
from social.models import Follow

from .a11y import (
    describe,
    focused,
    is_focused,
    is_on_top,
    serious_violations,
    sign_in_by_cookie,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def skip_to_content(page, text="Skip to content"):
    """The first Tab reaches "Skip to content"; Enter moves the focus to the main content."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=text)
    assert is_focused(skip), focused(page)
    assert is_on_top(skip), "the focused skip link is hidden or covered"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"


def test_a11y_skip_link_comes_first_and_leads_to_the_form(page):
    page.goto("/auth/login")
    skip_to_content(page)
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_label("Username"))


REGISTER_TEXT = {
    "en-US": ("Skip to content", "Enter a valid email address.", "registered user"),
    "es-ES": (
        "Ir al contenido",
        "Introduzca una dirección de correo electrónico válida.",
        "usuario registrado",
    ),
}


@pytest.mark.parametrize("locale", REGISTER_TEXT)
def test_a11y_register_by_keyboard_with_a_mistake_on_the_way(page, locale):
    skip_text, email_error, registered = REGISTER_TEXT[locale]
    page.goto("/auth/register")
    skip_to_content(page, skip_text)
    page.keyboard.press("Tab")
    page.keyboard.type("walter")
    page.keyboard.press("Tab")
    page.keyboard.type("walter-at-example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-unusual-passphrase")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-unusual-passphrase")
    page.keyboard.press("Enter")

    email = page.locator("#id_email")
    expect(email).to_be_focused()  # the first field in error
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(email_error)
    expect(page.locator("#id_username")).to_have_value("walter")  # nothing typed is lost
    expect(email).to_have_value("walter-at-example.com")

    page.keyboard.press("Control+a")
    page.keyboard.type("walter@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-unusual-passphrase")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-unusual-passphrase")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(registered)
    assert User.objects.filter(username="walter", email="walter@example.com").exists()


def test_a11y_sign_in_by_keyboard_after_a_wrong_password(page, user):
    page.goto("/auth/login")
    skip_to_content(page)
    page.keyboard.press("Tab")
    page.keyboard.type("susan")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")

    username = page.get_by_label("Username")
    expect(username).to_be_focused()  # the form's error is about the whole form: its first field
    expect(username).to_have_value("susan")
    expect(username).to_have_accessible_description(
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    )
    expect(page.get_by_role("alert")).to_be_visible()

    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")  # Remember me
    page.keyboard.press("Space")
    expect(page.get_by_label("Remember me")).to_be_checked()
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("button", name="Sign In"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hi, susan!")).to_be_visible()


@pytest.fixture
def signed_in_page(page, live_server, user):
    sign_in_by_cookie(page, live_server.url, user)
    return page


def test_a11y_write_a_post_by_keyboard(signed_in_page, user):
    page = signed_in_page
    page.goto("/")
    skip_to_content(page)
    page.keyboard.press("Tab")
    box = page.get_by_label("Say something")
    assert is_focused(box)
    page.keyboard.type("   ")
    page.keyboard.press("Tab")  # "Add images" (folded), then Submit
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # on Submit, with only spaces written
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description("This field is required.")

    page.keyboard.type("Written without a mouse")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("Your post is now live!")
    expect(page.locator(".post").first).to_contain_text("Written without a mouse")
    assert Post.objects.filter(author=user, body="Written without a mouse").exists()


def test_a11y_follow_and_unfollow_by_keyboard(signed_in_page, user, make_user):
    page = signed_in_page
    make_user("john")
    page.goto("/user/john")
    tab_to(page, page.get_by_role("button", name="Follow john"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You are following john!")
    assert Follow.objects.filter(follower=user, followed__username="john").exists()

    skip_to_content(page)  # the new page starts at the top again
    tab_to(page, page.get_by_role("button", name="Unfollow john"))
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text("You are not following john.")
    assert not Follow.objects.exists()


@pytest.fixture
def john_on_explore(signed_in_page, user, make_user):
    john = make_user("john", about_me="Coffee & code")
    Post.objects.create(author=john, body="hello from john")
    Follow.objects.create(follower=user, followed=john)
    signed_in_page.goto("/explore")
    return signed_in_page


def test_a11y_the_user_popup_opens_on_focus_and_its_buttons_are_reachable(john_on_explore):
    page = john_on_explore
    link = page.locator("a.user_popup", has_text="john")
    tab_to(page, link)
    popup = page.get_by_role("dialog", name="john")
    expect(popup).to_be_visible(timeout=3000)
    expect(popup).to_contain_text("Coffee & code")
    violations = serious_violations(page)
    assert not violations, "axe-core found, with the popup open:\n" + describe(violations)

    page.keyboard.press("Tab")
    assert is_focused(popup.get_by_role("link", name="john"))
    page.keyboard.press("Escape")  # closes it, and the focus goes back to the user's name
    expect(popup).to_have_count(0)
    assert is_focused(link)
    page.wait_for_timeout(1500)
    expect(popup).to_have_count(0)  # and it stays closed

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus again: it opens again
    expect(popup).to_be_visible(timeout=3000)
    tab_to(page, popup.get_by_role("button", name="Unfollow john"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("You are not following john.")
    assert not Follow.objects.exists()


def test_a11y_leaving_the_popup_by_tab_closes_it(john_on_explore):
    page = john_on_explore
    tab_to(page, page.locator("a.user_popup", has_text="john"))
    popup = page.get_by_role("dialog", name="john")
    expect(popup).to_be_visible(timeout=3000)
    tab_to(page, popup.get_by_role("button", name="Unfollow john"))
    page.keyboard.press("Tab")  # out of the popup
    expect(popup).to_have_count(0, timeout=3000)


def test_a11y_switch_language_by_keyboard(page):
    page.goto("/auth/login")
    tab_to(page, page.get_by_label("Language"))
    page.keyboard.press("ArrowDown")  # English -> Español
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingresar")
    tab_to(page, page.get_by_label("Idioma"))
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a11y_sign_out_by_keyboard(signed_in_page):
    page = signed_in_page
    page.goto("/")
    tab_to(page, page.get_by_role("button", name="Logout"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Login")).to_be_visible()
    page.goto("/")
    assert "/auth/login" in page.url


def test_a11y_send_a_message_by_keyboard(signed_in_page, user, make_user):
    page = signed_in_page
    make_user("john")
    page.goto("/user/john")
    tab_to(page, page.get_by_role("link", name="Send private message"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Send Message to john")).to_be_visible()
    skip_to_content(page)
    page.keyboard.press("Tab")
    box = page.get_by_label("Message")
    assert is_focused(box)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Send, with nothing written
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description("This field is required.")

    page.keyboard.type("Sent without a mouse")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your message has been sent.")
    assert page.url.endswith("/user/john")
    assert Message.objects.get(sender=user).body == "Sent without a mouse"


def test_a11y_start_an_export_by_keyboard(signed_in_page, user):
    page = signed_in_page
    Post.objects.create(author=user, body="a post to keep")
    page.goto("/user/susan")
    tab_to(page, page.get_by_role("button", name="Export your posts"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("will arrive by email")
    assert [m.attachments[0][0] for m in mail.outbox] == ["posts.json"]


def test_a11y_translate_a_post_by_keyboard(signed_in_page, make_user, settings):
    page = signed_in_page
    post = Post.objects.create(
        author=make_user("maria"),
        body="Hoy he visto el atardecer más bonito del año.",
        language="es",
    )
    with FakeLibreTranslate() as fake:
        settings.TRANSLATOR_PROVIDER = "libretranslate"
        settings.TRANSLATOR_URL = fake.url
        settings.TRANSLATOR_KEY = ""
        page.goto("/explore")
        box = page.locator(f"#translation{post.pk}")
        tab_to(page, box.get_by_role("link", name="Translate"))
        page.keyboard.press("Enter")
        expect(box).to_have_text("Today I saw the most beautiful sunset of the year.")
    expect(box).to_have_attribute("aria-live", "polite")  # read out where it appears
    expect(box).to_be_focused()  # the focus stays where the link was


def test_a11y_search_by_keyboard(signed_in_page, make_user, search_index):
    page = signed_in_page
    Post.objects.create(author=make_user("maria"), body="The sunset over the bay", language="en")
    page.goto("/")
    tab_to(page, page.get_by_label("Search posts"))
    page.keyboard.type("sunset")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “sunset”")
    expect(page.locator(".post")).to_have_text(re.compile("The sunset over the bay"))
    skip_to_content(page)
