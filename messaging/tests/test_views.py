import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from messaging import services
from messaging.models import Message, Notification, Task

pytestmark = pytest.mark.django_db


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Sending ------------------------------------------------------------------------------------


def test_profile_of_another_user_links_to_send_private_message(signed_in, other):
    page = signed_in.get("/user/john").content.decode()
    assert 'href="/send_message/john"' in page and "Send private message" in page
    assert "Export your posts" not in page


def test_send_message_form(signed_in, other):
    response = signed_in.get("/send_message/john")
    assert response.status_code == 200
    assert "Send Message to john" in response.content.decode()
    assert 'name="message"' in response.content.decode()


def test_sending_a_message_flashes_and_returns_to_the_profile(signed_in, user, other):
    response = signed_in.post("/send_message/JOHN", {"message": "Hi John!"})
    assert response.status_code == 302 and response.url == "/user/john"
    assert flashes(response) == ["Your message has been sent."]
    message = Message.objects.get()
    assert (message.sender, message.recipient, message.body) == (user, other, "Hi John!")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 141, "at most 140"),
    ],
)
def test_bad_messages_keep_the_text_with_an_error(signed_in, other, text, error):
    response = signed_in.post("/send_message/john", {"message": text})
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["message"])
    assert error in response.content.decode()
    if text.strip():
        assert text in response.content.decode()
    assert not Message.objects.exists()


