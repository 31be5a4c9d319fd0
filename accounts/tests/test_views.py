import re

import pytest
from django.urls import reverse
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue, SimpleWorker

from accounts.models import User
from conftest import PASSWORD
from microblog.jobs import wait_for_jobs

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "newbie",
    "email": "newbie@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


# Registration -------------------------------------------------------------------------------


def test_register_creates_a_user_and_sends_to_login(client):
    response = client.post("/auth/register", GOOD, follow=True)
    assert response.redirect_chain[-1][0] == "/auth/login"
    assert "Congratulations, you are now a registered user!" in response.content.decode()
    user = User.objects.get(username="newbie")
    assert user.check_password(GOOD["password1"])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "SUSAN"}, "username", "Please use a different username."),
        ({"email": "SUSAN@example.com"}, "email", "Please use a different email address."),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password2": "something-else-entirely"}, "password2", "didn’t match"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"username": ""}, "username", "required"),
    ],
)
def test_register_refuses_bad_input_with_field_errors(client, user, changes, field, message):
    response = client.post("/auth/register", {**GOOD, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(email__iexact=GOOD["email"]).exclude(pk=user.pk).exists()
    # what was typed stays in the form (passwords excepted)
    if changes.get("username", GOOD["username"]):
        typed = changes.get("username", GOOD["username"])
        assert f'value="{typed}"' in response.content.decode()


# Login and logout ---------------------------------------------------------------------------


def test_login_with_remember_me_keeps_the_session(client, user):
    response = client.post(
        "/auth/login", {"username": "susan", "password": PASSWORD, "remember_me": "on"}
    )
    assert response.status_code == 302
    assert response.url == reverse("posts:index")
    assert client.session.get_expire_at_browser_close() is False


def test_login_without_remember_me_ends_with_the_browser(client, user):
    client.post("/auth/login", {"username": "susan", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close() is True


def test_login_is_case_insensitive_for_the_username(client, user):
    response = client.post("/auth/login", {"username": "SuSaN", "password": PASSWORD})
    assert response.status_code == 302


def test_login_with_a_wrong_password_shows_an_error(client, user):
    response = client.post("/auth/login", {"username": "susan", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, make_user):
    make_user("gone", is_active=False)
    response = client.post("/auth/login", {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_follows_a_same_site_next(client, user):
    response = client.post(
        "/auth/login?next=/explore", {"username": "susan", "password": PASSWORD, "next": "/explore"}
    )
    assert response.url == "/explore"


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/", "http:///evil.example.com"]
)
def test_login_refuses_an_open_redirect(client, user, target):
    response = client.post(
        "/auth/login", {"username": "susan", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("posts:index")


def test_logout_is_post_only(signed_in):
    assert signed_in.get("/auth/logout").status_code == 405
    assert "_auth_user_id" in signed_in.session
    response = signed_in.post("/auth/logout")
    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


@pytest.mark.parametrize("path", ["/", "/index", "/explore", "/edit_profile", "/user/susan"])
def test_login_required_pages_redirect_anonymous_visitors(client, user, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/auth/login?next={path}"


# Password reset -----------------------------------------------------------------------------


# The reset email is queued once the request's transaction commits: these tests commit.
RESET_EMAIL_SENT = pytest.mark.django_db(transaction=True)


def _reset_link(mail):
    match = re.search(r"http://testserver(/auth/reset_password/\S+)", mail.body)
    assert match, mail.body
    return match.group(1)


@RESET_EMAIL_SENT
def test_reset_request_sends_text_and_html_email(client, user, mailoutbox):
    response = client.post(
        "/auth/reset_password_request", {"email": "SUSAN@example.com"}, follow=True
    )
    assert "Check your email" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["susan@example.com"]
    assert mail.subject == "[Microblog] Reset Your Password"
    assert "Dear susan" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert _reset_link(mail) in html


@RESET_EMAIL_SENT
def test_reset_request_answers_the_same_for_an_unknown_address(client, user, mailoutbox):
    known = client.post("/auth/reset_password_request", {"email": "susan@example.com"}, follow=True)
    unknown = client.post(
        "/auth/reset_password_request", {"email": "nobody@example.com"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain
    assert "Check your email" in unknown.content.decode()
    assert len(mailoutbox) == 1


@RESET_EMAIL_SENT
def test_reset_link_sets_a_new_password_once(client, user, mailoutbox):
    client.post("/auth/reset_password_request", {"email": "susan@example.com"})
    link = _reset_link(mailoutbox[0])
    form_url = client.get(link).url  # Django swaps the token for a session marker
    new = "another-long-passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert "Your password has been reset." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    # the link is single-use
    again = client.get(link, follow=True)
    assert "invalid or has already been used" in again.content.decode()


@RESET_EMAIL_SENT
def test_reset_link_expires(client, user, mailoutbox, settings):
    client.post("/auth/reset_password_request", {"email": "susan@example.com"})
    link = _reset_link(mailoutbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(link, follow=True)
    assert "invalid or has already been used" in response.content.decode()


@RESET_EMAIL_SENT
def test_reset_with_mismatched_passwords_keeps_the_old_one(client, user, mailoutbox):
    client.post("/auth/reset_password_request", {"email": "susan@example.com"})
    form_url = client.get(_reset_link(mailoutbox[0])).url
    response = client.post(
        form_url, {"new_password1": "one-long-passphrase", "new_password2": "two"}
    )
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode().replace("&#x27;", "'")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@RESET_EMAIL_SENT
def test_reset_email_is_queued_for_a_worker_when_redis_is_configured(
    client, user, fake_queue, mailoutbox
):
    client.post("/auth/reset_password_request", {"email": user.email})
    assert mailoutbox == [] and fake_queue.count == 1
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert len(mailoutbox) == 1 and mailoutbox[0].alternatives[0][1] == "text/html"


@RESET_EMAIL_SENT
def test_reset_email_is_not_lost_when_redis_is_down(
    client, user, settings, monkeypatch, mailoutbox
):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)
    response = client.post("/auth/reset_password_request", {"email": user.email}, follow=True)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert wait_for_jobs(30)
    assert [m.to for m in mailoutbox] == [["susan@example.com"]]


# Edit profile -------------------------------------------------------------------------------


def test_edit_profile_saves_changes(signed_in, user):
    response = signed_in.post(
        "/edit_profile", {"username": "susan2", "about_me": "Hello there"}, follow=True
    )
    assert "Your changes have been saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.username, user.about_me) == ("susan2", "Hello there")


def test_edit_profile_keeps_own_username(signed_in, user):
    response = signed_in.post("/edit_profile", {"username": "Susan", "about_me": ""})
    assert response.status_code == 302


def test_edit_profile_refuses_a_taken_username(signed_in, user, make_user):
    make_user("john")
    response = signed_in.post("/edit_profile", {"username": "JOHN", "about_me": "kept"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Please use a different username."]
    assert "Please use a different username." in response.content.decode()
    assert "_ci_unique" not in response.content.decode()
    assert "kept" in response.content.decode()
    user.refresh_from_db()
    assert user.username == "susan"


def test_edit_profile_refuses_an_over_long_about_me(signed_in, user):
    response = signed_in.post("/edit_profile", {"username": "susan", "about_me": "x" * 141})
    assert response.status_code == 200
    assert "at most 140 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.about_me == ""


def test_a_request_updates_last_seen_once_a_minute(signed_in, user):
    from datetime import timedelta

    from django.utils import timezone

    User.objects.filter(pk=user.pk).update(last_seen=timezone.now() - timedelta(hours=1))
    signed_in.get("/user/susan")
    user.refresh_from_db()
    assert timezone.now() - user.last_seen < timedelta(seconds=10)
