import pytest
from haystack import connections


@pytest.fixture
def search_index(settings):
    """An empty search index, written in-process (as with no REDIS_URL) when posts change."""
    settings.REDIS_URL = ""
    backend = connections["default"].get_backend()
    backend.clear()
    return backend
