"""Full-text search of posts: keeping the index in step with the database, and querying it.

Every change to a post (site, API, admin, cascade) reaches `schedule_sync()` through
`SearchSignalProcessor`. Once the transaction commits, `sync_posts()` makes the index agree
with what the database then says about those posts: index them if they exist and are visible,
remove them otherwise. It runs

- in an RQ worker, on the "search" queue, when REDIS_URL is set (`manage.py rqworker search`),
  batched: the ids wait in a Redis set for one `sync_pending` job;
- otherwise (and whenever Redis cannot be reached) in a thread of the web process, which
  batches the posts of many requests into one index commit (`BackgroundSync`), so that a
  request never waits for the index (SEARCH_SYNC_IN_BACKGROUND; the tests turn it off to
  see the index change at once).

Whoosh allows one writer at a time, and several processes write. `sync_posts()` reads the
database and writes the index while holding a lock file beside the index, so writers take
turns and the last one to run writes the latest state: no update is lost and none is applied
out of order. Waiting writers retry; a LockError never reaches the user.
"""

import atexit
import fcntl
import hashlib
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import django_rq
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import close_old_connections, router, transaction
from django.db import connections as db_connections
from django.db.models.signals import post_delete, post_init, post_save
from haystack import connections
from haystack.query import SearchQuerySet
from haystack.signals import BaseSignalProcessor
from rq import Retry
from whoosh.index import IndexError as WhooshIndexError
from whoosh.index import LockError
from whoosh.writing import CLEAR

from microblog.pagination import Page

from .models import Post
from .search_backends import WhooshBackend

log = logging.getLogger(__name__)

QUEUE = "search"
MAX_QUERY_LENGTH = 200  # characters of a query that are searched; the rest is ignored
LOCK_TIMEOUT = 60.0  # seconds a writer waits for its turn
REQUEST_LOCK_TIMEOUT = 5.0  # ... when a user's request waits (then it retries in the background)
BACKGROUND_RETRIES = (1, 2, 5, 10, 30, 60, 120)  # seconds between in-process retries
PENDING_KEY = "microblog:search:pending"  # Redis set: ids of posts waiting for the index
SCHEDULED_KEY = "microblog:search:scheduled"  # set while a sync_pending job is queued
SCHEDULED_TTL = 60  # seconds: a lost job delays the index at most this long
RESULTS_CACHE = "search"  # the cache alias for pages of result ids (keyed by index version)


def index_post(post_id):
    """Index a new or edited post once the current transaction commits."""
    schedule_sync([post_id])


def unindex_post(post_id):
    """Take a deleted post out of the index once the current transaction commits."""
    schedule_sync([post_id])


def reindex_author(user_id):
    """Bring all of a user's posts in step, e.g. after the user was (de)activated."""
    schedule_sync(list(Post.objects.filter(author_id=user_id).values_list("pk", flat=True)))


def schedule_sync(post_ids):
    """Sync these posts once the transaction commits: one job for the whole transaction.

    The ids gather on the database connection; the first on-commit callback to run takes them
    all and the others find nothing left. Ids left behind by a rollback are synced with the next
    commit, which is harmless: a sync only makes the index agree with the database.
    """
    connection = db_connections[router.db_for_write(Post)]
    pending = connection.__dict__.setdefault("search_pending_post_ids", set())
    pending.update(post_ids)
    transaction.on_commit(lambda: _dispatch_pending(connection), using=connection.alias)


def _dispatch_pending(connection):
    post_ids = sorted(connection.search_pending_post_ids)
    connection.search_pending_post_ids.clear()
    if post_ids:
        dispatch(post_ids)


def dispatch(post_ids):
    """Hand the sync to the RQ queue, or to this process's background writer; never raise."""
    if settings.REDIS_URL:
        try:
            # Already after the commit: queue now, so that a Redis error is caught here.
            queue = django_rq.get_queue(QUEUE, commit_mode="auto")
            queue.connection.sadd(PENDING_KEY, *post_ids)
            if queue.connection.set(SCHEDULED_KEY, 1, nx=True, ex=SCHEDULED_TTL):
                queue.enqueue(sync_pending, retry=Retry(max=5), job_timeout=600)
            return
        except Exception:  # Redis down or misconfigured: the change must not be lost
            log.warning("Could not queue the index update: doing it in-process.", exc_info=True)
    if settings.SEARCH_SYNC_IN_BACKGROUND:
        background.submit(post_ids)
        return
    try:
        sync_posts(post_ids, timeout=REQUEST_LOCK_TIMEOUT)
    except Exception:
        log.warning("Search index busy or failing; retrying in the background.", exc_info=True)
        background.submit(post_ids)


