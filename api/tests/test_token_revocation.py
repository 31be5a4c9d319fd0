"""A new password ends the API tokens issued before it: reset by email, or changed anywhere."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from api.models import Token
from api.tests.conftest import basic

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


def timeline(api, token):
    return api.get("/api/timeline", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


@pytest.mark.django_db(transaction=True)  # the reset email goes out on commit
def test_a_password_reset_revokes_the_users_tokens(api, client, user, token_for, make_user):
    token, others = token_for(user), token_for(make_user("john"))
    client.post("/auth/reset_password_request", {"email": user.email})
    link = re.search(r"http://testserver(/auth/reset_password/\S+)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert timeline(api, token) == 401
    assert timeline(api, others) == 200  # other users keep theirs
    assert not Token.objects.filter(user=user).exists()


def test_a_password_change_anywhere_revokes_them(api, user, token_for, monkeypatch):
    first, second = token_for(user), token_for(user)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "susan", stdout=io.StringIO())
    assert (timeline(api, first), timeline(api, second)) == (401, 401)
    fresh = api.post("/api/tokens", HTTP_AUTHORIZATION=basic("susan", NEW_PASSWORD))
    assert timeline(api, fresh.json()["token"]) == 200


def test_other_changes_to_the_user_keep_the_tokens(api, user, token_for):
    token = token_for(user)
    user.about_me = "Still me"
    user.save()
    assert timeline(api, token) == 200