def test_messaging_an_unknown_or_deactivated_user_is_a_404(signed_in, make_user):
    make_user("gone", is_active=False)
    assert signed_in.get("/send_message/nobody").status_code == 404
    assert signed_in.post("/send_message/nobody", {"message": "hi"}).status_code == 404
    assert signed_in.post("/send_message/gone", {"message": "hi"}).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, other):
    for url in ("/send_message/john", "/messages", "/notifications"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/auth/login")
    client.post("/send_message/john", {"message": "hi"})
    assert not Message.objects.exists()


def test_send_message_needs_the_csrf_token(user, other):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/send_message/john", {"message": "hi"}).status_code == 403
    assert not Message.objects.exists()


# Reading ------------------------------------------------------------------------------------


def test_messages_lists_received_messages_newest_first_and_marks_them_read(signed_in, user, other):
    services.send_message(other, user, "older")
    services.send_message(other, user, "newer")
    services.send_message(user, other, "sent by me")
    assert '<span id="message_count" class="badge' in signed_in.get("/").content.decode()
    page = signed_in.get("/messages").content.decode()
    assert page.index(">newer<") < page.index(">older<")  # not "placeholder"
    assert "sent by me" not in page
    assert page.count(">New<") == 2  # shown as new this once
    assert services.unread_message_count(user) == 0
    again = signed_in.get("/messages").content.decode()
    assert ">New<" not in again


def test_nobody_reads_anyone_elses_messages(client, user, other, make_user):
    services.send_message(user, other, "a secret for john")
    maria = make_user("maria")
    client.force_login(maria)
    for url in ("/messages", "/user/john", "/user/susan", "/notifications", "/"):
        assert "a secret for john" not in client.get(url).content.decode()
    assert services.unread_message_count(other) == 1  # maria's look read nothing of john's


def test_messages_are_paginated(signed_in, user, other, settings):
    settings.POSTS_PER_PAGE = 2
    for i in range(5):
        Message.objects.create(sender=other, recipient=user, body=f"message {i}")
    first = signed_in.get("/messages").content.decode()
    assert "message 4" in first and "message 2" not in first and "Older posts" in first
    third = signed_in.get("/messages?page=3").content.decode()
    assert "message 0" in third
    past = signed_in.get("/messages?page=9")
    assert past.status_code == 200 and "Back to the first page" in past.content.decode()
    assert signed_in.get("/messages?page=x").status_code == 200


def test_messages_page_costs_a_constant_number_of_queries(
    signed_in, user, make_user, django_assert_max_num_queries
):
    senders = [make_user(f"sender{i}") for i in range(10)]
    Message.objects.bulk_create(Message(sender=s, recipient=user, body="hi") for s in senders)
    signed_in.get("/messages")  # the session and last_seen settle
    with django_assert_max_num_queries(6):
        response = signed_in.get("/messages")
    page = response.content.decode()
    assert all(f">{sender.username}</a>" in page for sender in senders)


def test_the_badge_shows_the_unread_count_and_hides_at_zero(signed_in, user, other):
    page = signed_in.get("/").content.decode()
    assert (
        '<span id="message_count" class="badge text-bg-danger" title="Unread messages" hidden>0'
        in page
    )
    services.send_message(other, user, "hi")
    services.send_message(other, user, "again")
    page = signed_in.get("/").content.decode()
    assert 'title="Unread messages">2</span>' in page


# Notifications ------------------------------------------------------------------------------


def test_notifications_returns_the_users_notifications_oldest_first(signed_in, user, other):
    Notification.objects.create(user=user, name="b", data={"x": 1}, timestamp=200.5)
    Notification.objects.create(user=user, name="a", data=3, timestamp=100.25)
    Notification.objects.create(user=other, name="theirs", data=9, timestamp=150)
    response = signed_in.get("/notifications")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == [
        {"name": "a", "data": 3, "timestamp": 100.25},
        {"name": "b", "data": {"x": 1}, "timestamp": 200.5},
    ]
    assert [n["name"] for n in signed_in.get("/notifications?since=100.25").json()] == ["b"]
    assert signed_in.get("/notifications?since=200.5").json() == []


def test_a_new_message_reaches_the_poll(signed_in, user, other):
    since = time.time() - 1
    services.send_message(other, user, "hi")
    [found] = signed_in.get(f"/notifications?since={since}").json()
    assert found["name"] == "unread_message_count" and found["data"] == 1


@pytest.mark.parametrize("since", ["yesterday", "", "nan", "inf", "1e999", "0x10", "[1]"])
def test_a_malformed_since_is_a_400(signed_in, since):
    response = signed_in.get("/notifications", {"since": since})
    assert response.status_code == 400
    assert response.json()["error"] == "Bad Request"


def test_notifications_is_get_only(signed_in):
    assert signed_in.post("/notifications").status_code == 405


def test_the_poll_is_one_query_beyond_the_session(signed_in, user, django_assert_num_queries):
    signed_in.get("/notifications")
    with django_assert_num_queries(3):  # session, user, notifications
        signed_in.get("/notifications?since=0")


# Task alerts --------------------------------------------------------------------------------


def test_a_running_task_shows_its_progress_alert_on_every_page(signed_in, user):
    Task.objects.create(
        id="abc-123", name="export_posts", description="Exporting posts…", user=user
    )
    for url in ("/", "/explore", "/user/susan", "/messages"):
        page = signed_in.get(url).content.decode()
        assert 'Exporting posts… <span id="abc-123-progress">0</span>%' in page


def test_a_failure_is_shown_until_dismissed_then_gone(signed_in, user):
    Task.objects.create(id="x", name="export_posts", user=user, complete=True, failed=True)
    for url in ("/", "/explore"):
        page = signed_in.get(url).content.decode()
        assert "could not be exported" in page
        assert '<input type="hidden" name="task_id" value="x">' in page
    response = signed_in.post("/tasks/dismiss", {"task_id": "x", "next": "/explore"})
    assert response.status_code == 302 and response.url == "/explore"
    assert "could not be exported" not in signed_in.get("/").content.decode()


def test_dismiss_goes_back_only_to_this_site(signed_in, user):
    Task.objects.create(id="x", name="export_posts", user=user, complete=True, failed=True)
    response = signed_in.post("/tasks/dismiss", {"task_id": "x", "next": "https://evil.test/"})
    assert response.status_code == 302 and response.url == "/"


def test_dismiss_is_a_post_with_the_csrf_token(user, signed_in):
    Task.objects.create(id="x", name="export_posts", user=user, complete=True, failed=True)
    assert signed_in.get("/tasks/dismiss").status_code == 405
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/tasks/dismiss", {"task_id": "x"}).status_code == 403
    assert not Task.objects.get().failure_reported


def test_a_task_past_the_timeout_shows_as_failed_without_being_written(signed_in, user, settings):
    task = Task.objects.create(id="dead", name="export_posts", user=user)
    long_ago = timezone.now() - timedelta(seconds=settings.TASK_TIMEOUT + 1)
    Task.objects.filter(pk=task.pk).update(created=long_ago)
    page = signed_in.get("/").content.decode()
    assert 'id="dead-failed"' in page and "dead-progress" not in page
    assert not Task.objects.get().complete


def test_other_users_tasks_are_not_shown(signed_in, other):
    Task.objects.create(
        id="theirs", name="export_posts", description="Exporting posts…", user=other
    )
    assert "theirs-progress" not in signed_in.get("/").content.decode()


def test_anonymous_pages_have_no_badge_alerts_or_polling(client):
    page = client.get("/auth/login").content.decode()
    assert "message_count" not in page and "notifications.js" not in page


def test_pages_still_render_when_the_badge_and_alerts_cannot_be_read(signed_in, monkeypatch):
    def down(user):
        raise DatabaseError("the database is unreachable")

    monkeypatch.setattr(services, "unread_message_count", down)
    monkeypatch.setattr(services, "tasks_to_show", down)
    response = signed_in.get("/explore")
    assert response.status_code == 200
    assert 'id="message_count"' in response.content.decode()
