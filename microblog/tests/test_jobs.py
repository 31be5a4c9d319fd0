"""microblog.jobs.enqueue() in each mode: eager, the in-process thread, RQ, and Redis down."""

import logging
import os
import subprocess
import sys
import threading

import pytest
from django.db import transaction
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from microblog import jobs

CALLS = []
FAILURES = []
RELEASE = threading.Event()


def record(*args, **kwargs):
    CALLS.append((args, kwargs, threading.current_thread().name, jobs.current_job_id()))


def wait_then_record(name):
    RELEASE.wait(10)
    record(name)


def broken(*args):
    raise ValueError("this job always fails")


def progress(percent):
    jobs.report_progress(percent)


def failed(job_id):
    FAILURES.append(job_id)


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    FAILURES.clear()
    RELEASE.clear()
    yield
    RELEASE.set()
    assert jobs.wait_for_jobs(10)


@pytest.fixture
def in_process(settings):
    """The embedded defaults: no Redis, not eager."""
    settings.JOBS_EAGER = False
    settings.REDIS_URL = ""


@pytest.fixture
def unreachable_redis(settings, monkeypatch):
    settings.JOBS_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    nowhere = Queue("default", connection=Redis(port=1, retry=Retry(NoBackoff(), 0)))
    monkeypatch.setattr("django_rq.get_queue", lambda name="default", **kwargs: nowhere)


# Eager (the tests' default) ---------------------------------------------------------------


@pytest.mark.django_db
def test_eager_jobs_run_in_the_calling_thread_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = jobs.enqueue(record, 1, two=2, job_id="j-1")
        assert CALLS == []  # not before the commit
    assert job_id == "j-1"
    assert [((1,), {"two": 2}, threading.current_thread().name, "j-1")] == CALLS
    assert jobs.current_job_id() is None


