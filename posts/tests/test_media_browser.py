"""Attaching an image by keyboard alone, in Chromium (a real multipart upload), and the page
with images passing axe-core."""

import pytest
from playwright.sync_api import expect

from microblog.tests.a11y import describe, is_focused, serious_violations, sign_in_by_cookie, tab_to
from microblog.tests.images import image_bytes
from posts.models import Media

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attach_an_image_with_alt_text_by_keyboard(page, live_server, user):
    sign_in_by_cookie(page, live_server.url, user)
    page.goto("/")
    tab_to(page, page.get_by_label("Say something"))
    page.keyboard.type("A picture of the sea")
    summary = page.locator("summary", has_text="Add images")
    tab_to(page, summary)
    page.keyboard.press("Enter")  # opens the image slots
    image_input = page.get_by_label("Image 1", exact=True)
    tab_to(page, image_input)
    # A file chooser is the system's dialog: Playwright fills it as the user's choice would.
    image_input.set_input_files(
        files=[{"name": "sea.png", "mimeType": "image/png", "buffer": image_bytes(size=(640, 480))}]
    )
    tab_to(page, page.get_by_label("Alt text for image 1"))
    page.keyboard.type("Waves breaking on a grey beach")
    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your post is now live!")).to_be_visible()

    media = Media.objects.get()
    assert (media.width, media.height, media.alt_text) == (
        640,
        480,
        "Waves breaking on a grey beach",
    )
    picture = page.get_by_role("img", name="Waves breaking on a grey beach")
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")  # not broken

    badge = page.locator(".post-media-alt summary").first
    tab_to(page, badge)
    assert is_focused(badge)
    page.keyboard.press("Enter")
    expect(page.locator(".post-media-alt p").first).to_have_text("Waves breaking on a grey beach")

    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_missing_alt_text_is_explained_next_to_the_field(page, live_server, user):
    sign_in_by_cookie(page, live_server.url, user)
    page.goto("/")
    page.get_by_label("Say something").fill("No description")
    page.locator("summary", has_text="Add images").click()
    page.get_by_label("Image 1", exact=True).set_input_files(
        files=[{"name": "x.png", "mimeType": "image/png", "buffer": image_bytes()}]
    )
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("alt text is what people who cannot see it")).to_be_visible()
    assert not Media.objects.exists()
    violations = serious_violations(page)
    assert not violations, describe(violations)
