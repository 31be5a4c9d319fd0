import fakeredis
import pytest
from rq import Queue


@pytest.fixture
def fake_queue(settings, monkeypatch):
    """Jobs go on an RQ queue kept in fakeredis (no server needed); returns that queue."""
    settings.JOBS_IN_PROCESS = False
    queue = Queue("default", connection=fakeredis.FakeRedis())
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: queue)
    return queue


@pytest.fixture
def other(make_user):
    return make_user("john")
