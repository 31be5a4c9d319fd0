"""The outbox and the sync job: a busy index, an unreachable cache, a job that never ran or
failed, a burst of posts through the RQ queue. Whatever happens, the user gets an answer and
the index catches up."""

import threading
import time

import fakeredis
import pytest
from django.db import transaction
from rq import Queue, SimpleWorker

from posts.models import IndexChange, Post
from posts.search import sync
from posts.search.backend import LockError, writer_turn
from posts.search.query import search_posts
from posts.services import create_post


def indexed_ids(backend):
    backend.setup()
    with backend.index.refresh().searcher() as searcher:
        return sorted(int(doc["django_id"]) for doc in searcher.documents())


def bodies(page):
    return [post.body for post in page]


def test_the_writer_turn_is_exclusive_across_open_files():
    with writer_turn():
        failed = []
        thread = threading.Thread(target=lambda: failed.append(take_turn(timeout=0.05)))
        thread.start()
        thread.join()
    assert failed == [True]
    assert take_turn(timeout=0.05) is False  # released once the holder is done


def take_turn(timeout):
    """True if the turn did not come within `timeout` seconds."""
    try:
        with writer_turn(timeout=timeout):
            return False
    except LockError:
        return True


def test_the_writer_turn_can_be_taken_again_by_its_holder():
    with writer_turn(), writer_turn(timeout=0.05):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_busy_index_delays_the_index_never_the_answer(search_index, signed_in):
    holding, release = threading.Event(), threading.Event()

    def another_writer():
        with writer_turn():
            holding.set()
            release.wait(5)

    writer = threading.Thread(target=another_writer)
    writer.start()
    assert holding.wait(5)
    threading.Timer(0.3, release.set).start()
    response = signed_in.post("/", {"post": "written while the index was busy"})
    writer.join()
    assert response.status_code == 302
    assert indexed_ids(search_index) == [Post.objects.get().pk]


@pytest.mark.django_db
def test_every_change_is_noted_in_its_own_transaction(committed, user, make_user, monkeypatch):
    monkeypatch.setattr(sync, "enqueue", lambda *args, **kwargs: None)  # no job runs
    with committed():
        post = create_post(user, "noted")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        create_post(user, "rolled back")
        raise RuntimeError
    post.body = "edited"
    with committed():
        post.save()
    other = make_user("other")
    with committed():
        create_post(other, "theirs")
    other.is_active = False
    with committed():
        other.save()
    other.save()  # no change of activity: nothing to note
    with committed():
        post.delete()
    noted = list(IndexChange.objects.order_by("pk").values_list("post_id", flat=True))
    theirs = Post.objects.get(body="theirs").pk
    assert noted == [post_id := noted[0], post_id, theirs, theirs, post_id]


