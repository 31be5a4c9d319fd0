import pytest


@pytest.fixture
def other(make_user):
    return make_user("john")
