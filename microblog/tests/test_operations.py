"""Production configuration: the strict environment reader, `check --deploy`, gunicorn's
config, logging, and the error email."""

import os
import runpy
import secrets
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from microblog.env import Env

REPO = settings.BASE_DIR
# The test run's own services and switches, which a fresh production process must not inherit
# (the browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly refuses).
NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def clean_environ():
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def env_with(**values):
    env = Env()
    env.ENVIRON = values
    return env


def run_python(code, **variables):
    """Run `code` in a fresh interpreter with Django set up under the given environment."""
    env = {**clean_environ(), **variables}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "microblog.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def production(**extra):
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        **extra,
    }


# The environment reader ------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["true", "False", "on", "0", "1", "yes", "no", ""])
def test_booleans_read_as_usual(raw):
    assert env_with(DEBUG=raw).bool("DEBUG") == (raw.lower() in ("true", "on", "1", "yes"))


def test_a_word_that_is_not_a_boolean_is_refused_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false, not 'maybe'"):
        env_with(DEBUG="maybe").bool("DEBUG", default=True)


def test_a_malformed_number_is_refused_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="POSTS_PER_PAGE is malformed"):
        env_with(POSTS_PER_PAGE="lots").int("POSTS_PER_PAGE", default=25)


def test_missing_variable_without_default_is_named():
    with pytest.raises(ImproperlyConfigured, match="Set the ALLOWED_HOSTS environment"):
        env_with().list("ALLOWED_HOSTS")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/microblog", "DATABASE_URL must start with postgres:// or sqlite:///"),
        ("redis://127.0.0.1:6379/0", "DATABASE_URL must start with postgres://"),
        ("postgres://db.example.com", "DATABASE_URL names no database"),
        ("nonsense", "DATABASE_URL must start with"),
    ],
)
def test_a_database_url_we_cannot_use_is_refused_naming_it(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env_with(DATABASE_URL=url).db("DATABASE_URL")


def test_good_database_urls_parse():
    config = env_with(DATABASE_URL="postgres://u:p@db:5432/microblog").db("DATABASE_URL")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "microblog"
    assert env_with().db("DATABASE_URL", default="sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"


def test_bad_email_and_search_urls_are_named():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL is malformed"):
        env_with(EMAIL_URL="pigeon://coop").email_url("EMAIL_URL")
    with pytest.raises(ImproperlyConfigured, match="SEARCH_URL is malformed"):
        env_with(SEARCH_URL="grep://here").search_url("SEARCH_URL")


# Production settings, in a fresh process -------------------------------------------------


def test_check_deploy_reports_nothing_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env={**clean_environ(), **production()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_switches_on_https_hsts_and_secure_cookies():
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "STORAGES['staticfiles']['BACKEND']",
    ]
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = run_python(code, **production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:-1] == [
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "31536000",
        "True",
        "True",
        "'whitenoise.storage.CompressedManifestStaticFilesStorage'",
    ]


def test_each_switch_can_be_turned_off_for_a_site_without_a_proxy():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = run_python(
        code,
        **production(SECURE_SSL_REDIRECT="false", SECURE_PROXY_SSL_HEADER="no", SECURE_COOKIES="0"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False None False"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"ALLOWED_HOSTS": None},
            "ALLOWED_HOSTS must name the site's host names when DEBUG is off",
        ),
        ({"ALLOWED_HOSTS": ","}, "ALLOWED_HOSTS must name at least one host"),
        ({"SECRET_KEY": None}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DATABASE_URL": "mongodb://db/microblog"}, "DATABASE_URL must start with"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"),
        ({"SECURE_HSTS_SECONDS": "forever"}, "SECURE_HSTS_SECONDS is malformed"),
    ],
)
def test_a_half_configured_production_site_does_not_start(variables, message):
    environment = production()
    for name, value in variables.items():
        if value is None:
            environment.pop(name)
        else:
            environment[name] = value
    result = run_python("print('started')", **environment)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert message in result.stderr


# gunicorn.conf.py ------------------------------------------------------------------------


def gunicorn_config(monkeypatch, **variables):
    for name in ("WEB_CONCURRENCY", "PORT", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def test_gunicorn_defaults(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["workers"] == min(2 * os.cpu_count() + 1, 12)
    assert config["bind"] == "0.0.0.0:8000"
    assert config["worker_class"] == "sync"
    assert config["timeout"] == 30
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"


def test_gunicorn_reads_workers_port_and_timeout_from_the_environment(monkeypatch):
    config = gunicorn_config(monkeypatch, WEB_CONCURRENCY="5", PORT="9000", GUNICORN_TIMEOUT="60")
    assert config["workers"] == 5
    assert config["bind"] == "0.0.0.0:9000"
    assert config["timeout"] == 60


@pytest.mark.parametrize("value", ["many", "0", "-2", "2.5"])
def test_gunicorn_refuses_a_malformed_worker_count_naming_it(monkeypatch, value):
    with pytest.raises(
        SystemExit, match=f"WEB_CONCURRENCY must be a whole number above 0, not '{value}'"
    ):
        gunicorn_config(monkeypatch, WEB_CONCURRENCY=value)


# Logging and the error email -------------------------------------------------------------


def test_logs_go_to_stdout_when_asked():
    marker = uuid.uuid4().hex
    result = run_python(
        f"import logging; logging.getLogger('microblog').warning('{marker}')", LOG_TO_STDOUT="1"
    )
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout


def test_logs_go_to_a_rotating_file_under_var_logs_otherwise():
    marker = uuid.uuid4().hex
    code = (
        "import logging; from django.conf import settings; "
        f"logging.getLogger('microblog').warning('{marker}'); "
        "print(type(logging.getLogger().handlers[0]).__name__)"
    )
    result = run_python(code, **production(LOG_TO_STDOUT="false"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RotatingFileHandler"
    assert marker not in result.stderr
    assert marker in (REPO / "var" / "logs" / "microblog.log").read_text()


def test_while_debugging_the_console_shows_the_log_too():
    marker = uuid.uuid4().hex
    code = f"import logging; logging.getLogger('microblog').warning('{marker}')"
    result = run_python(code, DEBUG="true", LOG_TO_STDOUT="false")
    assert result.returncode == 0, result.stderr
    assert marker in result.stderr
    assert marker in (REPO / "var" / "logs" / "microblog.log").read_text()


@pytest.mark.django_db
@pytest.mark.urls("microblog.tests.urls_failing")
def test_an_unhandled_error_is_emailed_to_the_admins(settings, mailoutbox, user):
    settings.DEBUG = False
    settings.ADMINS = [("Admin", "ops@example.com")]
    response = Client(raise_request_exception=False).post("/fail")
    assert response.status_code == 500
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["ops@example.com"]
    assert "Internal Server Error: /fail" in email.subject
    assert "RuntimeError" in email.body
    assert "boom" in email.body


@pytest.mark.django_db
@pytest.mark.urls("microblog.tests.urls_failing")
def test_no_email_without_admins_or_while_debugging(settings, mailoutbox, user):
    settings.DEBUG = False
    settings.ADMINS = []
    Client(raise_request_exception=False).post("/fail")
    settings.DEBUG = True
    settings.ADMINS = [("Admin", "ops@example.com")]
    Client(raise_request_exception=False).post("/fail")
    assert mailoutbox == []


@pytest.mark.django_db
def test_requests_for_foreign_host_names_are_not_emailed(settings, client, mailoutbox):
    settings.DEBUG = False
    settings.ADMINS = [("Admin", "ops@example.com")]
    assert client.get("/auth/login", headers={"host": "scanner.example"}).status_code == 400
    assert mailoutbox == []


def test_a_malformed_admin_address_is_an_error(settings):
    from microblog.checks import admins_are_addresses

    settings.ADMINS = [("Admin", "ops@example.com"), ("Admin", "ops.example.com")]
    errors = admins_are_addresses(None)
    assert [error.id for error in errors] == ["microblog.E001"]
    assert "'ops.example.com'" in errors[0].msg


def test_admins_without_a_mail_service_is_a_deploy_warning(settings):
    from microblog.checks import error_mail_is_delivered

    settings.ADMINS = [("Admin", "ops@example.com")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [warning.id for warning in error_mail_is_delivered(None)] == ["microblog.W001"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert error_mail_is_delivered(None) == []
    settings.ADMINS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert error_mail_is_delivered(None) == []
