import time

import pytest
from django.db import IntegrityError, connection

from messaging.models import Message, Notification, Task

pytestmark = pytest.mark.django_db


def test_inbox_is_the_recipients_messages_newest_first(user, other, make_user):
    third = make_user("maria")
    first = Message.objects.create(sender=other, recipient=user, body="first")
    second = Message.objects.create(sender=third, recipient=user, body="second")
    Message.objects.create(sender=user, recipient=other, body="sent, not received")
    assert list(Message.objects.received_by(user)) == [second, first]


def test_unread_is_messages_never_read(user, other):
    unread = Message.objects.create(sender=other, recipient=user, body="new")
    Message.objects.create(sender=other, recipient=user, body="old", read_at="2020-01-01T00:00Z")
    assert list(Message.objects.unread()) == [unread]
    assert unread.is_unread


def test_notify_keeps_one_notification_per_name_the_newest(user):
    Notification.objects.notify(user, "unread_message_count", 1)
    time.sleep(0.01)
    newest = Notification.objects.notify(user, "unread_message_count", 2)
    assert list(Notification.objects.filter(user=user)) == [newest]
    assert newest.data == 2


def test_the_database_refuses_two_notifications_of_one_name(user):
    Notification.objects.create(user=user, name="unread_message_count", data=1)
    with pytest.raises(IntegrityError):
        Notification.objects.create(user=user, name="unread_message_count", data=2)


def test_for_user_since_is_newer_ones_oldest_first_of_that_user(user, other):
    Notification.objects.create(user=user, name="old", timestamp=100.0)
    b = Notification.objects.create(user=user, name="b", timestamp=300.0)
    a = Notification.objects.create(user=user, name="a", timestamp=200.0)
    Notification.objects.create(user=other, name="theirs", timestamp=400.0)
    assert list(Notification.objects.for_user_since(user, 150)) == [a, b]
    assert a.as_json() == {"name": "a", "data": {}, "timestamp": 200.0}


def _plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # tiny test tables: force the choice
    return queryset.explain()


def test_the_poll_uses_its_index(user):
    assert "notification_poll" in _plan(Notification.objects.for_user_since(user, 0))


def test_the_poll_reads_whole_notifications(user, other, django_assert_num_queries):
    Notification.objects.create(user=user, name="progress", data={"percent": [1, 2.5]})
    Notification.objects.create(user=other, name="progress", data=7)
    with django_assert_num_queries(1):
        [found] = Notification.objects.for_user_since(user, 0)
        assert (found.user_id, found.name, found.data) == (
            user.pk,
            "progress",
            {"percent": [1, 2.5]},
        )
        assert found.as_json()["timestamp"] == found.timestamp > 0


def test_the_badge_count_uses_the_unread_index(user):
    assert "message_unread" in _plan(Message.objects.filter(recipient=user).unread())


def test_one_running_task_of_a_kind_per_user(user):
    Task.objects.create(id="a", name="export_posts", user=user)
    Task.objects.create(id="b", name="export_posts", user=user, complete=True)
    with pytest.raises(IntegrityError):
        Task.objects.create(id="c", name="export_posts", user=user)


def test_a_failed_task_is_complete_and_tells_the_users_pages(user):
    task = Task.objects.create(id="t1", name="export_posts", description="Exporting", user=user)
    task.fail()
    task.refresh_from_db()
    assert task.complete and task.failed
    notification = Notification.objects.get(user=user, name="task_progress")
    assert notification.data == {
        "task_id": "t1",
        "name": "export_posts",
        "description": "Exporting",
        "progress": 100,
        "failed": True,
    }
    assert "could not be exported" in str(task.failure_message)
