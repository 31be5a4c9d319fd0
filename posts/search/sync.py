"""Keeping the search index in step with the posts: an outbox, and one job that drains it.

A change that can change what search shows (a post created, edited or deleted; a user
deactivated or reactivated) adds IndexChange rows, one per post, in the transaction that
makes the change: if the change commits, so does the note that the index must follow. Once
it commits, a `sync_search_index` job is queued (`microblog.jobs.enqueue`, "search" queue).
The job reads pending rows, makes the index agree with what the database then says about
those posts (indexes the visible ones, removes the others), commits the index, and deletes
the rows it read. A process killed at any point leaves rows behind, never a lost change:
the next job catches up, queued by the next write or by a web worker starting
(`catch_up()`, from gunicorn.conf.py).

A burst of writes queues few jobs: a flag in the default cache (Redis when configured, so
shared by every process; otherwise this process's memory) says a job is on its way. The job
clears it before reading the outbox, so a row committed after that read queues the next job.
The flag expires after SCHEDULED_TTL, in case the job it announced never ran.
"""

import logging
import os

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_init, post_save
from haystack import connections
from haystack.signals import BaseSignalProcessor

from microblog.jobs import enqueue
from posts.models import IndexChange, Post

from .backend import WhooshBackend, remove_documents, writer_turn

log = logging.getLogger(__name__)

QUEUE = "search"
BATCH_SIZE = 500  # outbox rows per index commit (and SQL parameters per query, under 999)
SCHEDULED_KEY = "search:sync-scheduled"
SCHEDULED_TTL = 5  # seconds


def record_changes(post_ids, using="default"):
    """Note in the current transaction that these posts' index entries must be brought up to
    date, and queue the sync for when it commits."""
    IndexChange.objects.using(using).bulk_create(
        [IndexChange(post_id=post_id) for post_id in post_ids], batch_size=BATCH_SIZE
    )
    transaction.on_commit(request_sync, using=using)


def request_sync():
    """Queue a sync job unless one is already on its way."""
    try:
        first = cache.add(SCHEDULED_KEY, True, SCHEDULED_TTL)
    except Exception:  # the cache (Redis) is unreachable: a spare job is harmless, none is not
        log.warning("Could not check for a queued search sync; queueing one.", exc_info=True)
        first = True
    if first:
        enqueue(sync_search_index, queue=QUEUE)


def catch_up():
    """Queue a sync if changes are waiting: a process died before their job ran."""
    try:
        pending = IndexChange.objects.exists()
    except DatabaseError:  # not migrated yet, or the database is down: the next write will do
        log.warning("Could not look for pending search index changes.", exc_info=True)
        return
    if pending:
        request_sync()


def sync_search_index(batch_size=BATCH_SIZE):
    """The job: drain the outbox, `batch_size` rows per index commit."""
    try:
        cache.delete(SCHEDULED_KEY)
    except Exception:
        log.warning("Could not clear the search sync flag.", exc_info=True)
    while sync_batch(batch_size) == batch_size:
        pass


def sync_batch(batch_size=BATCH_SIZE):
    """Sync the posts of the oldest `batch_size` outbox rows, then delete those rows.

    All of it in the writer's turn, so that two jobs never write what they read in the
    wrong order. Only the rows read are deleted: one committed meanwhile, even for the same
    post, waits for the next batch. Returns the number of rows synced.
    """
    with writer_turn():
        changes = list(IndexChange.objects.order_by("pk").values_list("pk", "post_id")[:batch_size])
        if changes:
            sync_posts({post_id for _pk, post_id in changes})
            IndexChange.objects.filter(pk__in=[pk for pk, _post_id in changes]).delete()
    return len(changes)


def sync_posts(post_ids):
    """Make the index hold exactly what the database says about `post_ids`."""
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Post)
    with writer_turn():
        present = list(index.index_queryset().filter(pk__in=post_ids))
        if present:
            backend.update(index, present)
        gone = set(post_ids) - {post.pk for post in present}
        remove_documents(backend, [f"{Post._meta.label_lower}.{post_id}" for post_id in gone])


def rebuild_index(procs=None):
    """Index every visible post afresh, in one writer's turn (after a bulk load: seed_demo).

    With Whoosh, one writer spread over `procs` processes (default: one per core) adds every
    post in one commit (`WhooshBackend.load`); other engines go through `update()` in
    batches. Returns the number of posts indexed. Changes still in the outbox are synced
    afterwards by their job; syncing a post twice is harmless.
    """
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Post)
    posts = index.index_queryset().order_by("pk")
    with writer_turn():
        backend.clear()
        if isinstance(backend, WhooshBackend):
            count = posts.count()
            backend.load(index, posts.iterator(chunk_size=2000), procs=procs or os.cpu_count())
            return count
        count, batch = 0, []
        for post in posts.iterator(chunk_size=1000):
            batch.append(post)
            if len(batch) == 1000:
                backend.update(index, batch)
                count, batch = count + len(batch), []
        if batch:
            backend.update(index, batch)
        return count + len(batch)


class SearchSignalProcessor(BaseSignalProcessor):
    """Haystack's signal processor for Microblog: changes go to the outbox (`record_changes`).

    A user being deactivated or reactivated changes whether all their posts are visible: the
    flag is remembered when the user is loaded, so a save that changes it is noticed without
    an extra query.
    """

    def setup(self):
        User = get_user_model()
        post_save.connect(self.handle_save, sender=Post)
        post_delete.connect(self.handle_delete, sender=Post)
        post_init.connect(self.remember_active, sender=User)
        post_save.connect(self.handle_user_save, sender=User)

    def teardown(self):
        User = get_user_model()
        post_save.disconnect(self.handle_save, sender=Post)
        post_delete.disconnect(self.handle_delete, sender=Post)
        post_init.disconnect(self.remember_active, sender=User)
        post_save.disconnect(self.handle_user_save, sender=User)

    def handle_save(self, sender, instance, using, **kwargs):
        record_changes([instance.pk], using)

    def handle_delete(self, sender, instance, using, **kwargs):
        record_changes([instance.pk], using)

    def remember_active(self, sender, instance, **kwargs):
        if "is_active" not in instance.get_deferred_fields():  # never load a deferred field
            instance._search_was_active = instance.is_active

    def handle_user_save(self, sender, instance, created, using, **kwargs):
        was_active = getattr(instance, "_search_was_active", None)
        if not created and was_active is not None and was_active != instance.is_active:
            posts = Post.objects.using(using).filter(author_id=instance.pk)
            record_changes(list(posts.values_list("pk", flat=True)), using)
        instance._search_was_active = instance.is_active
