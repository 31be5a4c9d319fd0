"""The OpenAPI document is valid, lists every endpoint, and its docs use our static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern
from drf_spectacular.validation import validate_schema

from api import urls as api_urls

pytestmark = pytest.mark.django_db

UNDOCUMENTED = {"schema", "docs", "redoc", "not-found"}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _endpoints():
    """(OpenAPI path, method) for every route and handler in api/urls.py."""
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in UNDOCUMENTED:
            continue
        route = "/api/" + re.sub(r"<int:(\w+)>", "{id}", str(pattern.pattern))
        view = pattern.callback.view_class
        for method in view.http_method_names:
            if method not in ("head", "options") and hasattr(view, method):
                yield route, method


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema


def test_schema_lists_every_endpoint(schema):
    expected = set(_endpoints())
    assert ("/api/users", "post") in expected and ("/api/tokens", "delete") in expected
    assert len(expected) == 16
    documented = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert expected == documented


def test_schema_documents_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/tokens, valid for one hour.",
    }
    assert schemes["basicAuth"]["scheme"] == "basic"
    assert schema["paths"]["/api/tokens"]["post"]["security"] == [{"basicAuth": []}]
    assert {} in schema["paths"]["/api/users"]["post"]["security"]


def test_schema_documents_the_collection_envelope(schema):
    listing = schema["paths"]["/api/users"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"page", "per_page"} <= names
    ref = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(envelope["properties"]) == {"items", "_meta", "_links"}


@pytest.mark.parametrize(
    ("url", "asset"),
    [
        ("/api/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_interactive_docs_come_from_our_static_files(client, url, asset):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/{asset}" in html
    assert "cdn." not in html and "unpkg" not in html
    assert "<script>" not in html  # no inline script, so a strict CSP can be added later
    assert finders.find(asset), asset


def test_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    assert "/api/users/{id}/followers" in output.read_text()


def test_schema_documents_the_error_envelope(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error", "message"]
    detail = schema["paths"]["/api/users/{id}"]
    assert {"401", "404", "429"} <= set(detail["get"]["responses"])
    assert {"400", "401", "403", "404", "429"} <= set(detail["put"]["responses"])
    register = schema["paths"]["/api/users"]["post"]["responses"]
    assert "400" in register and "401" not in register


def test_schema_documents_media(schema):
    upload = schema["paths"]["/api/media"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    ref = upload["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    media = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(media["properties"]) == {"id", "url", "preview_url", "width", "height", "alt_text"}
    post = schema["components"]["schemas"]["Post"]["properties"]
    assert post["media"]["type"] == "array"
    assert post["media_ids"]["writeOnly"] is True
    assert post["media_ids"]["items"]["type"] == "integer"
