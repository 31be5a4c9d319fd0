"""Failed sign-ins lock an account (and a client address) out for a while, with a clear
message that is the same whether or not the account exists; password reset requests are
limited per email address and per client address, with the usual answer."""

import time

import pytest
from django.core import mail

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 5
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 20
    settings.SIGN_IN_LOCKOUT_SECONDS = 900


def sign_in(client, username, password, path="/auth/login", address="127.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", **kwargs)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    return response


def later(monkeypatch, seconds):
    now = time.time()
    monkeypatch.setattr("microblog.ratelimit.time.time", lambda: now + seconds)


def test_failed_sign_ins_lock_the_account_even_for_the_right_password(client, user):
    assert LOCKED not in fail(client, "susan", 4).content.decode()
    assert LOCKED in fail(client, "susan", 1).content.decode()
    response = sign_in(client, "SUSAN", PASSWORD)  # any letter case counts as the account
    assert LOCKED in response.content.decode()
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_out_ends_by_itself(client, user, monkeypatch):
    fail(client, "susan", 5)
    later(monkeypatch, 14 * 60)
    assert "try again in 1 minute." in sign_in(client, "susan", PASSWORD).content.decode()
    later(monkeypatch, 15 * 60 + 1)
    response = sign_in(client, "susan", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_lock_out_does_not_reveal_whether_the_account_exists(client, user):
    existing = fail(client, "susan", 5)
    missing = fail(client, "nobody", 5)
    assert LOCKED in missing.content.decode()
    assert existing.status_code == missing.status_code
    assert existing.context["form"].errors == missing.context["form"].errors


def test_failures_from_one_address_lock_it_out_for_every_account(client, make_user, settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 6
    make_user("emile")
    for name in ("a1", "a2", "a3"):
        fail(client, name, 2, address="10.0.0.9")
    response = sign_in(client, "emile", PASSWORD, address="10.0.0.9")
    assert LOCKED in response.content.decode()
    # Another address signs in as usual.
    assert sign_in(client, "emile", PASSWORD, address="10.0.0.10").status_code == 302


def test_the_admin_login_is_locked_out_too(client, make_user):
    make_user("boss", is_staff=True, is_superuser=True)
    fail(client, "boss", 5, path="/admin/login/")
    response = sign_in(client, "boss", PASSWORD, path="/admin/login/")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_gets_no_api_token(client, user):
    from rest_framework.test import APIClient

    from api.tests.conftest import basic

    fail(client, "susan", 5)
    api = APIClient()
    response = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan"))
    assert response.status_code == 401


def test_a_huge_username_is_a_form_error_not_a_500(client, user):
    response = sign_in(client, "s" * 60_000, PASSWORD)
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    response = sign_in(client, "susan", "p" * 60_000)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Password reset ---------------------------------------------------------------------------

RESET = "/auth/reset_password_request"
ANSWER = "Check your email for the instructions to reset your password"


def ask_reset(client, email, address="127.0.0.1"):
    response = client.post(RESET, {"email": email}, REMOTE_ADDR=address, follow=True)
    assert response.status_code == 200
    assert ANSWER in response.content.decode()
    return response


# The email goes out once the request's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_password_reset_requests_are_limited_per_email_address(client, user, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 3
    for number in range(6):
        ask_reset(client, "SUSAN@example.com", address=f"10.0.0.{number}")
    assert len(mail.outbox) == 3
    assert all(message.to == ["susan@example.com"] for message in mail.outbox)


# The email goes out once the request's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_password_reset_requests_are_limited_per_client(client, make_user, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 4
    for number in range(8):
        make_user(f"user{number}")
        ask_reset(client, f"user{number}@example.com")
    assert len(mail.outbox) == 4
    ask_reset(client, "user7@example.com", address="10.1.1.1")
    assert len(mail.outbox) == 5


# The email goes out once the request's transaction commits.
@pytest.mark.django_db(transaction=True)
def test_the_reset_limit_ends_by_itself(client, user, settings, monkeypatch):
    settings.PASSWORD_RESET_PER_EMAIL = 1
    ask_reset(client, "susan@example.com")
    ask_reset(client, "susan@example.com")
    assert len(mail.outbox) == 1
    later(monkeypatch, 3601)
    ask_reset(client, "susan@example.com")
    assert len(mail.outbox) == 2
