"""django-environ's reader, made strict: a value that does not parse stops the start, naming
its variable, instead of leaving a half-configured site (or a traceback that names nothing)."""

import warnings

import environ
from django.core.exceptions import ImproperlyConfigured

DATABASE_ENGINES = {
    "django.db.backends.postgresql": "postgres://",
    "django.db.backends.sqlite3": "sqlite:///",
}


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"{var} is malformed ({self.ENVIRON.get(var)!r}): {error}"
            ) from error

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.ENVIRON.get(var)
        if raw is not None and not _is_boolean(raw):
            raise ImproperlyConfigured(f"{var} must be true or false, not {raw!r}.")
        return super().bool(var, default=default)

    def db_url(self, var="DATABASE_URL", default=environ.Env.NOTSET, engine=None):
        with warnings.catch_warnings():  # "Engine not recognized": we say it better below
            warnings.simplefilter("ignore")
            config = self._named(super().db_url, var, default=default, engine=engine)
        if config.get("ENGINE") not in DATABASE_ENGINES:
            schemes = " or ".join(DATABASE_ENGINES.values())
            raise ImproperlyConfigured(
                f"{var} must start with {schemes}, not {self.ENVIRON.get(var)!r}."
            )
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{var} names no database: {self.ENVIRON.get(var)!r}.")
        return config

    db = db_url

    def email_url(self, var="EMAIL_URL", default=environ.Env.NOTSET, backend=None):
        return self._named(super().email_url, var, default=default, backend=backend)

    email = email_url

    def search_url(self, var="SEARCH_URL", default=environ.Env.NOTSET, engine=None):
        return self._named(super().search_url, var, default=default, engine=engine)

    def _named(self, parse, var, **options):
        try:
            return parse(var, **options)
        except ImproperlyConfigured as error:
            if var in str(error):
                raise
            raise ImproperlyConfigured(f"{var} is malformed: {error}") from error


def _is_boolean(raw):
    value = raw.strip().lower()
    return (
        value in environ.Env.BOOLEAN_TRUE_STRINGS
        or value in ("false", "off", "n", "no", "0", "")
        or value.isdigit()
    )