def sync_pending(batch_size=1000):
    """The RQ job: sync every post id queued since the last run, many posts per index commit.

    Requests add their ids to a Redis set and queue this job only when no run is already
    queued, so a burst of posts makes a few jobs (one fork and one commit each) instead of one
    per post, and the index keeps up. The flag is cleared before the set is read, so ids added
    during a run are either taken by it or schedule the next; a failed batch goes back into
    the set for RQ's retry.
    """
    redis = django_rq.get_queue(QUEUE).connection
    redis.delete(SCHEDULED_KEY)
    while ids := sorted(int(i) for i in redis.spop(PENDING_KEY, batch_size) or ()):
        try:
            sync_posts(ids)
        except Exception:
            redis.sadd(PENDING_KEY, *ids)
            raise


class BackgroundSync:
    """A thread per process that syncs posts in batches, so that no request waits for Whoosh.

    Without Redis there is no worker: requests hand their post ids to this thread and answer
    at once. The thread takes every id handed in since its last turn and syncs them with one
    index commit, so under a burst of posts the commits get fewer, not the posts slower. A
    failed batch is retried after BACKGROUND_RETRIES; `flush()` waits for the queue to drain
    and runs when the process exits (gunicorn recycling or stopping a worker), so that ids
    that got an answer are in the index. Only a process killed outright loses the ids of its
    last instants; `manage.py update_index` catches up.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._pending = set()
        self._busy = False
        self._thread = None
        self._pid = None

    def submit(self, post_ids):
        with self._lock:
            self._pending.update(post_ids)
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._start()
            self._changed.notify_all()

    def _start(self):
        if self._pid != os.getpid():
            atexit.register(self.flush)  # once per process (a forked child has no thread)
        self._pid = os.getpid()
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="search-sync", daemon=True)
        self._thread.start()

    def _run(self):
        failures = 0
        while True:
            with self._lock:
                while not self._pending:
                    self._changed.wait()
                batch = sorted(self._pending)
                self._pending.clear()
                self._busy = True
            retry_in = None
            try:
                close_old_connections()
                sync_posts(batch)
                failures = 0
            except Exception:
                if failures < len(BACKGROUND_RETRIES):
                    retry_in = BACKGROUND_RETRIES[failures]
                    failures += 1
                    log.warning("Search index update failed; retrying.", exc_info=True)
                else:
                    failures = 0
                    log.error(
                        "Gave up indexing posts %s: run `manage.py update_index` to catch up.",
                        batch,
                        exc_info=True,
                    )
            with self._lock:
                if retry_in is not None:
                    self._pending.update(batch)
                idle = not self._pending
            if idle:  # no connection of this thread stays open while it waits
                db_connections.close_all()
            with self._lock:
                self._busy = False
                self._changed.notify_all()
            if retry_in is not None:
                time.sleep(retry_in)

    def discard(self, timeout=10.0):
        """Forget the ids not synced yet, once a batch in progress is done (between tests)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._pending.clear()
            while self._busy and (remaining := deadline - time.monotonic()) > 0:
                self._changed.wait(remaining)
            self._pending.clear()  # a failed batch puts its ids back before it is done

    def flush(self, timeout=60.0):
        """Wait until every post handed in so far is synced; True if the queue is empty."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending or self._busy:
                remaining = deadline - time.monotonic()
                alive = self._thread is not None and self._thread.is_alive()
                if remaining <= 0 or not alive or self._pid != os.getpid():
                    return False
                self._changed.wait(remaining)
        return True


background = BackgroundSync()


def sync_posts(post_ids, timeout=None):
    """Make the index hold exactly what the database says about `post_ids` (the RQ job)."""
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Post)
    with writer_turn(timeout):
        present = list(index.index_queryset().filter(pk__in=post_ids))
        if present:
            backend.update(index, present)
        for post_id in set(post_ids) - {post.pk for post in present}:
            backend.remove(f"{Post._meta.label_lower}.{post_id}")


def rebuild_index(procs=None):
    """Rebuild the whole posts index in one pass (after a bulk load, e.g. `seed_demo`).

    Whoosh gets one writer spread over `procs` processes (default: one per core) and a
    single commit that replaces every old segment, instead of update_index's commit per
    batch of 1,000; other engines go through update_index. Returns the number of posts.
    """
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Post)
    if not isinstance(backend, WhooshBackend):
        call_command("update_index", "posts", remove=True, verbosity=0)
        return index.index_queryset().count()
    procs = procs or os.cpu_count() or 1
    count = 0
    with writer_turn():
        backend.setup()
        writer = backend.index.writer(procs=procs, multisegment=procs > 1, limitmb=128)
        try:
            for post in index.index_queryset().iterator(chunk_size=5000):
                doc = index.full_prepare(post)
                writer.add_document(
                    **{
                        key: backend._from_python(value)
                        for key, value in doc.items()
                        if key != "boost"
                    }
                )
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)
    return count


def lock_path():
    """The writers' lock file, beside a file-based index (None for a server like Elasticsearch)."""
    path = connections.connections_info["default"].get("PATH")
    return Path(f"{os.fspath(path).rstrip('/')}.lock") if path else None


