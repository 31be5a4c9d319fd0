"""A real site for the load and fault tests: gunicorn with several workers on a file database.

The test process's own database (pytest-django's) is not the one the server uses: each site
gets its own SQLite file (migrated once per test session, then copied), its own search index,
and users signed in by session keys written straight into its database.
"""

import contextlib
import json
import os
import secrets
import shutil
import string
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import requests

from bench.server import Server, free_port, manage

CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

SIGN_IN = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
User = get_user_model()
sessions = {}
for name in %(names)r:
    user, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.com"})
    if %(password)r:
        user.set_password(%(password)r)
        user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # ModelBackend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[name] = {"id": user.pk, "session": session.session_key}
    try:
        from api.models import Token
    except ImportError:
        continue
    sessions[name]["token"] = Token.objects.issue(user)[1]
print("SESSIONS=" + json.dumps(sessions))
"""


def site_env(directory, **extra):
    """The environment of a site whose data all live under `directory`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SEARCH_URL", "SQLITE_TEST_NAME"}
    }
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        SEARCH_URL=f"whoosh://{directory / 'whoosh_index'}",
        THROTTLE_CACHE_DIR=str(directory / "throttle_cache"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="bench.settings",  # X-Exception names a 500's cause
        LOG_TO_STDOUT="true",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def migrated_template(directory):
    """A migrated empty SQLite database to copy for each site."""
    directory.mkdir(parents=True, exist_ok=True)
    env = site_env(directory)
    manage("migrate", "--no-input", "-v0", env=env)
    return directory / "db.sqlite3"


def new_site(directory, template=None, **extra):
    directory.mkdir(parents=True, exist_ok=True)
    if template is not None and "DATABASE_URL" not in extra:
        shutil.copy(template, directory / "db.sqlite3")
    env = site_env(directory, **extra)
    if template is None or "DATABASE_URL" in extra:
        manage("migrate", "--no-input", "-v0", env=env)
    return env


def sign_in(env, names, password=""):
    """{name: {"id", "session", "token"}} for users created (or found) in the site's database.

    Without a password (the fast way: no hashing) the users can only use their sessions."""
    output = manage("shell", "-c", SIGN_IN % {"names": list(names), "password": password}, env=env)
    line = next(line for line in output.splitlines() if line.startswith("SESSIONS="))
    return json.loads(line.removeprefix("SESSIONS="))


def browser(session_key=None):
    """A requests session that looks like a signed-in browser, CSRF cookie included."""
    http = requests.Session()
    http.cookies.set("csrftoken", CSRF, domain="127.0.0.1")
    if session_key:
        http.cookies.set("sessionid", session_key, domain="127.0.0.1")
    return http


def form(**fields):
    return {"csrfmiddlewaretoken": CSRF, **fields}


def run_shell(env, code):
    return manage("shell", "-c", code, env=env)


def start(env, directory: Path, workers=4):
    return Server(env, directory / "gunicorn.log", workers=workers).start()


class RedisServer:
    """A redis-server of the test's own on a free port, so that it can be stopped at will."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def client(self):
        return redis.Redis(port=self.port)


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, run as the
    postgres user), so that stopping it disturbs nobody else's database."""

    def __init__(self):
        bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.bin = bindirs[-1] if bindirs else None
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="mb-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/microblog"

    def _run(self, *command):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def init(self):
        shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "microblog")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.directory / "log"),
            "start",
        )

    def stop(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
