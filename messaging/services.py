"""Messaging's rules, for the views, the API and the commands alike."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from microblog.jobs import enqueue, fetch_job, get_queue, new_job_id, queue_is_configured

from .models import UNREAD_MESSAGE_COUNT, Message, Notification, Task

logger = logging.getLogger(__name__)

EXPORT_POSTS = "export_posts"
# A queued task's job is written to Redis just after the task's row commits: a task younger
# than this whose job is missing may simply not be queued yet.
JOB_ENQUEUE_GRACE = timedelta(minutes=1)


class TaskAlreadyRunning(Exception):
    pass


# Private messages ---------------------------------------------------------------------------


def unread_message_count(user):
    return Message.objects.filter(recipient=user).unread().count()


def send_message(sender, recipient, body):
    """Write a private message and update the recipient's unread badge."""
    message = Message.objects.create(sender=sender, recipient=recipient, body=body.strip())
    Notification.objects.notify(recipient, UNREAD_MESSAGE_COUNT, unread_message_count(recipient))
    return message


def mark_messages_read(user):
    """`user` has seen their inbox: everything in it is read, the badge goes back to 0."""
    if Message.objects.filter(recipient=user).unread().update(read_at=timezone.now()):
        Notification.objects.notify(user, UNREAD_MESSAGE_COUNT, 0)


# Background tasks ---------------------------------------------------------------------------


def start_export(user):
    """Start exporting `user`'s posts, unless an export of theirs is already running.

    The job is queued once the task's row is committed, so the worker always finds it.
    """
    from .jobs import export_posts

    refresh_tasks(user)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                id=new_job_id(), name=EXPORT_POSTS, description=_("Exporting posts…"), user=user
            )
    except IntegrityError:
        raise TaskAlreadyRunning from None
    task.notify_progress(0)
    transaction.on_commit(
        partial(enqueue, export_posts, task.id, translation.get_language(), job_id=task.id)
    )
    return task


def tasks_to_show(user):
    """The user's running tasks, each with `.progress`, and failures not yet reported.

    Reading them is also the moment a task whose job is gone is marked failed, so that no
    progress alert outlives its job. Failures are returned once, then count as reported.
    """
    tasks = list(Task.objects.filter(user=user).to_show())
    if not tasks:
        return []
    _check_running(tasks)
    failures = [task.pk for task in tasks if task.failed and not task.failure_reported]
    if failures:
        Task.objects.filter(pk__in=failures).update(failure_reported=True)
    return tasks


def refresh_tasks(user):
    """Mark failed those of `user`'s running tasks whose job has died or vanished."""
    _check_running(list(Task.objects.filter(user=user).in_progress()))


def _check_running(tasks):
    now = timezone.now()
    running = [task for task in tasks if not task.complete]
    if not running:
        return
    try:
        jobs = _jobs_of(running)
    except RedisError:
        logger.warning("Could not reach Redis to check tasks", exc_info=True)
        jobs = {}
    for task in running:
        task.progress = 0
        age = now - task.created
        job = jobs.get(task.pk)
        if job is None:
            if age > timedelta(seconds=settings.TASK_TIMEOUT) or (
                queue_is_configured() and task.pk in jobs and age > JOB_ENQUEUE_GRACE
            ):
                logger.error("Task %s has no job: marking it failed", task.pk)
                task.fail()
            continue
        status = job.get_status()
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            logger.error("Task %s: its job ended as %s; marking it failed", task.pk, status)
            task.fail()
        elif status == JobStatus.FINISHED:
            task.finish()
        elif age > timedelta(seconds=settings.TASK_TIMEOUT):
            logger.error("Task %s timed out (job %s): marking it failed", task.pk, status)
            task.fail()
        else:
            task.progress = job.meta.get("progress", 0)


def _jobs_of(tasks):
    """{task id: its RQ job, or None if Redis has none}; {} when there is no queue."""
    if not queue_is_configured():
        return {}
    # Moves jobs whose worker stopped sending heartbeats to the failed registry.
    StartedJobRegistry(queue=get_queue()).cleanup()
    return {task.pk: fetch_job(task.pk) for task in tasks}
