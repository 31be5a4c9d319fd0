from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import Token

from .conftest import assert_envelope, basic

pytestmark = pytest.mark.django_db


def test_basic_credentials_give_a_token_that_works_as_bearer(api, user):
    response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan"))
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40
    me = api.get(f"/api/users/{user.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["email"] == "susan@example.com"


def test_username_in_basic_credentials_is_case_insensitive(api, user):
    assert api.post("/api/tokens", HTTP_AUTHORIZATION=basic("SUSAN")).status_code == 200


def test_each_post_issues_a_fresh_token_and_only_a_digest_is_stored(api, user):
    first = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan")).json()["token"]
    second = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan")).json()["token"]
    assert first != second
    stored = list(Token.objects.values_list("selector", "digest"))
    assert len(stored) == 2
    for selector, digest in stored:
        assert len(digest) == 64
        for token in (first, second):
            assert digest not in token and token[len(selector) :] not in digest
    for token in (first, second):  # both stay valid until they expire or are revoked
        assert api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_token_lasts_one_hour(api, user):
    api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan"))
    token = Token.objects.get()
    assert token.expires - token.created == timedelta(hours=1)


def test_no_credentials_is_401_with_basic_challenge(api, user):
    response = api.post("/api/tokens")
    assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_wrong_password_is_401(api, user):
    response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan", "wrong"))
    assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"].startswith("Basic")
    assert not Token.objects.exists()


def test_unknown_user_is_401(api, db):
    assert_envelope(
        api.post("/api/tokens", HTTP_AUTHORIZATION=basic("nobody")), 401, "Unauthorized"
    )


def test_malformed_basic_header_is_401(api, user):
    response = api.post("/api/tokens", HTTP_AUTHORIZATION="Basic not-base64!")
    assert_envelope(response, 401, "Unauthorized")


def test_bearer_token_cannot_get_another_token(api, user, bearer):
    response = api.post("/api/tokens", HTTP_AUTHORIZATION=bearer(user))
    assert_envelope(response, 401, "Unauthorized")


def test_deactivated_user_gets_no_token(api, make_user):
    make_user("gone", is_active=False)
    assert_envelope(api.post("/api/tokens", HTTP_AUTHORIZATION=basic("gone")), 401, "Unauthorized")


def test_delete_revokes_the_token_it_is_called_with(api, user, token_for):
    token, other = token_for(user), token_for(user)
    response = api.delete("/api/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 204
    assert response.content == b""
    refused = api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_envelope(refused, 401, "Unauthorized")
    assert refused["WWW-Authenticate"] == 'Bearer realm="api"'
    again = api.delete("/api/tokens", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_envelope(again, 401, "Unauthorized")
    assert api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_delete_without_token_is_401(api, user):
    response = api.delete("/api/tokens")
    assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_expired_token_is_refused(api, user, token_for):
    token = token_for(user)
    Token.objects.update(expires=timezone.now() - timedelta(seconds=1))
    body = assert_envelope(
        api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "Unauthorized"
    )
    assert "expired" in body["message"]


def test_expired_tokens_are_tidied_when_a_new_one_is_issued(api, user, token_for):
    token_for(user)
    Token.objects.update(expires=timezone.now() - timedelta(seconds=1))
    api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan"))
    assert Token.objects.count() == 1


def test_deactivated_users_token_stops_at_once(api, user, token_for):
    token = token_for(user)
    assert api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    user.is_active = False
    user.save()
    assert_envelope(
        api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "Unauthorized"
    )


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer short",
        "Bearer " + "x" * 55,
        "Bearer ünïcode-token-ünïcode-token-ünïcode-token",
    ],
)
def test_bad_bearer_tokens_are_401(api, user, header):
    response = api.get("/api/users", HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_tampered_secret_is_refused(api, user, token_for):
    token = token_for(user)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert_envelope(
        api.get("/api/users", HTTP_AUTHORIZATION=f"Bearer {tampered}"), 401, "Unauthorized"
    )


def test_missing_token_is_401_with_bearer_challenge(api, user):
    response = api.get("/api/users")
    body = assert_envelope(response, 401, "Unauthorized")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "credentials" in body["message"]


def test_token_clients_need_no_session_or_csrf(api, user, bearer):
    """The client enforces CSRF checks and has no cookies: the token alone is enough."""
    response = api.post(
        "/api/posts", {"body": "hello"}, format="json", HTTP_AUTHORIZATION=bearer(user)
    )
    assert response.status_code == 201
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    revoke = api.delete("/api/tokens", HTTP_AUTHORIZATION=bearer(user))
    assert revoke.status_code == 204


def test_token_use_keeps_last_seen_current(api, user, bearer):
    old = timezone.now() - timedelta(days=2)
    type(user).objects.filter(pk=user.pk).update(last_seen=old)
    api.get("/api/users", HTTP_AUTHORIZATION=bearer(user))
    user.refresh_from_db()
    assert user.last_seen > old


def test_password_attempts_are_throttled_per_client(api, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "credentials": "3/minute",
        },
    }
    for _ in range(3):
        response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan", "guess"))
        assert response.status_code == 401
    response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan"))
    assert_envelope(response, 429, "Too Many Requests")
    assert int(response["Retry-After"]) > 0


def test_moderators_see_and_revoke_tokens_in_the_admin(client, make_user, token_for):
    admin_user = make_user("admin", is_staff=True, is_superuser=True)
    token = token_for(make_user("john"))
    client.force_login(admin_user)
    listing = client.get("/admin/api/token/")
    assert listing.status_code == 200
    assert "john" in listing.content.decode()
    assert token not in listing.content.decode()
    assert client.get("/admin/api/token/add/").status_code == 403
    stored = Token.objects.get()
    client.post(f"/admin/api/token/{stored.pk}/delete/", {"post": "yes"})
    assert not Token.objects.exists()


def test_clear_expired_tokens_command(user, token_for):
    from io import StringIO

    from django.core.management import call_command

    token_for(user)
    live = token_for(user)
    Token.objects.exclude(pk=Token.objects.authenticate(live).pk).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()
    call_command("clear_expired_tokens", stdout=out)
    assert "Deleted 1 expired" in out.getvalue()
    assert Token.objects.authenticate(live) is not None
