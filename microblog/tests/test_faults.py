"""The site under faults: an export worker killed mid-job, Redis gone, the database restarted.

Each test runs gunicorn (and rqworker) on a database file of its own, with a Redis server or a
PostgreSQL cluster of its own that it can stop without disturbing anything else; they run when
REDIS_URL / DATABASE_URL say that real services are wanted, and are skipped only without them.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from rq.job import Job
from rq.registry import StartedJobRegistry

from bench.server import BASE_DIR

from . import live

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs DATABASE_URL"
)


def wait_for(condition, seconds=30, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def rqworker(env, directory, *args):
    log = (directory / "rqworker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), "rqworker", "default", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def tasks(directory):
    db = sqlite3.connect(directory / "db.sqlite3")
    try:
        return db.execute(
            "SELECT id, complete, failed FROM messaging_task ORDER BY created"
        ).fetchall()
    finally:
        db.close()


@pytest.fixture
def redis_server(tmp_path):
    server = live.RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def exporter_site(tmp_path, migrated_sqlite, redis_server):
    env = live.new_site(tmp_path, migrated_sqlite, REDIS_URL=redis_server.url)
    user = live.sign_in(env, ["exporter"])["exporter"]
    live.run_shell(
        env,
        "from accounts.models import User; from posts.models import Post; "
        "u = User.objects.get(username='exporter'); u.email = 'exporter@example.com'; u.save(); "
        "Post.objects.bulk_create(Post(author=u, body=f'post {i}') for i in range(50))",
    )
    server = live.start(env, tmp_path, workers=2)
    yield env, server, live.browser(user["session"])
    server.stop()


@needs_redis
def test_a_worker_killed_mid_export_fails_the_task_and_frees_the_user(
    tmp_path, exporter_site, redis_server
):
    env, server, http = exporter_site
    assert http.post(server.url + "/export_posts", data=live.form()).status_code == 200
    [(task_id, complete, failed)] = tasks(tmp_path)
    assert not complete

    # Hold the database's write lock, so that the job blocks on its first write, mid-job.
    lock = sqlite3.connect(tmp_path / "db.sqlite3", timeout=30, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    worker = rqworker(env, tmp_path)
    try:
        connection = redis_server.client()
        registry = StartedJobRegistry("default", connection=connection)

        def running():
            registered = any(
                member.decode().startswith(task_id)
                for member in connection.zrange(registry.key, 0, -1)
            )
            return (
                registered and Job.fetch(task_id, connection=connection).get_status() == "started"
            )

        wait_for(running, what="the export job to start")
        time.sleep(0.5)  # into the job, blocked on the database
        # The worker and its work horse (a child in a session of its own), with no clean-up.
        horses = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
        assert horses.stdout.split(), "the job should be running in a work horse"
        for pid in [worker.pid, *map(int, horses.stdout.split())]:
            os.kill(pid, signal.SIGKILL)
        worker.wait()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert http.get(server.url + "/user/exporter").status_code == 200

    # RQ declares a job abandoned once its worker's heartbeat has lapsed (a minute or more):
    # let that minute pass by expiring the heartbeat now.
    for member in connection.zrange(registry.key, 0, -1):
        connection.zadd(registry.key, {member: time.time() - 1})

    # Pages only read: the task is still running for them until something checks.
    assert f'id="{task_id}-progress"' in http.get(server.url + "/user/exporter").text
    assert tasks(tmp_path) == [(task_id, 0, 0)]
    # The worker's supervisor starts a new one: RQ's clean-up of the dead worker's job on start
    # calls the job's on_failure, which fails the task.
    assert rqworker(env, tmp_path, "--burst").wait(timeout=120) == 0
    assert tasks(tmp_path) == [(task_id, 1, 1)]

    page = http.get(server.url + "/user/exporter").text
    assert f'id="{task_id}-failed"' in page  # the user is told, until they dismiss it
    assert f'id="{task_id}-progress"' not in page
    assert f'id="{task_id}-failed"' in http.get(server.url + "/explore").text
    dismissed = http.post(server.url + "/tasks/dismiss", data=live.form(task_id=task_id))
    assert dismissed.status_code == 200
    assert f"{task_id}-" not in http.get(server.url + "/user/exporter").text

    # A new export can start, and a healthy worker completes it.
    assert http.post(server.url + "/export_posts", data=live.form()).status_code == 200
    second = tasks(tmp_path)[-1][0]
    assert second != task_id
    worker = rqworker(env, tmp_path, "--burst")
    assert worker.wait(timeout=120) == 0
    assert tasks(tmp_path)[-1] == (second, 1, 0)
    assert server.alive()


@needs_redis
def test_redis_down_pages_still_render_and_exports_still_work(
    tmp_path, exporter_site, redis_server
):
    env, server, http = exporter_site
    pages = ["/", "/explore", "/user/exporter", "/messages", "/notifications?since=0"]
    redis_server.stop()

    for path in pages:
        assert http.get(server.url + path).status_code == 200, path
    response = http.post(server.url + "/export_posts", data=live.form())
    assert response.status_code == 200
    assert "exported" in response.text  # a clear message, not an error page
    # Without a queue the export runs in the web process, on its background thread: not lost.
    wait_for(
        lambda: [(complete, failed) for _, complete, failed in tasks(tmp_path)] == [(1, 0)],
        what="the export to finish in-process",
    )

    redis_server.start()  # back, empty, on the same port
    for path in pages:
        assert http.get(server.url + path).status_code == 200, path
    assert http.post(server.url + "/export_posts", data=live.form()).status_code == 200
    second = tasks(tmp_path)[-1]
    assert second[1:] == (0, 0)  # queued this time
    worker = rqworker(env, tmp_path, "--burst")
    assert worker.wait(timeout=120) == 0
    assert tasks(tmp_path)[-1] == (second[0], 1, 0)


@needs_postgres
def test_database_restart_healthz_503_then_200_without_restarting_gunicorn(tmp_path):
    cluster = live.PostgresCluster().init()
    try:
        env = live.new_site(tmp_path, DATABASE_URL=cluster.url)
        user = live.sign_in(env, ["survivor"])["survivor"]
        server = live.start(env, tmp_path, workers=2)
        try:
            http = live.browser(user["session"])
            probe = live.browser()  # a load balancer's probe has no session
            assert probe.get(server.url + "/healthz").status_code == 200
            assert http.get(server.url + "/").status_code == 200

            cluster.stop()
            assert probe.get(server.url + "/healthz", timeout=30).status_code == 503
            cluster.start()

            wait_for(
                lambda: probe.get(server.url + "/healthz", timeout=30).status_code == 200,
                what="/healthz to answer 200 again",
            )
            for _ in range(6):  # every worker, each with its own (re)connection
                assert http.get(server.url + "/", timeout=30).status_code == 200
            assert server.alive()
        finally:
            server.stop()
    finally:
        cluster.destroy()
