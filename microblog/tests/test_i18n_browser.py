"""The site in Spanish in a real browser: Accept-Language, the switcher, dates, the JS catalog."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spanish_page(browser, live_server):
    """A tab whose browser prefers Spanish (Accept-Language and navigator.language es-ES)."""
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_spanish_from_the_browser_preference(spanish_page, user):
    page = spanish_page
    page.goto("/auth/login")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Ingresar")).to_be_visible()
    page.get_by_label("Nombre de usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()

    expect(page.get_by_role("heading", name="¡Hola, susan!")).to_be_visible()
    expect(page.get_by_role("link", name="Inicio")).to_be_visible()
    expect(page.get_by_role("link", name="Explorar")).to_be_visible()
    expect(page).to_have_title("Inicio - Microblog")

    page.get_by_role("button", name="Enviar").click()  # empty: Django's own message, in Spanish
    expect(page.get_by_text("Este campo es requerido.")).to_be_visible()
    page.get_by_label("Di algo").fill("Hoy he visto el atardecer más bonito del año.")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_text("¡Tu publicación ya está en línea!")).to_be_visible()
    assert Post.objects.get().language == "es"


def test_switch_to_spanish_and_back(page, sign_in, user):
    sign_in(user)
    expect(page.get_by_role("link", name="Home")).to_be_visible()

    page.get_by_label("Language").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("link", name="Inicio")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto("/explore")  # the choice sticks to later pages
    expect(page.get_by_role("heading", name="Explorar")).to_be_visible()

    page.get_by_label("Idioma").select_option(label="English")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.get_by_role("heading", name="Explore")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_relative_dates_follow_the_language(spanish_page, page, sign_in, user, make_user):
    author = make_user("maria")
    Post.objects.create(
        author=author,
        body="Mañana tenemos examen de cálculo.",
        language="es",
        timestamp=timezone.now() - timedelta(minutes=3),
    )
    sign_in(user)
    page.goto("/explore")
    expect(page.locator("article.post time")).to_have_text("3 minutes ago")

    spanish_page.context.add_cookies(page.context.cookies())
    spanish_page.goto("/explore")
    expect(spanish_page.locator("article.post time")).to_have_text("hace 3 minutos")
    full = spanish_page.locator("article.post time").get_attribute("title")
    assert any(
        month in full
        for month in (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        )
    )


def test_javascript_catalog_is_spanish(spanish_page):
    spanish_page.goto("/auth/login")
    assert spanish_page.evaluate("gettext('Translating…')") == "Traduciendo…"
