"""The error envelope for every refusal, throttling, and the site's JSON 404/500."""

import pytest
from rest_framework.test import APIClient

from posts.models import Post

from .conftest import assert_envelope, basic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["*/*", "text/html", "application/json"])
@pytest.mark.parametrize("url", ["/api/nothing-here", "/api/users/", "/api/users/1/friends"])
def test_unknown_api_addresses_are_404_in_the_envelope(api, db, url, accept):
    response = api.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 404
    if accept != "text/html":
        assert_envelope(response, 404, "Not Found")


@pytest.mark.parametrize("url", ["/api/schema", "/api/docs", "/api/redoc"])
def test_documentation_addresses_without_a_slash_redirect(api, db, url):
    response = api.get(url + "?format=json")
    assert response.status_code == 301
    assert response["Location"] == url + "/?format=json"


def test_only_reads_are_redirected_to_the_slashed_address(api, db):
    assert_envelope(api.post("/api/schema"), 404, "Not Found")


def test_site_404_answers_json_when_json_is_preferred(client, db):
    response = client.get("/no/such/page", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "File Not Found"}


def test_unsupported_accept_is_406(as_user, user):
    response = as_user(user).get("/api/users", HTTP_ACCEPT="application/xml")
    assert_envelope(response, 406, "Not Acceptable")


def test_unexpected_error_is_500_in_the_envelope_and_rolls_back(as_user, user, monkeypatch):
    def broken(author, body):
        Post.objects.create(author=author, body=body)
        raise RuntimeError("boom")

    monkeypatch.setattr("api.serializers.create_post", broken)
    response = as_user(user).post("/api/posts", {"body": "lost"}, format="json")
    body = assert_envelope(response, 500, "Internal Server Error")
    assert "boom" not in body["message"]
    assert not Post.objects.exists()


def test_unexpected_error_on_a_read_is_500_in_the_envelope(as_user, user, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.views.Timeline.get_queryset", broken)
    assert_envelope(as_user(user).get("/api/timeline"), 500, "Internal Server Error")


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def test_anonymous_clients_are_throttled(api, db, settings):
    _rates(settings, anon="2/minute")
    for number in range(2):
        data = {"username": f"u{number}", "email": f"u{number}@example.com", "password": "x"}
        assert api.post("/api/users", data, format="json").status_code == 400
    response = api.post("/api/users", {}, format="json")
    body = assert_envelope(response, 429, "Too Many Requests")
    assert "throttled" in body["message"]
    assert int(response["Retry-After"]) > 0


def test_token_clients_are_throttled_per_user(as_user, make_user, settings, bearer):
    _rates(settings, user="3/minute")
    susan, john = make_user("susan"), make_user("john")
    client = as_user(susan)
    for _ in range(3):
        assert client.get("/api/timeline").status_code == 200
    response = client.get("/api/timeline")
    assert_envelope(response, 429, "Too Many Requests")
    assert int(response["Retry-After"]) > 0
    # another user, from the same address, still has their own allowance
    other = APIClient().get("/api/timeline", HTTP_AUTHORIZATION=bearer(john))
    assert other.status_code == 200


def test_throttled_token_request_still_counts_toward_credentials(api, user, settings):
    _rates(settings, credentials="1/minute")
    assert api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan")).status_code == 200
    assert_envelope(
        api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan")), 429, "Too Many Requests"
    )


def test_a_forged_forwarded_for_header_does_not_escape_throttling(api, user, settings):
    _rates(settings, credentials="2/minute")
    for number in range(2):
        api.post(
            "/api/tokens",
            HTTP_AUTHORIZATION=basic("susan", "guess"),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    response = api.post(
        "/api/tokens", HTTP_AUTHORIZATION=basic("susan"), HTTP_X_FORWARDED_FOR="10.0.0.99"
    )
    assert_envelope(response, 429, "Too Many Requests")
