"""Index writes when the index is busy or Redis is gone: the user never sees an error."""

import time

import pytest

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
