"""Every page, in English and Spanish: axe-core finds nothing serious, one <h1>, a translated
unique <title>, text alternatives on avatars, and no horizontal scrolling on a 360 px screen.

A new page is one line in PAGES.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from messaging import services as messaging
from messaging.models import Task
from posts.models import Post
from social.models import Follow

from .a11y import describe, serious_violations, sign_in_by_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en-US": "en", "es-ES": "es"}

# (name, URL with {placeholders} filled from the `world` fixture, signed in as susan?)
PAGES = [
    ("login", "/auth/login", False),
    ("register", "/auth/register", False),
    ("reset-request", "/auth/reset_password_request", False),
    ("reset-form", "/auth/reset_password/{uid}/{token}", False),
    ("404", "/no/such/page", False),
    ("home", "/", True),
    ("home-page-2", "/?page=2", True),
    ("explore", "/explore", True),
    ("own-profile", "/user/susan", True),
    ("profile", "/user/john", True),
    ("edit-profile", "/edit_profile", True),
    ("followers", "/user/john/followers", True),
    ("following", "/user/susan/following", True),
    ("delete-post", "/post/{post}/delete", True),
    ("messages", "/messages", True),
    ("send-message", "/send_message/john", True),
    ("search", "/search?q=john", True),
    ("404-signed-in", "/user/nobody", True),
]


@pytest.fixture
def world(make_user, settings, search_index):
    """susan (signed in where the page needs it) follows john; both have written posts; john
    wrote to susan (her unread badge shows) and her export is running (its alert shows)."""
    settings.POSTS_PER_PAGE = 3  # so that lists show their Newer/Older links
    susan = make_user("susan", about_me="Tea, books and " + "x" * 60)
    john = make_user("john", about_me="Coffee & code")
    Follow.objects.create(follower=susan, followed=john)
    Post.objects.create(author=john, body="hello from john", language="en")
    Post.objects.create(author=john, body="hola desde john", language="es")  # a Translate link
    Post.objects.create(author=john, body="an unbroken " + "word" * 30)
    for number in range(3):
        post = Post.objects.create(author=susan, body=f"susan's post number {number}")
    messaging.send_message(john, susan, "Hello Susan, " + "long" * 30)
    Task.objects.create(
        id="a11y0000-0000-4000-8000-000000000001",
        name="export_posts",
        user=susan,
        description="Exporting posts…",
    )
    return {
        "susan": susan,
        "post": post.pk,
        "uid": urlsafe_base64_encode(force_bytes(john.pk)),
        "token": default_token_generator.make_token(john),
    }


def open_page(page, live_server, world, url, signed_in):
    if signed_in:
        sign_in_by_cookie(page, live_server.url, world["susan"])
    page.goto(url.format(**world))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("url", "signed_in"), [pytest.param(*p[1:], id=p[0]) for p in PAGES])
def test_a11y_page(page, live_server, world, locale, url, signed_in):
    open_page(page, live_server, world, url, signed_in)
    assert page.locator("html").get_attribute("lang") == LOCALES[locale]

    violations = serious_violations(page)
    assert not violations, "axe-core found:\n" + describe(violations)

    expect(page.locator("h1")).to_have_count(1)
    assert page.title().endswith(" - Microblog") or page.title() == "Microblog"
    images_without_alt = page.locator("img:not([alt])")
    expect(images_without_alt).to_have_count(0)

    page.set_viewport_size({"width": 360, "height": 740})
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"scrolls sideways at 360 px: {widths[0]} > {widths[1]}"


def page_titles(client, world, language):
    """{page name: its <title>} as the server renders it for a reader of `language`."""
    titles = {}
    with translation.override(language):  # LocaleMiddleware leaves it active: undo after
        for name, url, signed_in in PAGES:
            client.logout()
            if signed_in:
                client.force_login(world["susan"])
            response = client.get(
                url.format(**world), headers={"accept-language": language}, follow=True
            )
            titles[name] = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1]
    return titles


def test_a11y_every_page_has_its_own_translated_title(client, world):
    english, spanish = page_titles(client, world, "en"), page_titles(client, world, "es")
    for titles in (english, spanish):
        # the same page twice (home and its page 2, the two 404s) shares its title
        for twin, of in (("home-page-2", "home"), ("404-signed-in", "404")):
            assert titles.pop(twin) == titles[of]
        duplicates = {t for t in titles.values() if list(titles.values()).count(t) > 1}
        assert not duplicates, titles
    # a profile's title is its user's name, in any language; every other one is translated
    same = {name for name in english if english[name] == spanish[name]}
    assert same == {"own-profile", "profile"}, {name: english[name] for name in same}


def test_a11y_what_changes_by_itself_is_in_a_live_region(client, world):
    """Flash messages, the unread badge, the export's progress and translations are read out."""
    client.force_login(world["susan"])
    page = client.get("/user/john").content.decode()  # with a post in Spanish
    live = r'<(div|span)[^>]*aria-live="polite"[^>]*>\s*'
    assert re.search(r'<div id="flash-messages" aria-live="polite">', page)
    assert re.search(live + r'<span id="message_count"', page)
    alerts = r'<div id="task-alerts" aria-live="polite"[^>]*>\s*<div[^>]*role="status"'
    assert re.search(alerts, page)
    assert re.search(r'<div[^>]*id="translation\d+"[^>]*aria-live="polite"', page)
