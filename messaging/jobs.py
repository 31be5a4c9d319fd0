"""RQ jobs of the messaging app (run by `manage.py rqworker`, or in-process without Redis)."""

import json
import logging
from datetime import UTC

from django.utils import translation
from rq import get_current_job

from accounts.services import send_templated_email
from posts.models import Post

from .models import Task

logger = logging.getLogger(__name__)

PROGRESS_STEP = 10  # percent between two progress reports: no write per post


def _report_progress(task, progress):
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = progress
        job.save_meta()
    if progress >= 100:
        task.finish()
    else:
        task.notify_progress(progress)


def _iso8601(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_posts(task_id, language=None):
    """Email the task's user all their posts as posts.json, reporting progress on the way.

    A failure marks the task failed (the user is told on their pages) and is logged with its
    traceback, then raised again so that RQ files the job under failed jobs.
    """
    task = Task.objects.select_related("user").get(pk=task_id)
    user = task.user
    try:
        _report_progress(task, 0)
        posts = Post.objects.filter(author=user).order_by("timestamp", "id")
        total = posts.count()
        exported = []
        reported = 0
        rows = posts.values_list("body", "timestamp").iterator(chunk_size=2000)
        for done, (body, timestamp) in enumerate(rows, start=1):
            exported.append({"body": body, "timestamp": _iso8601(timestamp)})
            percent = min(done * 100 // total, 99)
            if percent >= reported + PROGRESS_STEP:
                _report_progress(task, percent)
                reported = percent
        with translation.override(language):
            send_templated_email(
                to=[user.email],
                subject_template="messaging/email/export_posts_subject.txt",
                text_template="messaging/email/export_posts.txt",
                html_template="messaging/email/export_posts.html",
                context={"user": user, "count": len(exported)},
                attachments=[
                    (
                        "posts.json",
                        json.dumps({"posts": exported}, indent=2, ensure_ascii=False),
                        "application/json",
                    )
                ],
            )
    except Exception:
        logger.exception("Exporting the posts of user %s failed (task %s)", user.pk, task_id)
        task.fail()
        raise
    _report_progress(task, 100)