@pytest.mark.django_db
def test_a_job_of_a_rolled_back_transaction_never_runs(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        jobs.enqueue(record, "rolled back")
        raise RuntimeError
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_job_runs_at_once():
    jobs.enqueue(record, "now")
    assert [args for args, *_ in CALLS] == [("now",)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_logged_and_its_on_failure_called(caplog):
    with caplog.at_level(logging.ERROR, logger="microblog.jobs"):
        job_id = jobs.enqueue(broken, on_failure=failed)
    assert [job_id] == FAILURES
    [record_] = [r for r in caplog.records if r.name == "microblog.jobs"]
    assert job_id in record_.getMessage() and record_.exc_info[0] is ValueError


# In-process, on the background thread (no Redis) -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_without_redis_jobs_run_on_a_background_thread_in_order(in_process):
    first = jobs.enqueue(wait_then_record, "first")
    jobs.enqueue(record, "second")
    jobs.enqueue(record, "third")
    assert CALLS == []  # the caller did not wait for the job
    assert not jobs.wait_for_jobs(0.2)  # the first is still waiting
    RELEASE.set()
    assert jobs.wait_for_jobs(10)
    assert [args for args, *_ in CALLS] == [("first",), ("second",), ("third",)]
    threads = {thread for _args, _kwargs, thread, _id in CALLS}
    assert threads == {"jobs"} != {threading.current_thread().name}
    assert CALLS[0][3] == first  # current_job_id() inside the job


@pytest.mark.django_db(transaction=True)
def test_a_failing_background_job_is_logged_and_the_next_still_runs(in_process, caplog):
    with caplog.at_level(logging.ERROR, logger="microblog.jobs"):
        failing = jobs.enqueue(broken, on_failure=failed)
        jobs.enqueue(record, "after")
        assert jobs.wait_for_jobs(10)
    assert [failing] == FAILURES
    assert [args for args, *_ in CALLS] == [("after",)]
    assert any(r.exc_info and r.exc_info[0] is ValueError for r in caplog.records)


@pytest.mark.django_db
def test_background_jobs_wait_for_the_commit_too(in_process, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(record, "after commit")
        assert jobs.wait_for_jobs(1) and CALLS == []
    assert jobs.wait_for_jobs(10)
    assert [args for args, *_ in CALLS] == [("after commit",)]


@pytest.mark.django_db(transaction=True)
def test_a_forked_child_runs_its_own_jobs_on_a_new_thread(in_process):
    jobs.enqueue(wait_then_record, "parent's, running")
    jobs.enqueue(record, "parent's, pending")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's jobs are not its to run
        try:
            jobs.enqueue(record, "child's")
            done = jobs.wait_for_jobs(10)
            os.write(write, repr((done, [args for args, *_ in CALLS])).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    assert answer == repr((True, [("child's",)]))
    RELEASE.set()
    assert jobs.wait_for_jobs(10)
    assert [args for args, *_ in CALLS] == [("parent's, running",), ("parent's, pending",)]


DRAIN = """
import sys, time, django
django.setup()
from microblog import jobs

def slow_write(path):
    time.sleep(0.5)
    open(path, "w").write("done")

jobs.enqueue(slow_write, sys.argv[1])
print("exiting")
"""


def test_pending_jobs_are_finished_before_the_process_exits(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "microblog.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "JOBS_EAGER": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", DRAIN, str(tmp_path / "out")],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout
    assert (tmp_path / "out").read_text() == "done"


# RQ (fakeredis, a worker in this process) --------------------------------------------------


@pytest.mark.django_db
def test_with_redis_the_job_goes_on_its_queue_after_the_commit(
    fake_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = jobs.enqueue(record, 1, queue="search", job_id="rq-1", description="a kwarg")
        assert fake_queue.count == 0
    assert fake_queue.job_ids == [job_id] == ["rq-1"]
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert [((1,), {"description": "a kwarg"}, threading.current_thread().name, "rq-1")] == CALLS
    assert Job.fetch(job_id, connection=fake_queue.connection).get_status() == JobStatus.FINISHED


@pytest.mark.django_db(transaction=True)
def test_under_rq_progress_goes_to_the_jobs_meta(fake_queue):
    job_id = jobs.enqueue(progress, 42)
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert Job.fetch(job_id, connection=fake_queue.connection).meta["progress"] == 42
    assert jobs.fetch_job(job_id).meta["progress"] == 42
    assert jobs.fetch_job("no-such-job") is None


@pytest.mark.django_db(transaction=True)
def test_under_rq_a_failing_job_calls_its_on_failure(fake_queue):
    job_id = jobs.enqueue(broken, on_failure=failed)
    SimpleWorker([fake_queue], connection=fake_queue.connection).work(burst=True)
    assert Job.fetch(job_id, connection=fake_queue.connection).get_status() == JobStatus.FAILED
    assert [job_id] == FAILURES


@pytest.mark.django_db(transaction=True)
def test_a_job_abandoned_by_a_dead_worker_calls_its_on_failure(fake_queue):
    job_id = jobs.enqueue(record, on_failure=failed)
    job = Job.fetch(job_id, connection=fake_queue.connection)
    job.set_status(JobStatus.STARTED)
    registry = StartedJobRegistry(queue=fake_queue)
    fake_queue.connection.zadd(registry.key, {f"{job_id}:execution": 1})  # expired long ago
    jobs.clean_abandoned_jobs()
    assert [job_id] == FAILURES
    assert job.get_status() == JobStatus.FAILED


# Redis unreachable: never lost, never raised -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_redis_unreachable_at_enqueue_time_runs_the_job_in_process(unreachable_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="microblog.jobs"):
        jobs.enqueue(record, "not lost")
        assert jobs.wait_for_jobs(10)
    assert [(args, thread) for args, _kw, thread, _id in CALLS] == [(("not lost",), "jobs")]
    assert any("Could not queue" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_redis_unreachable_at_commit_time_runs_the_job_in_process(
    unreachable_redis, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(record, "still not lost")
    assert jobs.wait_for_jobs(10)
    assert [args for args, *_ in CALLS] == [("still not lost",)]
