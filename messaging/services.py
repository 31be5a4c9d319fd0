"""Messaging's rules, for the views, the API and the commands alike."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from redis.exceptions import RedisError
from rq.job import JobStatus

from microblog.jobs import clean_abandoned_jobs, enqueue, fetch_job, new_job_id, uses_rq

from .models import TASK_PROGRESS, UNREAD_MESSAGE_COUNT, Message, Notification, Task

logger = logging.getLogger(__name__)

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


def start_task(*, user, name, description, job, args=()):
    """Record a task for `user` and run `job(task.id, *args)` in the background.

    Refused with TaskAlreadyRunning while a task of that name of theirs runs (first freeing
    the user from one whose job has died). The job is queued once the task's row commits, so
    the worker always finds it, and a failure of the job fails the task (`fail_task`).
    """
    check_tasks(user=user)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                id=new_job_id(), name=name, description=description, user=user
            )
    except IntegrityError:
        raise TaskAlreadyRunning from None
    task.notify_progress(0)
    enqueue(job, task.id, *args, job_id=task.id, on_failure=fail_task)
    return task


def fail_task(task_id):
    """The on_failure of a task's job (it raised, or its worker died): the task has failed."""
    task = Task.objects.select_related("user").filter(pk=task_id, complete=False).first()
    if task is not None:
        logger.error("Task %s failed", task_id)
        task.fail()


def tasks_to_show(user):
    """The user's running tasks, each with `.progress`, and failures they have not dismissed.

    Only reads (pages render it): a task whose job died shows as failed once it is past
    TASK_TIMEOUT, and is written as failed by its job's on_failure or by `check_tasks`.
    """
    tasks = list(Task.objects.filter(user=user).to_show())
    if not tasks:
        return []
    latest = Notification.objects.filter(user=user, name=TASK_PROGRESS).first()
    for task in tasks:
        data = latest.data if latest is not None else {}
        task.progress = data.get("progress", 0) if data.get("task_id") == task.pk else 0
    return tasks


def dismiss_task(*, user, task_id):
    """`user` has read the failure alert of their task: it is not shown again."""
    task = Task.objects.filter(user=user, pk=task_id).first()
    if task is None:
        return
    if not task.complete and task.timed_out:
        task.fail()
    if task.failed:
        Task.objects.filter(pk=task.pk).update(failure_reported=True)


def check_tasks(*, user=None):
    """Mark failed the running tasks (of `user`, or everyone's) whose job has died or vanished.

    Run by `start_task` and periodically by `manage.py check_tasks`; RQ's own clean-up of
    abandoned jobs (on each worker's start and every few minutes) reaches `fail_task` too.
    Returns the tasks marked failed.
    """
    running = Task.objects.in_progress().select_related("user")
    if user is not None:
        running = running.filter(user=user)
    running = list(running)
    if not running:
        return []
    try:
        clean_abandoned_jobs()
        jobs = {task.pk: fetch_job(task.pk) for task in running} if uses_rq() else {}
    except (RedisError, OSError):
        logger.warning("Could not reach Redis to check tasks", exc_info=True)
        jobs = {}
    failed = []
    now = timezone.now()
    for task in running:
        task.refresh_from_db(fields=["complete", "failed"])  # a callback above may have ended it
        if task.complete:
            continue
        if task.pk in jobs:
            job = jobs[task.pk]
            status = job.get_status() if job is not None else None
            if status == JobStatus.FINISHED:
                task.finish()
                continue
            vanished = job is None and now - task.created > JOB_ENQUEUE_GRACE
            if vanished or status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                logger.error("Task %s: its job is %s; marking it failed", task.pk, status)
                task.fail()
                failed.append(task)
                continue
        if task.timed_out:
            logger.error("Task %s timed out: marking it failed", task.pk)
            task.fail()
            failed.append(task)
    return failed
