import json

import pytest
from django.core.checks import run_checks
from django.utils import translation

from posts.translation import (
    AzureTranslator,
    LibreTranslateTranslator,
    TranslationError,
    TranslationNotConfigured,
    TranslationTimeout,
    get_translator,
    translate,
)

SPANISH = "Hoy he visto el atardecer más bonito del año."
ENGLISH = "Today I saw the most beautiful sunset of the year."


# Azure Translator v3 ----------------------------------------------------------------------


def test_azure_request_and_answer(fake_azure):
    assert translate(SPANISH, "es", "en") == ENGLISH

    [request] = fake_azure.requests
    assert request.method == "POST"
    assert request.path == "/translate"
    assert request.query == {"api-version": "3.0", "from": "es", "to": "en", "textType": "plain"}
    assert request.headers["ocp-apim-subscription-key"] == "azure-test-key"
    assert request.headers["ocp-apim-subscription-region"] == "westeurope"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == [{"Text": SPANISH}]


def test_azure_without_region_sends_no_region_header(fake_azure, settings):
    settings.TRANSLATOR_REGION = ""
    translate(SPANISH, "es", "en")
    assert "ocp-apim-subscription-region" not in fake_azure.requests[0].headers


def test_azure_gets_its_own_codes_for_chinese(fake_azure):
    assert translate("你好，世界", "zh-cn", "en") == "[en] 你好，世界"
    assert fake_azure.requests[0].query["from"] == "zh-Hans"


def test_azure_wrong_key_is_a_readable_error(fake_azure, settings):
    settings.TRANSLATOR_KEY = "wrong"
    with pytest.raises(TranslationError) as raised:
        translate(SPANISH, "es", "en")
    assert raised.value.status == 502
    assert raised.value.message == (
        "The translation service could not translate this text. Please try again later."
    )


def test_azure_server_error_is_a_readable_error(fake_azure):
    fake_azure.mode = "error"
    with pytest.raises(TranslationError, match="could not translate this text"):
        translate(SPANISH, "es", "en")


def test_azure_timeout(fake_azure, settings):
    settings.TRANSLATOR_TIMEOUT = 0.3
    fake_azure.mode = "slow"
    fake_azure.delay = 1.5
    with pytest.raises(TranslationTimeout) as raised:
        translate(SPANISH, "es", "en")
    assert raised.value.status == 504
    assert "took too long" in raised.value.message


@pytest.mark.parametrize("mode", ["garbage", "wrong-shape"])
def test_azure_unreadable_answer(fake_azure, mode):
    fake_azure.mode = mode
    with pytest.raises(TranslationError, match="could not be read"):
        translate(SPANISH, "es", "en")


def test_errors_are_in_the_active_language(fake_azure):
    fake_azure.mode = "error"
    with translation.override("es"), pytest.raises(TranslationError) as raised:
        translate(SPANISH, "es", "en")
    assert raised.value.message == (
        "El servicio de traducción no pudo traducir este texto. Inténtalo de nuevo más tarde."
    )


# LibreTranslate ----------------------------------------------------------------------------


def test_libretranslate_request_and_answer(fake_libretranslate):
    assert translate(SPANISH, "es", "en") == ENGLISH

    [request] = fake_libretranslate.requests
    assert request.method == "POST"
    assert request.path == "/translate"
    assert request.query == {}
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "q": SPANISH,
        "source": "es",
        "target": "en",
        "format": "text",
        "api_key": "libre-test-key",
    }


def test_libretranslate_without_key_sends_none(fake_libretranslate, settings):
    fake_libretranslate.key = ""
    settings.TRANSLATOR_KEY = ""
    translate(SPANISH, "es", "en")
    assert "api_key" not in fake_libretranslate.requests[0].json()


def test_libretranslate_url_with_a_path_and_slash(fake_libretranslate, settings):
    settings.TRANSLATOR_URL = fake_libretranslate.url + "/"
    translate(SPANISH, "es", "en")
    assert fake_libretranslate.requests[0].path == "/translate"


