"""Background jobs of the posts app, run through microblog.jobs.enqueue()."""

import json
from datetime import UTC

from django.utils import translation

from accounts.services import send_templated_email
from messaging.models import Task
from microblog.jobs import report_progress

from .models import Post

PROGRESS_STEP = 10  # percent between two progress reports: no write per post


def _report_progress(task, progress):
    report_progress(progress)
    if progress >= 100:
        task.finish()
    else:
        task.notify_progress(progress)


def _iso8601(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_posts(task_id, language=None):
    """Email the task's user all their posts as posts.json, reporting progress on the way.

    A failure is not caught here: it is logged (by RQ or microblog.jobs) and the task is
    marked failed by the job's on_failure (messaging.services.fail_task), which also runs when
    the worker dies mid-job.
    """
    task = Task.objects.select_related("user").get(pk=task_id)
    user = task.user
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
            subject_template="posts/email/export_posts_subject.txt",
            text_template="posts/email/export_posts.txt",
            html_template="posts/email/export_posts.html",
            context={"user": user, "count": len(exported)},
            attachments=[
                (
                    "posts.json",
                    json.dumps({"posts": exported}, indent=2, ensure_ascii=False),
                    "application/json",
                )
            ],
        )
    _report_progress(task, 100)
