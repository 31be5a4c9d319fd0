"""A process killed with SIGKILL in the middle of a write load loses no index change: after
the next write, the index holds exactly the visible posts again, and nobody ran update_index.

The writers are real Django processes (posts/tests/search_writers.py) on a SQLite file and a
Whoosh directory of their own; with REDIS_URL set, the process killed is an rqworker.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from posts.search import sync

from .test_search_concurrency import BASE_DIR, REDIS_URL, environment, run


def check(env):
    return json.loads(run(env, "-m", "posts.tests.search_writers", "check").stdout)


def in_step(state):
    return state["index"] == state["database"] and state["documents"] == len(state["database"])


def wait_until_in_step(env, timeout=10):
    deadline = time.monotonic() + timeout
    while not in_step(state := check(env)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return state


def start(env, *args, **kwargs):
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def read_until(process, expected, timeout=120):
    """Read the process's output until a line `expected`; fail if it ends first."""
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        if line.strip() == expected:
            return
        assert time.monotonic() < deadline, f"no {expected!r} in time"
    pytest.fail(f"the process ended before {expected!r}: {process.stderr.read()}")


def write_one_more(env):
    run(env, "-m", "posts.tests.search_writers", "write", "99", "1", "0")


@pytest.mark.parametrize("moment", ["before-job", "before-cleanup", "random"])
def test_a_writer_killed_mid_load_loses_nothing_once_the_next_post_is_written(tmp_path, moment):
    env = environment(tmp_path)
    run(env, "-m", "posts.tests.search_writers", "setup")
    loader = start(env, "-m", "posts.tests.search_writers", "load", moment, "15")
    read_until(loader, "hanging" if moment != "random" else "ok 15")
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=10)
    killed = check(env)
    if moment == "before-job":
        assert not in_step(killed)  # a post committed that the index never got
    if moment != "random":
        assert killed["pending"] > 0  # its note is still in the outbox
    write_one_more(env)
    state = wait_until_in_step(env)
    assert state["index"] == state["database"]
    assert state["documents"] == len(state["database"]) == state["found"]
    assert state["pending"] == 0


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL pointing at a real Redis")
def test_an_rqworker_killed_mid_load_loses_nothing_once_the_next_post_is_written(tmp_path):
    env = environment(tmp_path, REDIS_URL)
    run(env, "-m", "posts.tests.search_writers", "setup")
    forget = (
        "import django_rq; from django.core.cache import cache; from posts.search import sync; "
        "django_rq.get_queue(sync.QUEUE).empty(); cache.delete(sync.SCHEDULED_KEY)"
    )
    run(env, "manage.py", "shell", "-c", forget)
    # A session of its own: SIGKILL reaches the worker and the work horse it forked.
    worker = start(env, "manage.py", "rqworker", sync.QUEUE, start_new_session=True)
    loader = start(env, "-m", "posts.tests.search_writers", "load", "random", "0")
    read_until(loader, "ok 20")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    read_until(loader, "ok 30")  # writes go on while no worker runs
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=10)
    assert not in_step(check(env))
    write_one_more(env)
    worker = start(env, "manage.py", "rqworker", sync.QUEUE, "--burst")
    worker.communicate(timeout=120)
    state = wait_until_in_step(env)
    if not in_step(state):
        # The worker died between taking a job and starting it, so the flag saying "a job is
        # queued" outlives it until SCHEDULED_TTL: the first write after that catches up.
        time.sleep(sync.SCHEDULED_TTL)
        write_one_more(env)
        worker = start(env, "manage.py", "rqworker", sync.QUEUE, "--burst")
        worker.communicate(timeout=120)
        state = wait_until_in_step(env)
    assert state["index"] == state["database"]
    assert state["documents"] == len(state["database"]) == state["found"]
    assert state["pending"] == 0
