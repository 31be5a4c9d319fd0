import base64

import pytest
from rest_framework.test import APIClient

from api.models import Token
from conftest import PASSWORD


@pytest.fixture
def api():
    """An API client that sends JSON, with no session and with CSRF checks enforced."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def token_for(db):
    def issue(user):
        return Token.objects.issue(user)[1]

    return issue


@pytest.fixture
def bearer(token_for):
    """bearer(user) -> the Authorization header value of a fresh token for `user`."""

    def header(user):
        return f"Bearer {token_for(user)}"

    return header


@pytest.fixture
def as_user(api, bearer):
    """as_user(user) -> the API client, sending a fresh Bearer token for `user`."""

    def authenticate(user):
        api.credentials(HTTP_AUTHORIZATION=bearer(user))
        return api

    return authenticate


def basic(username, password=PASSWORD):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def assert_envelope(response, status, error):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    return body
