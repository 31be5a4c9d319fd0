"""Several OS processes write posts at once; afterwards the index holds exactly the database.

Each process is a real Django process (posts/tests/search_writers.py) on a shared SQLite file
and Whoosh directory, so they contend for Whoosh's single writer the way gunicorn workers do.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

WRITERS = 4
POSTS_EACH = 40
BASE_DIR = Path(settings.BASE_DIR)
REDIS_URL = os.environ.get("REDIS_URL", "")


def environment(tmp_path, redis_url=""):
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_TEST_NAME"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SEARCH_URL=f"whoosh://{tmp_path / 'whoosh_index'}",
        REDIS_URL=redis_url,
        PYTHONUNBUFFERED="1",
    )
    return env


def run(env, *args, timeout=240):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def write_from_several_processes(env, posts_each=POSTS_EACH):
    run(env, "-m", "posts.tests.search_writers", "setup")
    start_at = str(time.time() + 2)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "posts.tests.search_writers", "write", str(n), str(posts_each)]
            + [start_at],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err  # no error reached the "user"


def check(env, posts_each=POSTS_EACH):
    state = json.loads(run(env, "-m", "posts.tests.search_writers", "check").stdout)
    assert len(state["database"]) >= WRITERS * posts_each // 2
    assert state["index"] == state["database"]  # same posts, with their latest words
    assert state["documents"] == len(state["database"])  # and no duplicates
    assert state["found"] == len(state["database"])


def test_concurrent_writers_leave_the_index_equal_to_the_database(tmp_path):
    env = environment(tmp_path)
    write_from_several_processes(env)
    check(env)


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL pointing at a real Redis")
def test_concurrent_writers_through_the_rq_queue(tmp_path):
    env = environment(tmp_path, REDIS_URL)
    empty = (
        "import django_rq; from django.core.cache import cache; from posts.search import sync; "
        "django_rq.get_queue(sync.QUEUE).empty(); cache.delete(sync.SCHEDULED_KEY)"
    )
    run(env, "manage.py", "shell", "-c", empty)
    write_from_several_processes(env, posts_each=15)  # a forking worker: ~0.1 s a job
    index_before = json.loads(run(env, "-m", "posts.tests.search_writers", "check").stdout)
    assert index_before["index"] == {}  # nothing written yet: the queue holds the work
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "search", "--burst"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
    check(env, posts_each=15)
