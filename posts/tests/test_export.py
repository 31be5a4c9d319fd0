"""The export of a user's posts: the button, the service, the job, in each way jobs run."""

import json
import logging
from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.utils import translation
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from messaging.models import Notification, Task
from messaging.services import TaskAlreadyRunning, check_tasks, tasks_to_show
from microblog.jobs import wait_for_jobs
from posts import jobs
from posts.models import Post
from posts.services import start_export

pytestmark = pytest.mark.django_db


def progress_notification(user):
    return Notification.objects.get(user=user, name="task_progress").data


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def other(make_user):
    return make_user("john")


# The button and the view ------------------------------------------------------------------


def test_own_profile_has_the_export_button_as_a_post_form(signed_in, other):
    page = signed_in.get("/user/susan").content.decode()
    assert '<form method="post" action="/export_posts">' in page
    assert "Export your posts" in page
    assert "Export your posts" not in signed_in.get("/user/john").content.decode()


def test_export_starts_a_task_and_emails_the_posts(
    signed_in, user, mailoutbox, django_capture_on_commit_callbacks
):
    Post.objects.create(author=user, body="mine")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post("/export_posts")
    assert response.status_code == 302 and response.url == "/user/susan"
    assert "will arrive by email" in flashes(response)[0]
    assert Task.objects.get().complete
    assert mailoutbox[0].attachments[0][0] == "posts.json"


def test_a_second_export_while_one_runs_is_refused(signed_in, user, mailoutbox):
    Task.objects.create(id="running", name="export_posts", user=user)
    response = signed_in.post("/export_posts")
    assert response.status_code == 302
    assert flashes(response) == ["An export task is currently in progress."]
    assert Task.objects.count() == 1 and mailoutbox == []


def test_export_needs_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/export_posts").status_code == 403
    assert not Task.objects.exists()


def test_export_is_post_only_and_for_signed_in_users(signed_in, client):
    assert signed_in.get("/export_posts").status_code == 405
    signed_in.logout()
    response = client.post("/export_posts")
    assert response.status_code == 302 and response.url.startswith("/auth/login")
    assert not Task.objects.exists()


# The job (eager: in the test's thread after the commit) -----------------------------------


def test_export_emails_every_post_of_the_user_as_json(
    user, other, mailoutbox, django_capture_on_commit_callbacks
):
    older = Post.objects.create(author=user, body="first <b>post</b>")
    Post.objects.create(author=user, body="second, ñ", timestamp=older.timestamp + timedelta(1))
    Post.objects.create(author=other, body="not mine")
    with django_capture_on_commit_callbacks(execute=True):
        task = start_export(user=user)
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
    assert progress_notification(user)["progress"] == 100


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


def test_export_email_is_written_in_the_language_it_was_asked_in(
    user, monkeypatch, django_capture_on_commit_callbacks
):
    languages = []
    monkeypatch.setattr(
        jobs, "send_templated_email", lambda **kw: languages.append(translation.get_language())
    )
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        start_export(user=user)
    assert languages == ["es"]
    assert Task.objects.get().description == "Exportando publicaciones…"


def test_a_second_export_is_refused_while_one_runs(user):
    Task.objects.create(id="running", name="export_posts", user=user)
    with pytest.raises(TaskAlreadyRunning):
        start_export(user=user)
    assert Task.objects.filter(user=user).count() == 1


def test_another_users_running_export_does_not_block(user, other):
    Task.objects.create(id="theirs", name="export_posts", user=other)
    assert start_export(user=user).user == user


def test_a_dead_export_older_than_the_timeout_does_not_block_a_new_one(user, settings):
    Task.objects.create(id="dead", name="export_posts", user=user)
    long_ago = datetime.now().astimezone() - timedelta(seconds=settings.TASK_TIMEOUT + 1)
    Task.objects.filter(pk="dead").update(created=long_ago)
    assert start_export(user=user).pk != "dead"
    assert Task.objects.get(pk="dead").failed


def test_a_failing_export_fails_the_task_logs_and_tells_the_user(
    user, mailoutbox, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(jobs, "send_templated_email", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        task = start_export(user=user)
    task.refresh_from_db()
    assert task.complete and task.failed
    record = next(r for r in caplog.records if r.name == "microblog.jobs")
    assert "failed" in record.getMessage() and record.exc_info[0] is ConnectionRefusedError
    assert progress_notification(user)["failed"] is True
    assert [t.pk for t in tasks_to_show(user)] == [task.pk]  # until dismissed
    assert start_export(user=user)  # and a new export may start


# In-process, on the background thread (the embedded defaults) ----------------------------


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_export_runs_off_the_request(signed_in, user, mailoutbox, settings):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = ""
    Post.objects.create(author=user, body="exported by the thread")
    response = signed_in.post("/export_posts")
    assert response.status_code == 302
    assert wait_for_jobs(30)
    task = Task.objects.get()
    assert task.complete and not task.failed
    assert json.loads(mailoutbox[0].attachments[0][1])["posts"][0]["body"] == (
        "exported by the thread"
    )


# Through RQ (fakeredis, a worker in this process) -----------------------------------------


def test_export_goes_on_the_queue_and_a_worker_runs_it(
    user, fake_queue, mailoutbox, django_capture_on_commit_callbacks
):
    Post.objects.create(author=user, body="queued")
    with django_capture_on_commit_callbacks(execute=True):
        task = start_export(user=user)
    assert mailoutbox == [] and fake_queue.job_ids == [task.id]
    [shown] = tasks_to_show(user)
    assert shown.progress == 0
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    job = Job.fetch(task.id, connection=fake_queue.connection)
    assert job.get_status() == JobStatus.FINISHED and job.meta["progress"] == 100
    task.refresh_from_db()
    assert task.complete and not task.failed
    assert json.loads(mailoutbox[0].attachments[0][1])["posts"][0]["body"] == "queued"
    assert tasks_to_show(user) == []


def test_a_failing_job_on_the_queue_fails_its_task(
    user, fake_queue, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "send_templated_email", lambda **kw: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        task = start_export(user=user)
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert Job.fetch(task.id, connection=fake_queue.connection).get_status() == JobStatus.FAILED
    task.refresh_from_db()
    assert task.complete and task.failed


def test_an_export_abandoned_by_a_dead_worker_fails_on_the_next_check(
    user, fake_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = start_export(user=user)
    job = Job.fetch(task.id, connection=fake_queue.connection)
    job.set_status(JobStatus.STARTED)
    registry = StartedJobRegistry(queue=fake_queue)
    fake_queue.connection.zadd(registry.key, {f"{job.id}:execution": 1})  # expired long ago
    [shown] = tasks_to_show(user)
    assert not shown.shows_as_failed  # the page only reads
    check_tasks()
    task.refresh_from_db()
    assert task.complete and task.failed
    assert job.get_status() == JobStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_when_redis_is_unreachable_the_export_runs_in_process(
    user, settings, monkeypatch, mailoutbox
):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)
    task = start_export(user=user)
    assert wait_for_jobs(30)
    task.refresh_from_db()
    assert task.complete and len(mail.outbox) == 1
