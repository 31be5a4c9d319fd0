import pytest

from .fake_translators import FakeAzure, FakeLibreTranslate


@pytest.fixture
def fake_azure(settings):
    """A fake Azure Translator on 127.0.0.1, and the settings that point at it."""
    with FakeAzure(key="azure-test-key") as fake:
        settings.TRANSLATOR_PROVIDER = "azure"
        settings.TRANSLATOR_URL = fake.url
        settings.TRANSLATOR_KEY = fake.key
        settings.TRANSLATOR_REGION = "westeurope"
        settings.TRANSLATOR_TIMEOUT = 1.0
        yield fake


@pytest.fixture
def fake_libretranslate(settings):
    """A fake LibreTranslate server on 127.0.0.1, and the settings that point at it."""
    with FakeLibreTranslate(key="libre-test-key") as fake:
        settings.TRANSLATOR_PROVIDER = "libretranslate"
        settings.TRANSLATOR_URL = fake.url
        settings.TRANSLATOR_KEY = fake.key
        settings.TRANSLATOR_REGION = ""
        settings.TRANSLATOR_TIMEOUT = 1.0
        yield fake
