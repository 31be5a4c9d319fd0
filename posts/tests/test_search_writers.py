"""Index writes when the index is busy or Redis is gone: the user never sees an error."""

import threading
import time

import fakeredis
import pytest
from rq import Queue, SimpleWorker

from posts import search
from posts.models import Post
from posts.services import create_post


def indexed_ids(backend):
    backend.setup()
    with backend.index.refresh().searcher() as searcher:
        return sorted(int(doc["django_id"]) for doc in searcher.documents())


@pytest.mark.django_db(transaction=True)
def test_a_busy_index_never_fails_the_request_and_catches_up(search_index, signed_in, monkeypatch):
    monkeypatch.setattr(search, "REQUEST_LOCK_TIMEOUT", 0.2)
    monkeypatch.setattr(search, "BACKGROUND_RETRIES", (0.3,) * 20)
    with search.writer_turn():  # another process is writing, for longer than we wait
        response = signed_in.post("/", {"post": "written while the index was busy"})
        assert response.status_code == 302
        assert indexed_ids(search_index) == []
    post = Post.objects.get()
    deadline = time.monotonic() + 10
    while indexed_ids(search_index) != [post.pk] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert indexed_ids(search_index) == [post.pk]


@pytest.mark.django_db
def test_unreachable_redis_falls_back_to_writing_in_process(
    search_index, settings, user, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    settings.RQ_QUEUES = {"search": {"URL": "redis://127.0.0.1:9/0"}}
    with django_capture_on_commit_callbacks(execute=True):
        post = create_post(user, "redis is down today")
    assert indexed_ids(search_index) == [post.pk]


def test_the_writer_turn_is_exclusive_across_open_files():
    with (
        search.writer_turn(),
        pytest.raises(search.LockError),
        search.writer_turn(timeout=0.05),
    ):
        pass
    with search.writer_turn(timeout=0.05):  # released once the holder is done
        pass


# The background writer (no Redis: SEARCH_SYNC_IN_BACKGROUND) ------------------------------


@pytest.mark.django_db(transaction=True)
def test_posts_reach_the_index_through_the_background_writer(search_index, signed_in, settings):
    settings.SEARCH_SYNC_IN_BACKGROUND = True
    with search.writer_turn():  # the index is busy: the requests answer all the same
        for i in range(5):
            assert signed_in.post("/", {"post": f"background post {i}"}).status_code == 302
        assert indexed_ids(search_index) == []
    assert search.background.flush(timeout=10)
    assert indexed_ids(search_index) == sorted(Post.objects.values_list("pk", flat=True))
    Post.objects.first().delete()
    assert search.background.flush(timeout=10)
    assert indexed_ids(search_index) == sorted(Post.objects.values_list("pk", flat=True))


@pytest.fixture
def busy_writer(monkeypatch):
    """A BackgroundSync whose thread is in the middle of syncing post 1 until `release` is set.

    Returns (writer, batches synced so far, release)."""
    batches, writing, release = [], threading.Event(), threading.Event()

    def slow_sync(ids, timeout=None):
        batches.append(ids)
        writing.set()
        release.wait(5)

    monkeypatch.setattr(search, "sync_posts", slow_sync)
    writer = search.BackgroundSync()
    writer.submit([1])
    assert writing.wait(5)
    return writer, batches, release


def test_ids_handed_in_during_a_commit_go_together_into_the_next(busy_writer):
    writer, batches, release = busy_writer  # the thread is busy with post 1 ...
    for post_id in (4, 2, 3):  # ... while three more requests hand theirs in
        writer.submit([post_id])
    release.set()
    assert writer.flush(timeout=5)
    assert batches == [[1], [2, 3, 4]]


@pytest.mark.django_db(transaction=True)
def test_a_failing_background_batch_is_retried(search_index, user, monkeypatch):
    monkeypatch.setattr(search, "BACKGROUND_RETRIES", (0.05, 0.05))
    calls = []
    real_sync = search.sync_posts

    def flaky(ids, timeout=None):
        calls.append(ids)
        if len(calls) == 1:
            raise search.LockError("busy")
        real_sync(ids, timeout)

    monkeypatch.setattr(search, "sync_posts", flaky)
    [post] = Post.objects.bulk_create([Post(author=user, body="retried")])  # no signals
    search.background.submit([post.pk])
    assert search.background.flush(timeout=10)
    assert calls == [[post.pk], [post.pk]]
    assert indexed_ids(search_index) == [post.pk]


def test_flush_of_an_idle_writer_returns_at_once():
    assert search.BackgroundSync().flush(timeout=0.1) is True


# Through the RQ queue: ids wait in a Redis set for one job ---------------------------------


@pytest.fixture
def search_queue(settings, monkeypatch):
    settings.REDIS_URL = "redis://fake"
    queue = Queue(search.QUEUE, connection=fakeredis.FakeRedis())
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: queue)
    return queue


@pytest.mark.django_db
def test_a_burst_of_posts_makes_one_job_and_one_commit(
    search_index, search_queue, user, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posts = [create_post(user, f"queued post {i}") for i in range(3)]
    assert len(search_queue.jobs) == 1  # the first post queued the job; the others joined it
    assert indexed_ids(search_index) == []
    commits = []
    real_sync = search.sync_posts
    monkeypatch.setattr(search, "sync_posts", lambda ids: commits.append(ids) or real_sync(ids))
    SimpleWorker([search_queue], connection=search_queue.connection).work(burst=True)
    assert commits == [sorted(post.pk for post in posts)]
    assert indexed_ids(search_index) == sorted(post.pk for post in posts)
    with django_capture_on_commit_callbacks(execute=True):  # the next post queues a new job
        later = create_post(user, "after the run")
    assert len(search_queue.jobs) == 1
    SimpleWorker([search_queue], connection=search_queue.connection).work(burst=True)
    assert later.pk in indexed_ids(search_index)


@pytest.mark.django_db
def test_a_failed_batch_goes_back_for_the_retry(search_index, search_queue, user, monkeypatch):
    search_queue.connection.sadd(search.PENDING_KEY, 7, 8)
    monkeypatch.setattr(search, "sync_posts", lambda ids: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        search.sync_pending()
    assert sorted(int(i) for i in search_queue.connection.smembers(search.PENDING_KEY)) == [7, 8]


def test_discard_forgets_what_is_not_synced_yet(busy_writer):
    writer, synced, release = busy_writer
    writer.submit([2])
    threading.Timer(0.2, release.set).start()
    writer.discard(timeout=5)  # waits for the batch in progress, drops post 2
    assert writer.flush(timeout=5)
    assert synced == [[1]]