@contextmanager
def writer_turn(timeout=None):
    """Hold the one writer's turn across processes (and threads), waiting up to `timeout`."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path = lock_path()
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockError(f"waited {timeout} s for the search index writer") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# Querying ---------------------------------------------------------------------------------


def indexed_count():
    """How many posts the index holds (for checks and the benchmark)."""
    return SearchQuerySet().models(Post).count()


def matching(query):
    """The index's hits for a user's query, best first (quotes, `-word` and so on allowed)."""
    results = SearchQuerySet().auto_query(query)
    if narrow_to_posts():
        results = results.models(Post)
    return results


def narrow_to_posts():
    # Narrowing to a model scans the whole index: only pay for it when other models share it.
    return len(connections["default"].get_unified_index().get_indexed_models()) > 1


def search_posts(query, number=1, per_page=None):
    """Page `number` of the visible posts matching `query`, best match first.

    The index gives the ids in order of relevance; the posts and their authors then come from
    the database in one query, which also drops posts deleted or hidden since they were indexed.
    """
    per_page = per_page or settings.POSTS_PER_PAGE
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    offset = (number - 1) * per_page
    ids = None
    for attempt in range(3):
        try:
            ids, has_next = page_ids(query, offset, per_page)
            break
        except (OSError, WhooshIndexError):
            # A rebuild swapped the files under us: look again.
            log.warning("Search failed; retrying.", exc_info=True)
            time.sleep(0.05 * (attempt + 1))
    if ids is None:
        return Page(object_list=[], number=number, has_next=False, extra={"unavailable": True})
    by_id = Post.objects.visible().with_authors().in_bulk(ids)
    return Page(
        object_list=[by_id[pk] for pk in ids if pk in by_id], number=number, has_next=has_next
    )


def page_ids(query, offset, per_page):
    """The ids of the posts on a page of results, best first, and whether more follow."""
    backend = connections["default"].get_backend()
    if isinstance(backend, WhooshBackend) and backend.use_file_storage:
        ids = whoosh_page_ids(backend, query, offset, per_page + 1)
        return ids[:per_page], len(ids) > per_page
    # Other engines, through Haystack. Whoosh pages there must be aligned, so this takes
    # exactly one page and asks for the total (a search server returns it with the page).
    results = matching(query)
    ids = [int(result.pk) for result in results[offset : offset + per_page]]
    return ids, offset + per_page < results.count()


def whoosh_page_ids(backend, query, offset, limit):
    """Hits offset..offset+limit of `query` as post ids, from the results cache or Whoosh.

    The thread's searcher is reused while the index is unchanged, and Whoosh scores only
    enough to know the best offset+limit hits instead of counting every match. The ids are
    cached under the index version the searcher reads (see WhooshBackend.snapshot): the first
    commit by any process changes the key, so an entry is never served for another state of
    the index, and a new post is found at once.
    """
    snapshot = backend.snapshot()
    key = results_cache_key(backend, snapshot.version, query, offset, limit)
    cache = caches[RESULTS_CACHE]
    ids = cache.get(key)
    if ids is None:
        # The very query Haystack builds for SearchQuerySet().auto_query(query).
        query_string = SearchQuerySet().auto_query(query).query.build_query()
        models = [Post] if narrow_to_posts() else None
        hits = backend.top_ids(snapshot.searcher, query_string, offset + limit, models=models)
        ids = [int(pk) for pk in hits[offset:]]
        cache.set(key, ids)
    return ids


def results_cache_key(backend, version, query, offset, limit):
    digest = hashlib.sha256(
        "\n".join([backend.path, version, query, str(offset), str(limit)]).encode()
    ).hexdigest()
    return f"search:ids:{digest}"


# Signals ------------------------------------------------------------------------------------


class SearchSignalProcessor(BaseSignalProcessor):
    """Haystack's signal processor for Microblog: post changes go through `schedule_sync()`.

    It also notices a user being deactivated or reactivated (their posts leave or rejoin the
    results) without an extra query: the flag is remembered when the user is loaded.
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

    def handle_save(self, sender, instance, **kwargs):
        index_post(instance.pk)

    def handle_delete(self, sender, instance, **kwargs):
        unindex_post(instance.pk)

    def remember_active(self, sender, instance, **kwargs):
        if "is_active" in instance.__dict__:  # never load a deferred field here
            instance._search_was_active = instance.is_active

    def handle_user_save(self, sender, instance, created, **kwargs):
        was_active = getattr(instance, "_search_was_active", None)
        if not created and was_active is not None and was_active != instance.is_active:
            reindex_author(instance.pk)
        instance._search_was_active = instance.is_active
