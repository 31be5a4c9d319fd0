"""scripts/boot.sh, run for real outside a container: on a copy of the repository, against a
fresh database (a temporary SQLite file, and a temporary PostgreSQL database when
DATABASE_URL points at PostgreSQL), ending in a real gunicorn that is probed, then stopped."""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
COPY_IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "var", "staticfiles", "test-artifacts", "__pycache__", "*.mo", ".*_cache"
)
PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Home"
msgstr "Inicio"
"""


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """The working tree as it is, without its database, static files and compiled catalogs."""
    target = tmp_path_factory.mktemp("boot") / "microblog"
    shutil.copytree(REPO, target, ignore=COPY_IGNORES, symlinks=False)
    if not list(target.glob("locale/*/LC_MESSAGES/*.po")):
        catalog = target / "locale" / "es" / "LC_MESSAGES"
        catalog.mkdir(parents=True)
        (catalog / "django.po").write_text(PO)
    return target


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SEARCH_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        LOG_TO_STDOUT="true",
        WEB_CONCURRENCY="1",
        DATABASE_WAIT_TIMEOUT="5",
    )
    env.update(extra)
    return env


def boot(repo_copy, env, *args, timeout=120):
    return subprocess.run(
        [str(repo_copy / "scripts" / "boot.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def postgres_database():
    """A fresh, empty PostgreSQL database beside the test one, dropped afterwards."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"microblog_boot_{secrets.token_hex(4)}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=url.username,
        password=url.password,
        host=url.hostname,
        port=url.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(url._replace(path=f"/{name}"))
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'boot.sqlite3'}"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    return request.getfixturevalue("postgres_database")


def get(url, headers=None):
    """One GET, redirects not followed: (status, headers, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.request("GET", parts.path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_for_healthz(process, base, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"boot.sh exited with {process.returncode}:\n{log.read_text()}")
        try:
            return get(f"{base}/healthz")
        except (ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"gunicorn never answered:\n{log.read_text()}")


def test_boot_migrates_compiles_collects_then_serves_with_gunicorn(
    repo_copy, database_url, tmp_path
):
    port = free_port()
    env = production_env(database_url, PORT=str(port), STATIC_ROOT=str(tmp_path / "static"))
    log = tmp_path / "boot.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(repo_copy / "scripts" / "boot.sh")], env=env, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{port}"
        status, _headers, body = wait_for_healthz(process, base, log)
        assert status == 200, body
        assert b'"database": "ok"' in body

        # static files: collected under STATIC_ROOT with fingerprinted, compressed copies,
        # and served by whitenoise from gunicorn (over "HTTPS", as the proxy would say)
        manifest = (tmp_path / "static" / "staticfiles.json").read_text()
        assert "js/microblog.js" in manifest
        hashed = next((tmp_path / "static" / "js").glob("microblog.*.js"))
        assert hashed.with_name(hashed.name + ".gz").exists()
        status, headers, _ = get(
            f"{base}/static/js/{hashed.name}", headers={"X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]

        # plain HTTP to a page is sent to HTTPS; HTTPS pages carry HSTS
        assert get(f"{base}/auth/login")[0] == 301
        status, headers, _ = get(f"{base}/auth/login", headers={"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert get(f"{base}/no-such-page", headers={"X-Forwarded-Proto": "https"})[0] == 404
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    output = log.read_text()
    assert "Applying accounts.0001_initial... OK" in output
    assert "static files copied" in output
    assert "Booting worker" in output  # gunicorn's own log, on stdout
    assert '"GET /healthz HTTP/1.1" 200' in output  # gunicorn's access log
    assert "WARNING django.request" in output  # the site's own log, LOG_TO_STDOUT
    assert "Not Found: /no-such-page" in output
    for catalog in repo_copy.glob("locale/*/LC_MESSAGES/*.po"):
        assert catalog.with_suffix(".mo").exists(), catalog

    # a second boot finds nothing to migrate: the script is safe to run on every start
    again = boot(repo_copy, env, "python", "manage.py", "migrate", "--check")
    assert again.returncode == 0, again.stderr


def test_boot_gives_up_naming_the_database_when_it_never_answers(repo_copy):
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/microblog"
    result = boot(repo_copy, production_env(closed, DATABASE_WAIT_TIMEOUT="1"))
    assert result.returncode != 0
    assert "Waiting for the database" in result.stderr
    assert "The database did not answer within 1 seconds" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("WEB_CONCURRENCY", "lots", "WEB_CONCURRENCY must be a whole number above 0, not 'lots'"),
        ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY must be a whole number above 0"),
        ("PORT", "http", "PORT must be a whole number above 0"),
        ("ALLOWED_HOSTS", None, "ALLOWED_HOSTS must name the site's host names when DEBUG is off"),
        ("SECRET_KEY", None, "SECRET_KEY must be set when DEBUG is off"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 50 random characters"),
        ("DATABASE_URL", "mysql://db/microblog", "DATABASE_URL must start with postgres://"),
        ("DEBUG", "nope", "DEBUG must be true or false, not 'nope'"),
        ("LOG_TO_STDOUT", "sometimes", "LOG_TO_STDOUT must be true or false"),
        ("SECURE_HSTS_SECONDS", "a year", "SECURE_HSTS_SECONDS is malformed"),
        ("ADMINS", "ops.example.com", "ADMINS holds 'ops.example.com', which is not an email"),
    ],
)
def test_a_missing_or_malformed_variable_stops_the_start_naming_it(
    repo_copy, tmp_path, variable, value, message
):
    env = production_env(f"sqlite:///{tmp_path / 'never.sqlite3'}")
    if value is None:
        env.pop(variable)
    else:
        env[variable] = value
    result = boot(repo_copy, env, timeout=60)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "never.sqlite3").exists()  # stopped before touching anything


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_same_script_runs_the_rq_worker(repo_copy, tmp_path):
    env = production_env(f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    env["REDIS_URL"] = os.environ["REDIS_URL"]
    result = boot(repo_copy, env, "rqworker", "default", "--burst", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Listening on default" in result.stdout + result.stderr


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs DATABASE_URL pointing at PostgreSQL",
)
def test_replicas_booting_together_migrate_one_at_a_time(repo_copy, postgres_database):
    env = production_env(postgres_database)
    command = [sys.executable, "manage.py", "migrate_safely"]
    replicas = [
        subprocess.Popen(
            command, cwd=repo_copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outputs = [replica.communicate(timeout=180) for replica in replicas]
    assert [replica.returncode for replica in replicas] == [0, 0, 0], outputs
    applied = [out.decode().count("Applying accounts.0001_initial... OK") for out, _ in outputs]
    assert sorted(applied) == [0, 0, 1]  # one replica migrated, the others found it done
    check = boot(repo_copy, env, "python", "manage.py", "migrate", "--check")
    assert check.returncode == 0, check.stderr
