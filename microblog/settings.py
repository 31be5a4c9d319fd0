"""Microblog settings: one module, every value from the environment (or `.env`).

With no environment at all the site runs on embedded parts (SQLite, Whoosh, in-process
jobs, local-memory cache, console email); each real service is switched on by one
variable. See the configuration table in README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from microblog.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = Env()  # django-environ, strict: a malformed value stops the start, naming it
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-while-DEBUG-is-on"

if not DEBUG and not env.str("ALLOWED_HOSTS", default=""):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "microblog",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "django_rq",
    "haystack",
    "accounts",
    "social",
    "posts",
    "messaging",
    "api",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "microblog.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "microblog.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.LastSeenMiddleware",
    # Last, so that CSRF and the others have looked at the request before the view runs.
    "microblog.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "microblog.urls"
WSGI_APPLICATION = "microblog.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock
    # up front, so a transaction never has to be upgraded (and fail) half way; the busy
    # timeout makes a second writer wait instead of raising "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000;"
            "PRAGMA foreign_keys=ON;PRAGMA mmap_size=268435456;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default="") or None}
# Keep each worker's connection between requests: opening one costs more than a light request
# (for SQLite, ~0.5 ms of CPU: the file, the PRAGMAs above, and the schema parsed again).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and background jobs -------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, except that an unreachable Redis is a miss, not an error.
            "BACKEND": "microblog.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "microblog",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits (sign-in, password reset, the API) count in a cache every process shares: Redis,
# or else files under THROTTLE_CACHE_DIR, shared by the processes of this machine. (Not the
# database cache: a refused write rolls its request's transaction back, counts included.)
CACHES["throttle"] = (
    {**CACHES["default"], "KEY_PREFIX": "microblog-throttle"}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(env.path("THROTTLE_CACHE_DIR", default=VAR_DIR / "throttle_cache")),
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    }
)
# Rendered posts (posts.fragments): keys are content digests, so entries never go stale.
CACHES["fragments"] = {
    **CACHES["default"],
    "LOCATION": CACHES["default"].get("LOCATION", "fragments"),
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": CACHES["default"].get("OPTIONS", {}) if REDIS_URL else {"MAX_ENTRIES": 20_000},
}
# Pages of search result ids (posts.search.query): keys name the index version, so never stale.
# Their own alias, so that a flood of queries does not evict throttling or translations.
CACHES["search"] = {
    **CACHES["default"],
    "LOCATION": CACHES["default"].get("LOCATION", "search"),
    "TIMEOUT": 10 * 60,
    "OPTIONS": CACHES["default"].get("OPTIONS", {}) if REDIS_URL else {"MAX_ENTRIES": 5_000},
}

RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
# microblog.jobs: with REDIS_URL, RQ workers run the jobs; without, a thread of each web
# process. JOBS_EAGER runs them in the caller's thread once its transaction commits (tests).
JOBS_EAGER = env.bool("JOBS_EAGER", default=False)

# Search ---------------------------------------------------------------------------------
HAYSTACK_CONNECTIONS = {
    "default": env.search_url("SEARCH_URL", default=f"whoosh://{VAR_DIR / 'whoosh_index'}")
}
if HAYSTACK_CONNECTIONS["default"]["ENGINE"] == "haystack.backends.whoosh_backend.WhooshEngine":
    # Whoosh has one writer at a time: this engine waits for its turn, and folds accents.
    HAYSTACK_CONNECTIONS["default"]["ENGINE"] = "posts.search.backend.WhooshEngine"
# Post changes are recorded in an outbox and synced by one job on the "search" queue.
HAYSTACK_SIGNAL_PROCESSOR = "posts.search.sync.SearchSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False  # posts.search narrows to posts only when needed
RQ_QUEUES["search"] = RQ_QUEUES["default"]

# Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "posts:index"
LOGOUT_REDIRECT_URL = "posts:index"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # "remember me": thirty days
# The first backend refuses locked-out or impossible credentials before a password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins (site, admin, POST /api/tokens) per typed username and per client address
# within SIGN_IN_LOCKOUT_SECONDS; past either limit, sign-in waits until the window has passed.
SIGN_IN_FAILURES_PER_ACCOUNT = env.int("SIGN_IN_FAILURES_PER_ACCOUNT", default=5)
SIGN_IN_FAILURES_PER_ADDRESS = env.int("SIGN_IN_FAILURES_PER_ADDRESS", default=20)
SIGN_IN_LOCKOUT_SECONDS = env.int("SIGN_IN_LOCKOUT_SECONDS", default=15 * 60)
# Password reset requests per email address and per client address within the window; past
# them the answer is the same, and no email is sent.
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_SECONDS = env.int("PASSWORD_RESET_LIMIT_SECONDS", default=60 * 60)
# Reverse proxies in front of the site whose X-Forwarded-For is trusted to name the client.
NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)

# Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded files (avatars, post images) go through Django's storage API: files under
# var/media/ by default; MEDIA_STORAGE names another backend (django-storages' S3 one, say) and
# MEDIA_STORAGE_OPTIONS (JSON) its options. See docs/configuration.md.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Microblog <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env.list("ADMINS", default=[])]

# Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Microblog ------------------------------------------------------------------------------
POSTS_PER_PAGE = env.int("POSTS_PER_PAGE", default=25)

# Pictures (microblog/images.py, accounts avatars, posts media) --------------------------
MEDIA_MAX_BYTES = env.int("MEDIA_MAX_BYTES", default=10 * 1024 * 1024)
MEDIA_MAX_PER_POST = env.int("MEDIA_MAX_PER_POST", default=4)
# Width x height (x frames): past this an upload is refused as a possible decompression bomb.
MEDIA_MAX_PIXELS = env.int("MEDIA_MAX_PIXELS", default=40_000_000)
# Uploads per user per hour, and the bytes a user may keep stored (post images and avatar).
MEDIA_UPLOADS_PER_HOUR = env.int("MEDIA_UPLOADS_PER_HOUR", default=60)
MEDIA_QUOTA_BYTES = env.int("MEDIA_QUOTA_BYTES", default=200 * 1024 * 1024)
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
# Off: no request ever reaches gravatar.com; each user gets a locally drawn identicon.
AVATARS_GRAVATAR = env.bool("AVATARS_GRAVATAR", default=True)
# The site itself serves MEDIA_URL from MEDIA_ROOT while the files are local, so that the
# one-machine setups (./run, the container) show their images; turn it off when a proxy serves
# var/media, and it is off with object storage (the storage's own URLs are used).
MEDIA_SERVE = env.bool(
    "MEDIA_SERVE",
    default=STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage",
)

# Messaging ------------------------------------------------------------------------------
# How often pages poll /notifications for the unread badge and task progress.
NOTIFICATIONS_POLL_SECONDS = env.float("NOTIFICATIONS_POLL_SECONDS", default=10)
# A task older than this with no live job is marked failed (worker killed, job lost).
TASK_TIMEOUT = env.int("TASK_TIMEOUT", default=RQ_QUEUES["default"]["DEFAULT_TIMEOUT"] + 300)

# Live translation of posts (posts/translation.py) ---------------------------------------
# TRANSLATOR_PROVIDER: "" (not configured), "azure" (Azure Translator v3) or "libretranslate".
TRANSLATOR_PROVIDER = env.str("TRANSLATOR_PROVIDER", default="").strip().lower()
# Azure: the endpoint (default the global one); LibreTranslate: the server's URL.
TRANSLATOR_URL = env.str("TRANSLATOR_URL", default="")
TRANSLATOR_KEY = env.str("TRANSLATOR_KEY", default="")
TRANSLATOR_REGION = env.str("TRANSLATOR_REGION", default="")
TRANSLATOR_TIMEOUT = env.float("TRANSLATOR_TIMEOUT", default=5.0)
TRANSLATOR_CACHE_TIMEOUT = env.int("TRANSLATOR_CACHE_TIMEOUT", default=7 * 24 * 60 * 60)

# REST API (api/) --------------------------------------------------------------------------
INSTALLED_APPS += ["drf_spectacular", "drf_spectacular_sidecar"]
API_TOKEN_LIFETIME = env.int("API_TOKEN_LIFETIME", default=60 * 60)  # seconds
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: it names the scheme in WWW-Authenticate; sessions serve the browsable API.
        "api.authentication.BearerTokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.EnvelopePagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="600/minute"),
        "credentials": env.str("API_THROTTLE_CREDENTIALS", default="10/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "api.exceptions.envelope_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Microblog API",
    "DESCRIPTION": "Users, tokens, posts and timelines of Microblog.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Public pages: no authentication, so a bad Bearer token cannot turn them into a 500 (the
    # docs' template reads request.user after the view has returned).
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",  # the docs' files come from our static files, not a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# Production: HTTPS, logging, error email ---------------------------------------------------
# Each switch is on when DEBUG is off, so that `manage.py check --deploy` reports nothing;
# the site is expected behind a proxy that terminates TLS and sets X-Forwarded-Proto.
if len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP to the app server
if env.bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
# Content-Security-Policy and Permissions-Policy headers (microblog.middleware). Off by default
# while DEBUG is on, because Django's debug pages use inline scripts.
SECURITY_HEADERS = env.bool("SECURITY_HEADERS", default=not DEBUG)
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes (Swagger UI, ReDoc); no scripts
        "img-src 'self' data: https://www.gravatar.com",  # avatars are Gravatar's
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",  # ReDoc parses the schema in a worker
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOG_TO_STDOUT = env.bool("LOG_TO_STDOUT", default=False)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOG_DIR = VAR_DIR / "logs"
if not LOG_TO_STDOUT:
    LOG_DIR.mkdir(exist_ok=True)
# While DEBUG is on, the console shows the log too (runserver's tracebacks), as by default.
LOG_HANDLERS = ["site"] if LOG_TO_STDOUT else ["site", "console"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "require_debug_true": {"()": "django.utils.log.RequireDebugTrue"},
        "skip_health_probe": {"()": "microblog.log_filters.SkipHealthProbe"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}
    },
    "handlers": {
        "site": (
            {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}
            if LOG_TO_STDOUT
            else {
                # For one process (./run); under several gunicorn workers use LOG_TO_STDOUT,
                # since processes sharing one rotating file may rotate it twice.
                "class": "logging.handlers.RotatingFileHandler",
                "filename": str(LOG_DIR / "microblog.log"),
                "maxBytes": 10 * 1024 * 1024,
                "backupCount": 10,
                "delay": True,
                "formatter": "plain",
            }
        ),
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["require_debug_true"],
            "formatter": "plain",
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "skip_health_probe"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": LOG_HANDLERS, "level": LOG_LEVEL},
    "loggers": {
        # Unhandled errors (django.request) and failed security checks reach the admins too.
        "django": {
            "handlers": [*LOG_HANDLERS, "mail_admins"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
        # Requests for host names the site does not serve (scanners): logged, not emailed.
        "django.security.DisallowedHost": {"handlers": LOG_HANDLERS, "propagate": False},
    },
}
