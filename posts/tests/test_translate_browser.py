"""The Translate link end to end: browser -> /translate -> a fake provider on 127.0.0.1."""

import pytest
from playwright.sync_api import expect

from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPANISH = "Hoy he visto el atardecer más bonito del año."
ENGLISH = "Today I saw the most beautiful sunset of the year."


@pytest.fixture
def spanish_post(make_user):
    return Post.objects.create(author=make_user("maria"), body=SPANISH, language="es")


@pytest.mark.parametrize("provider", ["fake_libretranslate", "fake_azure"])
def test_translate_a_post(request, page, sign_in, user, spanish_post, provider):
    fake = request.getfixturevalue(provider)
    fake.mode = "slow"  # long enough to see the spinner
    fake.delay = 0.8
    english = Post.objects.create(author=user, body="An English post.", language="en")
    sign_in(user)
    page.goto("/explore")
    expect(page.locator(f"#translation{english.pk}")).to_have_count(0)
    box = page.locator(f"#translation{spanish_post.pk}")
    expect(box).to_have_attribute("aria-live", "polite")

    box.get_by_role("link", name="Translate").click()
    expect(box.get_by_text("Translating…")).to_be_visible()
    expect(box).to_have_text(ENGLISH)
    expect(box.get_by_role("link")).to_have_count(0)
    expect(page.locator(f"#post{spanish_post.pk}")).to_have_text(SPANISH)
    assert page.url.endswith("/explore") or "#translation" in page.url  # no page load

    [outbound] = fake.requests
    assert outbound.method == "POST"
    assert outbound.path == "/translate"
    assert SPANISH in str(outbound.json())  # both providers carry the text in a JSON body


def test_translate_into_spanish_for_a_spanish_reader(page, sign_in, user, fake_libretranslate):
    post = Post.objects.create(
        author=user, body="The tomatoes finally turned red this morning.", language="en"
    )
    sign_in(user)
    page.get_by_label("Language").select_option(label="Español")
    with page.expect_navigation():  # the new page's scripts have run once it has loaded
        page.get_by_role("button", name="Change").click()
    box = page.locator(f"#translation{post.pk}")
    box.get_by_role("link", name="Traducir").click()
    expect(box).to_have_text("Los tomates por fin se pusieron rojos esta mañana.")
    assert fake_libretranslate.requests[0].json()["target"] == "es"


def test_provider_failure_shows_a_readable_error(
    page, sign_in, user, spanish_post, fake_libretranslate
):
    fake_libretranslate.mode = "error"
    sign_in(user)
    page.goto("/explore")
    box = page.locator(f"#translation{spanish_post.pk}")
    box.get_by_role("link", name="Translate").click()
    expect(box).to_have_text(
        "The translation service could not translate this text. Please try again later."
    )
    expect(box.locator(".text-danger")).to_be_visible()


def test_not_configured_says_so(page, sign_in, user, spanish_post, settings):
    settings.TRANSLATOR_PROVIDER = ""
    sign_in(user)
    page.goto("/explore")
    box = page.locator(f"#translation{spanish_post.pk}")
    box.get_by_role("link", name="Translate").click()
    expect(box).to_have_text("The translation service is not configured.")


def test_translated_text_is_not_html(page, sign_in, user, make_user, fake_libretranslate):
    post = Post.objects.create(
        author=make_user("maria"), body="<b>Hola</b> a todos, ¿cómo están hoy?", language="es"
    )
    sign_in(user)
    page.goto("/explore")
    box = page.locator(f"#translation{post.pk}")
    box.get_by_role("link", name="Translate").click()
    expect(box).to_have_text("[en] <b>Hola</b> a todos, ¿cómo están hoy?")
    expect(box.locator("b")).to_have_count(0)
