"""The export end to end: real Redis, a real `manage.py rqworker --burst` in its own process."""

import email
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from messaging.models import Notification
from messaging.services import check_tasks, tasks_to_show
from posts.models import Post
from posts.services import start_export

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"),
    pytest.mark.django_db(transaction=True),
]

BASE_DIR = Path(django_settings.BASE_DIR)


def database_url_of_the_test_database():
    """The worker process must see the test database; None if it cannot (in-memory SQLite)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{credentials}@{host}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor == "sqlite" and "memory" not in name:
        return f"sqlite:///{name}"
    return None


@pytest.fixture
def queue(settings):
    import django_rq

    settings.JOBS_EAGER = False
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def run_worker(tmp_path):
    """`manage.py rqworker --burst` in its own process; in this one if the DB is in memory."""
    database_url = database_url_of_the_test_database()
    if database_url is None:
        from django.core.management import call_command

        call_command("rqworker", "default", "--burst", "--worker-class", "rq.worker.SimpleWorker")
        return None
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"filemail:///{tmp_path}",  # environ drops one leading slash
        "PYTHONUNBUFFERED": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "default", "--burst"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def sent_mail(tmp_path, mailoutbox):
    files = list(tmp_path.glob("*.log"))
    if not files:  # the worker ran in this process
        return mailoutbox[0].message()
    assert len(files) == 1
    return email.message_from_bytes(files[0].read_bytes().split(b"\n" + b"-" * 79)[0])


def test_the_export_runs_on_a_real_worker(user, make_user, queue, tmp_path, mailoutbox):
    Post.objects.create(author=user, body="exported by a real worker")
    Post.objects.create(author=make_user("john"), body="someone else's")
    task = start_export(user=user)
    assert task.id in queue.job_ids
    [shown] = tasks_to_show(user)
    assert shown.progress == 0 and not shown.failed

    run_worker(tmp_path)

    task.refresh_from_db()
    assert task.complete and not task.failed
    job = queue.fetch_job(task.id)
    assert job.get_status() == "finished" and job.meta["progress"] == 100
    assert Notification.objects.get(user=user, name="task_progress").data["progress"] == 100
    assert tasks_to_show(user) == []

    message = sent_mail(tmp_path, mailoutbox)
    assert message["To"] == "susan@example.com"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert {"text/plain", "text/html", "application/json"} <= set(parts)
    attachment = parts["application/json"]
    assert attachment.get_filename() == "posts.json"
    exported = json.loads(attachment.get_payload(decode=True))
    assert [post["body"] for post in exported["posts"]] == ["exported by a real worker"]


def test_a_job_filed_as_failed_in_real_redis_ends_its_task(user, queue):
    """Whatever made the job fail (even a worker that never ran our callback), no alert stays."""
    task = start_export(user=user)
    job = queue.fetch_job(task.id)
    job.set_status("failed")
    assert [t.pk for t in check_tasks()] == [task.pk]
    [shown] = tasks_to_show(user)
    assert shown.failed
    task.refresh_from_db()
    assert task.complete and task.failed
