import pytest

from posts.services import create_post

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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit index updates of the block, as a committed request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def write(search_index, committed, user):
    """write("body", author=...) creates a post the way the site does, index included."""

    def write_post(body, author=None):
        with committed():
            return create_post(author or user, body)

    return write_post
