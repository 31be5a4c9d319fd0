"""One way to run background work, whatever the configuration: `enqueue()`.

A job is handed over once the current database transaction commits (at once outside one), so
that it always finds the rows its caller wrote, and then

- with REDIS_URL set, it goes on an RQ queue (django-rq) for `manage.py rqworker`;
- without Redis, or when Redis cannot be reached, it runs in this process on a background
  thread, off the request: one thread per process, jobs in the order they came;
- with JOBS_EAGER (the tests), it runs at once in the calling thread.

A job that raises is logged (by RQ, or here) and its `on_failure(job_id)` is called; under RQ
that callback also runs for a job whose worker died (RQ's abandoned jobs).
"""

import atexit
import logging
import os
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connections, transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "default"
# Seconds a process waits at exit for its in-process jobs: under gunicorn's graceful_timeout
# (30 s), after which the master kills the worker anyway.
DRAIN_TIMEOUT = 20.0


@dataclass
class _Job:
    func: object
    args: tuple
    kwargs: dict
    id: str
    queue: str
    on_failure: object = None

    @property
    def name(self):
        return _dotted_name(self.func)


def new_job_id():
    return str(uuid.uuid4())


def enqueue(func, *args, job_id=None, queue=DEFAULT_QUEUE, on_failure=None, **kwargs):
    """Run `func(*args, **kwargs)` in the background once the transaction commits.

    `func` and `on_failure` must be module-level functions (an RQ worker imports them by name);
    `on_failure(job_id)` is called if the job raises or its worker dies. Returns the job id.
    Never raises because Redis is down: the job then runs in this process.
    """
    job = _Job(func, args, kwargs, job_id or new_job_id(), queue, on_failure)
    transaction.on_commit(partial(_dispatch, job))
    return job.id


def uses_rq():
    """Whether jobs go to RQ workers (REDIS_URL set, not eager)."""
    return bool(settings.REDIS_URL) and not settings.JOBS_EAGER


def _dispatch(job):
    if settings.JOBS_EAGER:
        _run(job)
        return
    if uses_rq():
        try:
            _enqueue_on_rq(job)
            return
        except (RedisError, OSError):
            logger.warning(
                "Could not queue job %s (%s): running it in this process",
                job.id,
                job.name,
                exc_info=True,
            )
    _runner.submit(job)


def _queue(name):
    import django_rq

    # Already after the commit: django-rq must not defer the enqueue again.
    return django_rq.get_queue(name, commit_mode="auto")


def _enqueue_on_rq(job):
    from rq import Callback

    options = {}
    if job.on_failure is not None:
        options["on_failure"] = Callback(_rq_failure_callback)
        options["meta"] = {"on_failure": _dotted_name(job.on_failure)}
    _queue(job.queue).enqueue(job.func, args=job.args, kwargs=job.kwargs, job_id=job.id, **options)


def _dotted_name(func):
    return f"{func.__module__}.{getattr(func, '__qualname__', func)}"


def _rq_failure_callback(job, connection, exc_type, exc_value, traceback):
    """RQ's failure callback (job raised, or abandoned by a dead worker) -> on_failure(id)."""
    import_string(job.meta["on_failure"])(job.id)


_current = threading.local()


def _run(job):
    """Run one job in this process; like a worker, log a failure instead of raising it."""
    outer, _current.job_id = getattr(_current, "job_id", None), job.id  # eager jobs may nest
    try:
        job.func(*job.args, **job.kwargs)
    except Exception:
        logger.exception("Job %s (%s) failed", job.id, job.name)
        if job.on_failure is not None:
            try:
                job.on_failure(job.id)
            except Exception:
                logger.exception("The failure callback of job %s failed", job.id)
    finally:
        _current.job_id = outer


def current_job_id():
    """The id of the job running in this thread (RQ's or in-process), or None."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        return job.id
    return getattr(_current, "job_id", None)


def report_progress(percent):
    """Record the running RQ job's progress in its meta (shown by RQ's dashboards)."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["progress"] = percent
        job.save_meta()


def fetch_job(job_id, queue=DEFAULT_QUEUE):
    """The RQ job with this id, or None if Redis has none (or jobs do not use RQ)."""
    if not uses_rq():
        return None
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        return Job.fetch(job_id, connection=_queue(queue).connection)
    except NoSuchJobError:
        return None


def clean_abandoned_jobs():
    """File as failed the RQ jobs whose worker died mid-job, calling their on_failure.

    RQ's workers do this on start and every few minutes; `manage.py check_tasks` does it now.
    """
    if not uses_rq():
        return
    from rq.registry import StartedJobRegistry

    for name in settings.RQ_QUEUES:
        StartedJobRegistry(queue=_queue(name)).cleanup()


class _Runner:
    """The in-process runner: one daemon thread per process, jobs first in, first out."""

    def __init__(self):
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.drain)

    def _reset(self):
        # In a forked child the parent's thread does not exist and its jobs are the parent's.
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._pending = deque()
        self._busy = False
        self._thread = None

    def submit(self, job):
        with self._lock:
            self._pending.append(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="jobs", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def _work(self):
        while True:
            with self._lock:
                while not self._pending:
                    self._changed.wait()
                job = self._pending.popleft()
                self._busy = True
            try:
                _run(job)
            finally:
                with self._lock:
                    idle = not self._pending
                if idle:
                    # An idle thread must not hold a database connection open for hours.
                    connections.close_all()
                with self._lock:
                    self._busy = False
                    self._changed.notify_all()

    def wait(self, timeout=None):
        with self._lock:
            return self._changed.wait_for(
                lambda: not self._pending and not self._busy, timeout=timeout
            )

    def drain(self):
        if not self.wait(DRAIN_TIMEOUT):
            with self._lock:
                left = [job.id for job in self._pending]
            logger.warning("Exiting with background jobs unfinished: %s", left)


_runner = _Runner()


def wait_for_jobs(timeout=None):
    """Wait until this process's in-process jobs are all done; False if `timeout` ran out."""
    return _runner.wait(timeout)
