import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue
from rq.job import JobStatus

from messaging import services
from messaging.models import Message, Notification, Task

pytestmark = pytest.mark.django_db


def notification(user, name):
    return Notification.objects.get(user=user, name=name).data


def old_task(user, age, **fields):
    task = Task.objects.create(
        id=fields.pop("id", "t-old"),
        name=fields.pop("name", "export_posts"),
        description="Exporting posts…",
        user=user,
        **fields,
    )
    Task.objects.filter(pk=task.pk).update(created=timezone.now() - age)
    return task


# Messages -----------------------------------------------------------------------------------


def test_send_message_stores_it_and_updates_the_recipients_badge(user, other):
    services.send_message(other, user, "  hello  ")
    services.send_message(other, user, "again")
    assert Message.objects.filter(recipient=user).count() == 2
    assert Message.objects.get(body="hello").sender == other
    assert services.unread_message_count(user) == 2
    assert notification(user, "unread_message_count") == 2
    assert not Notification.objects.filter(user=other).exists()


def test_reading_the_inbox_resets_the_count_and_the_badge(user, other):
    services.send_message(other, user, "hello")
    services.send_message(user, other, "mine to them")
    services.mark_messages_read(user)
    assert services.unread_message_count(user) == 0
    assert notification(user, "unread_message_count") == 0
    assert services.unread_message_count(other) == 1  # their inbox is theirs


# Tasks: pages only read them ----------------------------------------------------------------


def test_tasks_to_show_reads_progress_from_the_tasks_notification(user, other):
    task = old_task(user, timedelta(seconds=5))
    task.notify_progress(40)
    old_task(other, timedelta(seconds=5), id="theirs").notify_progress(70)
    [shown] = services.tasks_to_show(user)
    assert (shown.pk, shown.progress, shown.shows_as_failed) == (task.pk, 40, False)


def test_tasks_to_show_writes_nothing_even_for_a_dead_task(
    user, settings, django_assert_num_queries
):
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    Task.objects.create(id="done", name="export_posts", user=user, complete=True, failed=True)
    with django_assert_num_queries(2) as queries:  # the tasks, their progress: two SELECTs
        shown = services.tasks_to_show(user)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert [(t.pk, t.shows_as_failed) for t in shown] == [("t-old", True), ("done", True)]
    assert not Task.objects.get(pk="t-old").failed  # shown as failed, not yet written


def test_a_dismissed_failure_is_not_shown_again(user):
    Task.objects.create(id="x", name="export_posts", user=user, complete=True, failed=True)
    assert [t.pk for t in services.tasks_to_show(user)] == ["x"]
    assert [t.pk for t in services.tasks_to_show(user)] == ["x"]  # reading changes nothing
    services.dismiss_task(user=user, task_id="x")
    assert services.tasks_to_show(user) == []


def test_dismissing_a_timed_out_task_fails_it(user, settings):
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    services.dismiss_task(user=user, task_id="t-old")
    task = Task.objects.get()
    assert task.complete and task.failed and task.failure_reported
    assert notification(user, "task_progress")["failed"] is True


def test_nobody_dismisses_another_users_task_nor_a_running_one(user, other):
    Task.objects.create(id="theirs", name="export_posts", user=other, complete=True, failed=True)
    old_task(user, timedelta(seconds=5), id="running")
    services.dismiss_task(user=user, task_id="theirs")
    services.dismiss_task(user=user, task_id="running")
    services.dismiss_task(user=user, task_id="no-such-task")
    assert not Task.objects.get(pk="theirs").failure_reported
    assert not Task.objects.get(pk="running").complete


def test_fail_task_ends_a_running_task_once(user):
    task = old_task(user, timedelta(seconds=5))
    services.fail_task(task.pk)
    services.fail_task(task.pk)  # RQ's callback and a check may both get there
    services.fail_task("no-such-task")
    task.refresh_from_db()
    assert task.complete and task.failed
    assert notification(user, "task_progress") == {
        "task_id": task.pk,
        "name": "export_posts",
        "description": "Exporting posts…",
        "progress": 100,
        "failed": True,
    }


# Tasks: the periodic check ------------------------------------------------------------------


def test_without_a_queue_a_task_older_than_the_timeout_is_failed_by_the_check(
    user, other, settings, caplog
):
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    old_task(other, timedelta(seconds=5), id="recent")
    with caplog.at_level(logging.ERROR):
        assert [t.pk for t in services.check_tasks()] == ["t-old"]
    assert Task.objects.get(pk="t-old").failed
    assert not Task.objects.get(pk="recent").complete
    assert "timed out" in caplog.text


def test_the_check_command_reports_what_it_failed(user, settings, capsys):
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    call_command("check_tasks")
    assert "1 task(s) marked failed." in capsys.readouterr().out
    assert Task.objects.get().failed


def test_a_task_whose_job_failed_is_failed_by_the_check(user, fake_queue):
    task = old_task(user, timedelta(seconds=5))
    fake_queue.enqueue(print, job_id=task.id).set_status(JobStatus.FAILED)
    assert [t.pk for t in services.check_tasks(user=user)] == [task.pk]
    assert notification(user, "task_progress")["failed"] is True


def test_a_task_whose_job_finished_is_completed_by_the_check(user, fake_queue):
    task = old_task(user, timedelta(seconds=5))
    fake_queue.enqueue(print, job_id=task.id).set_status(JobStatus.FINISHED)
    assert services.check_tasks() == []
    task.refresh_from_db()
    assert task.complete and not task.failed


def test_a_task_whose_job_vanished_is_failed_after_a_grace(user, fake_queue):
    old_task(user, timedelta(minutes=2))
    old_task(user, timedelta(seconds=1), id="just-created", name="other")
    assert [t.pk for t in services.check_tasks()] == ["t-old"]


def test_a_job_running_past_the_timeout_is_failed_by_the_check(user, fake_queue, settings):
    task = old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    fake_queue.enqueue(print, job_id=task.id).set_status(JobStatus.STARTED)
    assert [t.pk for t in services.check_tasks()] == [task.pk]


def test_when_redis_is_unreachable_the_check_still_applies_the_timeout(user, settings, monkeypatch):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)
    old_task(user, timedelta(minutes=2))
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1), id="dead", name="other")
    assert [t.pk for t in services.check_tasks()] == ["dead"]
