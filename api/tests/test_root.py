import pytest

from .conftest import assert_envelope

pytestmark = pytest.mark.django_db


def test_root_links_to_the_collections(as_user, user):
    response = as_user(user).get("/api/")
    assert response.status_code == 200
    assert response.json()["_links"] == {
        "users": "http://testserver/api/users",
        "posts": "http://testserver/api/posts",
        "timeline": "http://testserver/api/timeline",
        "tokens": "http://testserver/api/tokens",
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
    }


def test_root_needs_a_token(api, db):
    response = api.get("/api/")
    assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_schema_and_docs_are_public(api, db):
    assert api.get("/api/schema/").status_code == 200
    assert api.get("/api/docs/").status_code == 200