def test_libretranslate_bad_key(fake_libretranslate, settings):
    settings.TRANSLATOR_KEY = "wrong"
    with pytest.raises(TranslationError, match="could not translate this text"):
        translate(SPANISH, "es", "en")


def test_libretranslate_server_error(fake_libretranslate):
    fake_libretranslate.mode = "error"
    with pytest.raises(TranslationError, match="could not translate this text"):
        translate(SPANISH, "es", "en")


def test_libretranslate_timeout(fake_libretranslate, settings):
    settings.TRANSLATOR_TIMEOUT = 0.3
    fake_libretranslate.mode = "slow"
    fake_libretranslate.delay = 1.5
    with pytest.raises(TranslationTimeout):
        translate(SPANISH, "es", "en")


@pytest.mark.parametrize("mode", ["garbage", "wrong-shape"])
def test_libretranslate_unreadable_answer(fake_libretranslate, mode):
    fake_libretranslate.mode = mode
    with pytest.raises(TranslationError, match="could not be read"):
        translate(SPANISH, "es", "en")


def test_unreachable_service(settings):
    settings.TRANSLATOR_PROVIDER = "libretranslate"
    settings.TRANSLATOR_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TranslationError, match="could not be reached"):
        translate(SPANISH, "es", "en")


# Caching and configuration -----------------------------------------------------------------


def test_same_text_and_languages_are_translated_once(fake_libretranslate):
    assert translate(SPANISH, "es", "en") == ENGLISH
    assert translate(SPANISH, "es", "en") == ENGLISH
    assert len(fake_libretranslate.requests) == 1

    translate(SPANISH, "es", "fr")
    translate("Otra cosa distinta", "es", "en")
    assert len(fake_libretranslate.requests) == 3


def test_failures_are_not_cached(fake_libretranslate):
    fake_libretranslate.mode = "error"
    with pytest.raises(TranslationError):
        translate(SPANISH, "es", "en")
    fake_libretranslate.mode = "ok"
    assert translate(SPANISH, "es", "en") == ENGLISH
    assert len(fake_libretranslate.requests) == 2


def test_same_language_needs_no_call(fake_libretranslate):
    assert translate("Hello there", "en", "en") == "Hello there"
    assert fake_libretranslate.requests == []


@pytest.mark.parametrize(
    "provider, url, key",
    [("", "", ""), ("azure", "", ""), ("libretranslate", "", "key"), ("deepl", "http://x", "k")],
)
def test_not_configured(settings, provider, url, key):
    settings.TRANSLATOR_PROVIDER = provider
    settings.TRANSLATOR_URL = url
    settings.TRANSLATOR_KEY = key
    assert get_translator() is None
    with pytest.raises(TranslationNotConfigured) as raised:
        translate(SPANISH, "es", "en")
    assert raised.value.status == 503
    assert raised.value.message == "The translation service is not configured."


def test_provider_choice(settings):
    settings.TRANSLATOR_PROVIDER = "azure"
    settings.TRANSLATOR_URL = ""
    settings.TRANSLATOR_KEY = "k"
    translator = get_translator()
    assert isinstance(translator, AzureTranslator)
    assert translator.url == "https://api.cognitive.microsofttranslator.com"
    settings.TRANSLATOR_PROVIDER = "libretranslate"
    settings.TRANSLATOR_URL = "http://libre.internal:5000/"
    assert isinstance(get_translator(), LibreTranslateTranslator)


def test_misconfiguration_shows_in_system_checks(settings):
    settings.TRANSLATOR_PROVIDER = "deepl"
    assert "posts.E001" in {message.id for message in run_checks()}
    settings.TRANSLATOR_PROVIDER = "azure"
    settings.TRANSLATOR_KEY = ""
    assert "posts.W001" in {message.id for message in run_checks()}
    settings.TRANSLATOR_PROVIDER = "libretranslate"
    settings.TRANSLATOR_URL = ""
    assert "posts.W002" in {message.id for message in run_checks()}
