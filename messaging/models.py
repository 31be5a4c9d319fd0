import time
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def received_by(self, user):
        """`user`'s inbox, newest first, with the senders the page shows."""
        return self.filter(recipient=user).select_related("sender").order_by("-timestamp", "-id")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages_sent",
        verbose_name=_("sender"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages_received",
        verbose_name=_("recipient"),
    )
    body = models.CharField(_("body"), max_length=140)
    timestamp = models.DateTimeField(_("timestamp"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-timestamp", "-id"], name="message_inbox"),
            # The badge counts only unread rows: a small partial index keeps that cheap.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="message_unread",
            ),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.body[:50]

    @property
    def is_unread(self):
        return self.read_at is None


class NotificationQuerySet(models.QuerySet):
    def for_user_since(self, user, since):
        """What changed for `user` after the Unix time `since`, oldest first (one indexed query)."""
        return self.filter(user=user, timestamp__gt=since).order_by("timestamp")

    def notify(self, user, name, data):
        """Set `user`'s notification `name`, replacing the older one of that name."""
        notification, _created = self.update_or_create(
            user=user, name=name, defaults={"data": data, "timestamp": time.time()}
        )
        return notification


class Notification(models.Model):
    """The latest value of one named, live-updated thing for a user (badge count, progress).

    There is one row per (user, name): a newer notification replaces the older one, so the
    table stays small and the poll reads only what changed since its last look.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=128)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Unix time, as the poll's `since` parameter: compared as numbers, no time zones.
    timestamp = models.FloatField(_("timestamp"), default=time.time)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="notification_one_per_name"),
        ]
        indexes = [models.Index(fields=["user", "timestamp"], name="notification_poll")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.name} ({self.user_id})"

    def as_json(self):
        return {"name": self.name, "data": self.data, "timestamp": self.timestamp}


UNREAD_MESSAGE_COUNT = "unread_message_count"
TASK_PROGRESS = "task_progress"

TASK_FAILURE_MESSAGES = {
    "export_posts": _("Your posts could not be exported. Please try again later."),
}


class TaskQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(complete=False)

    def to_show(self):
        """Running tasks, and failures the user has not dismissed yet."""
        return self.filter(
            models.Q(complete=False) | models.Q(failed=True, failure_reported=False)
        ).order_by("created")


class Task(models.Model):
    """A background job a user started; its id is the RQ job's id."""

    id = models.CharField(_("id"), max_length=36, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    description = models.CharField(_("description"), max_length=128, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("user"),
    )
    complete = models.BooleanField(_("complete"), default=False)
    failed = models.BooleanField(_("failed"), default=False)
    # The user has dismissed the failure alert: it is not shown again.
    failure_reported = models.BooleanField(_("failure reported"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        constraints = [
            # One running task of each kind per user, even when two requests race.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(complete=False),
                name="task_one_running_per_name",
            ),
        ]
        indexes = [models.Index(fields=["user", "complete"], name="task_user_complete")]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.name} {self.id}"

    @property
    def failure_message(self):
        return TASK_FAILURE_MESSAGES.get(
            self.name, _("A background task failed. Please try again later.")
        )

    @property
    def timed_out(self):
        """Running for longer than any job may: its job has died (shown, then marked, failed)."""
        age = timezone.now() - self.created
        return not self.complete and age > timedelta(seconds=settings.TASK_TIMEOUT)

    @property
    def shows_as_failed(self):
        return self.failed or self.timed_out

    def notify_progress(self, progress, **extra):
        """Tell the user's open pages (through the notification poll) how far the task is."""
        data = {
            "task_id": self.id,
            "name": self.name,
            "description": self.description,
            "progress": progress,
            **extra,
        }
        Notification.objects.notify(self.user, TASK_PROGRESS, data)

    def finish(self):
        self.complete = True
        self.save(update_fields=["complete"])
        self.notify_progress(100)

    def fail(self):
        """Over, unsuccessfully: no progress alert stays, and the user is told once."""
        self.complete = True
        self.failed = True
        self.save(update_fields=["complete", "failed"])
        self.notify_progress(100, failed=True)
