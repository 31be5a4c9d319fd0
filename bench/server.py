"""The site under gunicorn in a child process, for the benchmark and the load and fault tests.

The server runs with the repository's gunicorn.conf.py when there is one (only the address is
overridden, so that it listens on a free port of 127.0.0.1), else with gunicorn's defaults
and `2 x cores + 1` sync workers.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN_CONF = BASE_DIR / "gunicorn.conf.py"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_workers():
    return 2 * (os.cpu_count() or 1) + 1


def manage(*args, env, check=True, timeout=600):
    """Run `manage.py <args>` in a child process with `env`; returns its output."""
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout + result.stderr


class Server:
    """`with Server(env, log_path) as server:` the site on `server.url` until the block ends."""

    def __init__(self, env, log_path, workers=None, timeout=60):
        self.env = dict(env)
        self.log_path = Path(log_path)
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def command(self):
        command = [sys.executable, "-m", "gunicorn"]
        if GUNICORN_CONF.exists():
            command += ["--config", str(GUNICORN_CONF)]
        elif self.workers is None:
            command += ["--workers", str(default_workers())]
        if self.workers is not None:
            command += ["--workers", str(self.workers)]
        return [*command, "--bind", f"127.0.0.1:{self.port}", "microblog.wsgi:application"]

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(),
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_up()
        return self

    def wait_until_up(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.url}/auth/login", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answered: up (the page itself is the caller's business)
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {self.timeout} s:\n{self.log()}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def worker_count(self):
        return self.log().count("Booting worker with pid")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