@pytest.mark.django_db
def test_a_job_that_never_ran_is_caught_up_by_the_next_write(write, monkeypatch, search_index):
    monkeypatch.setattr(sync, "enqueue", lambda *args, **kwargs: None)  # the process died
    lost = write("lost harbour")
    assert indexed_ids(search_index) == [] and IndexChange.objects.count() == 1
    monkeypatch.undo()
    from django.core.cache import cache

    cache.delete(sync.SCHEDULED_KEY)  # the flag of the job that never ran has expired
    later = write("later harbour")
    assert indexed_ids(search_index) == sorted([lost.pk, later.pk])
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_a_start_catches_up_with_waiting_changes(
    search_index, user, django_capture_on_commit_callbacks
):
    [post] = Post.objects.bulk_create([Post(author=user, body="waiting")])  # no signals
    IndexChange.objects.create(post_id=post.pk)  # as left by a process killed before its job
    with django_capture_on_commit_callbacks(execute=True):
        sync.catch_up()
    assert indexed_ids(search_index) == [post.pk]
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_a_failed_job_leaves_its_changes_for_the_next(write, monkeypatch, search_index):
    real = sync.sync_posts

    def failing(post_ids):
        raise LockError("busy")

    monkeypatch.setattr(sync, "sync_posts", failing)
    first = write("first try")  # the job fails (logged): the request still succeeds
    assert indexed_ids(search_index) == [] and IndexChange.objects.count() == 1
    monkeypatch.setattr(sync, "sync_posts", real)
    second = write("second try")
    assert indexed_ids(search_index) == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_a_change_noted_during_a_sync_waits_for_the_next_batch(write, monkeypatch, search_index):
    post = write("before the edit")
    IndexChange.objects.create(post_id=post.pk)
    real = sync.sync_posts

    def edited_meanwhile(post_ids):
        real(post_ids)
        Post.objects.filter(pk=post.pk).update(body="after the edit")
        IndexChange.objects.create(post_id=post.pk)  # the edit's note, after the read

    monkeypatch.setattr(sync, "sync_posts", edited_meanwhile)
    assert sync.sync_batch() == 1
    assert list(IndexChange.objects.values_list("post_id", flat=True)) == [post.pk]
    monkeypatch.setattr(sync, "sync_posts", real)
    sync.sync_search_index()
    assert bodies(search_posts("edit")) == ["after the edit"]
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_an_unreachable_cache_still_queues_the_sync(write, monkeypatch, search_index):
    class Unreachable:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis is down")

        delete = add

    monkeypatch.setattr(sync, "cache", Unreachable())
    post = write("the cache is down today")
    assert indexed_ids(search_index) == [post.pk]


@pytest.mark.django_db
def test_a_users_deactivation_takes_their_posts_out_of_the_index_and_back(
    write, committed, make_user, search_index
):
    spammer = make_user("spammer")
    spam = write("cheap watches here", author=spammer)
    kept = write("my watches are not cheap")
    spammer.is_active = False
    with committed():
        spammer.save()
    assert indexed_ids(search_index) == [kept.pk]
    assert bodies(search_posts("cheap")) == ["my watches are not cheap"]
    spammer.is_active = True
    with committed():
        spammer.save()
    assert indexed_ids(search_index) == sorted([spam.pk, kept.pk])
    assert len(search_posts("cheap")) == 2


# Through the RQ queue ------------------------------------------------------------------------


@pytest.fixture
def search_queue(settings, monkeypatch):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # never reached: the queue is fakeredis
    queue = Queue(sync.QUEUE, connection=fakeredis.FakeRedis())
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: queue)
    return queue


def run_worker(queue):
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


@pytest.mark.django_db
def test_a_burst_of_posts_makes_one_job_and_one_commit(
    search_index, search_queue, user, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posts = [create_post(user, f"queued post {i}") for i in range(3)]
    assert len(search_queue.jobs) == 1  # the first post queued the job; the others joined it
    assert indexed_ids(search_index) == []
    commits = []
    real_sync = sync.sync_posts
    monkeypatch.setattr(sync, "sync_posts", lambda ids: commits.append(ids) or real_sync(ids))
    run_worker(search_queue)
    assert commits == [{post.pk for post in posts}]
    assert indexed_ids(search_index) == sorted(post.pk for post in posts)
    with django_capture_on_commit_callbacks(execute=True):  # the next post queues a new job
        later = create_post(user, "after the run")
    assert len(search_queue.jobs) == 1
    run_worker(search_queue)
    assert later.pk in indexed_ids(search_index)
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_a_job_whose_flag_expired_is_not_waited_for(
    search_index, search_queue, user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(sync, "SCHEDULED_TTL", 1)
    with django_capture_on_commit_callbacks(execute=True):
        create_post(user, "its job was lost")
    search_queue.connection.flushall()  # e.g. Redis lost it
    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        create_post(user, "the next post")
    assert len(search_queue.jobs) == 1
    run_worker(search_queue)
    assert len(indexed_ids(search_index)) == 2
