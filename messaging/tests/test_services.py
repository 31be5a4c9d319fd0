import json
import logging
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from messaging import jobs, services
from messaging.models import Message, Notification, Task
from posts.models import Post

pytestmark = pytest.mark.django_db


def notification(user, name):
    return Notification.objects.get(user=user, name=name).data


def old_task(user, age, **fields):
    task = Task.objects.create(
        id=fields.pop("id", "t-old"),
        name="export_posts",
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


# The export, in-process (no Redis) ----------------------------------------------------------


def test_export_emails_every_post_of_the_user_as_json(
    user, other, mailoutbox, django_capture_on_commit_callbacks
):
    older = Post.objects.create(author=user, body="first <b>post</b>")
    Post.objects.create(author=user, body="second, ñ", timestamp=older.timestamp + timedelta(1))
    Post.objects.create(author=other, body="not mine")
    with django_capture_on_commit_callbacks(execute=True):
        task = services.start_export(user)
    task.refresh_from_db()
    assert task.complete and not task.failed
    assert task.name == "export_posts" and task.description == "Exporting posts…"
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["susan@example.com"]
    assert sent.subject == "[Microblog] Your blog posts"
    assert "your 2 posts" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and "your 2 posts" in html
    name, content, mimetype = sent.attachments[0]
    assert (name, mimetype) == ("posts.json", "application/json")
    exported = json.loads(content)
    assert [post["body"] for post in exported["posts"]] == ["first <b>post</b>", "second, ñ"]
    stamp = exported["posts"][0]["timestamp"]
    assert stamp.endswith("Z") and datetime.fromisoformat(stamp) == older.timestamp
    assert notification(user, "task_progress")["progress"] == 100


def test_export_of_no_posts_sends_an_empty_list(user, mailoutbox):
    task = Task.objects.create(id="t1", name="export_posts", user=user)
    jobs.export_posts(task.id)
    assert json.loads(mailoutbox[0].attachments[0][1]) == {"posts": []}


def test_export_progress_is_reported_on_the_way(user, monkeypatch):
    Post.objects.bulk_create(Post(author=user, body=f"post {i}") for i in range(40))
    task = Task.objects.create(id="t1", name="export_posts", user=user)
    seen = []
    monkeypatch.setattr(Task, "notify_progress", lambda self, p, **kw: seen.append(p))
    jobs.export_posts(task.id)
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 100
    assert len(seen) > 5


def test_export_email_is_written_in_the_language_it_was_asked_in(user, monkeypatch):
    task = Task.objects.create(id="t1", name="export_posts", user=user)
    languages = []
    monkeypatch.setattr(
        jobs, "send_templated_email", lambda **kw: languages.append(translation.get_language())
    )
    jobs.export_posts(task.id, "es")
    assert languages == ["es"]


def test_a_second_export_is_refused_while_one_runs(user):
    Task.objects.create(id="running", name="export_posts", user=user)
    with pytest.raises(services.TaskAlreadyRunning):
        services.start_export(user)
    assert Task.objects.filter(user=user).count() == 1


def test_another_users_running_export_does_not_block(user, other, mailoutbox):
    Task.objects.create(id="theirs", name="export_posts", user=other)
    assert services.start_export(user).user == user


def test_a_failing_export_completes_the_task_logs_and_tells_the_user(
    user, mailoutbox, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(jobs, "send_templated_email", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        task = services.start_export(user)
    task.refresh_from_db()
    assert task.complete and task.failed
    record = next(r for r in caplog.records if r.name == "messaging.jobs")
    assert "failed" in record.getMessage() and record.exc_info[0] is ConnectionRefusedError
    assert notification(user, "task_progress")["failed"] is True
    # told once, on the next page
    assert [t.pk for t in services.tasks_to_show(user)] == [task.pk]
    assert services.tasks_to_show(user) == []
    # and a new export may start
    assert services.start_export(user)


# Stuck tasks are marked failed on the next look --------------------------------------------


def test_without_a_queue_a_task_older_than_the_timeout_has_failed(user, settings):
    old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    tasks = services.tasks_to_show(user)
    assert [t.failed for t in tasks] == [True]
    assert Task.objects.get().complete


def test_without_a_queue_a_recent_task_keeps_running(user):
    old_task(user, timedelta(seconds=5))
    [task] = services.tasks_to_show(user)
    assert not task.failed and task.progress == 0


def test_a_running_jobs_progress_comes_from_job_meta(user, fake_queue):
    task = old_task(user, timedelta(seconds=5))
    job = fake_queue.enqueue(print, job_id=task.id)
    job.meta["progress"] = 42
    job.save_meta()
    [shown] = services.tasks_to_show(user)
    assert shown.progress == 42 and not shown.failed


def test_a_task_whose_job_failed_is_marked_failed(user, fake_queue):
    task = old_task(user, timedelta(seconds=5))
    job = fake_queue.enqueue(print, job_id=task.id)
    job.set_status(JobStatus.FAILED)
    assert [t.failed for t in services.tasks_to_show(user)] == [True]
    assert notification(user, "task_progress")["failed"] is True


def test_a_job_abandoned_by_a_dead_worker_is_marked_failed(user, fake_queue):
    """The worker was killed mid-job: its job sits in the started registry, expired."""
    task = old_task(user, timedelta(seconds=30))
    job = fake_queue.enqueue(print, job_id=task.id)
    job.set_status(JobStatus.STARTED)
    registry = StartedJobRegistry(queue=fake_queue)
    fake_queue.connection.zadd(registry.key, {f"{job.id}:execution": 1})  # expired long ago
    assert [t.failed for t in services.tasks_to_show(user)] == [True]
    assert Job.fetch(job.id, connection=fake_queue.connection).get_status() == JobStatus.FAILED


def test_a_task_whose_job_vanished_is_marked_failed_after_a_grace(user, fake_queue):
    old_task(user, timedelta(minutes=2))
    assert [t.failed for t in services.tasks_to_show(user)] == [True]


def test_a_task_just_created_is_not_failed_before_its_job_is_queued(user, fake_queue):
    old_task(user, timedelta(seconds=1))
    assert [t.failed for t in services.tasks_to_show(user)] == [False]


def test_a_job_running_past_the_timeout_is_marked_failed(user, fake_queue, settings):
    task = old_task(user, timedelta(seconds=settings.TASK_TIMEOUT + 1))
    fake_queue.enqueue(print, job_id=task.id).set_status(JobStatus.STARTED)
    assert [t.failed for t in services.tasks_to_show(user)] == [True]


def test_when_redis_is_unreachable_pages_still_render(user, settings, monkeypatch):
    settings.JOBS_IN_PROCESS = False
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)
    old_task(user, timedelta(minutes=2))
    assert [t.failed for t in services.tasks_to_show(user)] == [False]


def test_when_redis_is_unreachable_the_export_runs_in_process(
    user, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    settings.JOBS_IN_PROCESS = False
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)
    with django_capture_on_commit_callbacks(execute=True):
        task = services.start_export(user)
    task.refresh_from_db()
    assert task.complete and len(mailoutbox) == 1


# The export through the queue (fakeredis, a real RQ worker in this process) -----------------


def test_export_goes_on_the_queue_and_a_worker_runs_it(
    user, fake_queue, mailoutbox, django_capture_on_commit_callbacks
):
    Post.objects.create(author=user, body="queued")
    with django_capture_on_commit_callbacks(execute=True):
        task = services.start_export(user)
    assert mailoutbox == [] and fake_queue.job_ids == [task.id]
    [shown] = services.tasks_to_show(user)
    assert shown.progress == 0
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    job = Job.fetch(task.id, connection=fake_queue.connection)
    assert job.get_status() == JobStatus.FINISHED and job.meta["progress"] == 100
    task.refresh_from_db()
    assert task.complete and not task.failed
    assert json.loads(mailoutbox[0].attachments[0][1])["posts"][0]["body"] == "queued"
    assert services.tasks_to_show(user) == []


def test_a_failing_job_on_the_queue_is_filed_as_failed(
    user, fake_queue, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "send_templated_email", lambda **kw: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        task = services.start_export(user)
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert Job.fetch(task.id, connection=fake_queue.connection).get_status() == JobStatus.FAILED
    task.refresh_from_db()
    assert task.complete and task.failed


def test_password_reset_email_is_queued_when_a_queue_exists(client, user, fake_queue):
    client.post("/auth/reset_password_request", {"email": user.email})
    assert len(mail.outbox) == 0 and fake_queue.count == 1
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][1] == "text/html"
