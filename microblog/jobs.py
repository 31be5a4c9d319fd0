"""One way to run background work, whatever the configuration.

With REDIS_URL set, a job goes on an RQ queue (django-rq) for a `manage.py rqworker`; with no
REDIS_URL (or JOBS_IN_PROCESS on) the same function runs at once, in this process, so the
embedded defaults still do everything. Job functions find their RQ job, when there is one,
with `rq.get_current_job()`.
"""

import logging
import uuid

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "default"


def queue_is_configured():
    return not settings.JOBS_IN_PROCESS


def get_queue(name=DEFAULT_QUEUE):
    import django_rq

    return django_rq.get_queue(name)


def new_job_id():
    return str(uuid.uuid4())


def enqueue(func, *args, job_id=None, queue=DEFAULT_QUEUE, **kwargs):
    """Run `func(*args, **kwargs)` in the background when a queue exists, else now.

    Returns the job id. If Redis cannot be reached the work is done now rather than lost.
    In-process, an exception in the job is logged, as a worker would, and not raised: the
    job itself is responsible for telling the user.
    """
    job_id = job_id or new_job_id()
    if queue_is_configured():
        try:
            get_queue(queue).enqueue(func, *args, job_id=job_id, **kwargs)
            return job_id
        except RedisError:
            logger.exception("Could not queue job %s; running it in this process", job_id)
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, getattr(func, "__name__", func))
    return job_id


def fetch_job(job_id, queue=DEFAULT_QUEUE):
    """The RQ job with this id, or None if Redis does not know it (or no queue is set up)."""
    if not queue_is_configured():
        return None
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        return Job.fetch(job_id, connection=get_queue(queue).connection)
    except NoSuchJobError:
        return None
