"""Background jobs of the posts app, run through microblog.jobs.enqueue()."""

import json
from datetime import UTC

from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from accounts.services import send_templated_email
from messaging.models import Task
from microblog import images
from microblog.jobs import report_progress

from .models import THUMBNAIL_SIDE, Media, Post

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


def make_thumbnail(media_id):
    """Make a post image's thumbnail, then record it (the post shows a placeholder until then)."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None or media.thumbnail:
        return
    with default_storage.open(media.file.name) as source, Image.open(source) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at a reduced scale
        image.load()
        small = images.thumbnail(image, THUMBNAIL_SIDE)
    content, extension = images.encode(small, images.output_format(small))
    stem = media.file.name.rsplit(".", 1)[0]
    name = default_storage.save(f"{stem}-thumb.{extension}", content)
    if not Media.objects.filter(pk=media_id, thumbnail="").update(thumbnail=name):
        default_storage.delete(name)  # deleted (or done) meanwhile
