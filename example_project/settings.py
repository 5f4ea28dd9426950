"""Settings of the example API: SQLite and the local-memory cache, nothing to install.

``DATABASE_URL``-style switches are deliberately absent; the test suite
overrides what it needs (PostgreSQL, Redis) in its own settings.  The
``EXAMPLE_*`` environment variables below let the end-to-end tests run this
very API under gunicorn with Redis as the throttles' shared counter.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("EXAMPLE_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("EXAMPLE_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_api_errors",
    "example_project.notes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_api_errors.middleware.ErrorMiddleware",
]

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EXAMPLE_DB", str(BASE_DIR / "db.sqlite3")),
        "ATOMIC_REQUESTS": True,
        # Several gunicorn workers write to one SQLite file: take the write lock
        # when a transaction starts and wait for it, instead of failing with
        # "database is locked" when a read transaction tries to become a write.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("EXAMPLE_SQLITE_TIMEOUT", "20")),
        },
    }
}
# The test suite runs the example on PostgreSQL too: EXAMPLE_POSTGRES="host:port:dbname".
if os.environ.get("EXAMPLE_POSTGRES"):
    _host, _port, _name = os.environ["EXAMPLE_POSTGRES"].split(":")
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": _host,
        "PORT": _port,
        "NAME": _name,
        "USER": "postgres",
        "ATOMIC_REQUESTS": True,
        "OPTIONS": {"connect_timeout": 3},
    }

# runserver is one process, so local memory counts right here; under several
# workers it would not, and django_api_errors.W004 says so.
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
SILENCED_SYSTEM_CHECKS = ["django_api_errors.W004"]
if os.environ.get("EXAMPLE_REDIS_URL"):
    # Short socket timeouts: with Redis gone, a request waits a quarter of a
    # second for the throttle, never a TCP timeout.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["EXAMPLE_REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    SILENCED_SYSTEM_CHECKS = []

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
# Accept-Language picks one of these (LocaleMiddleware); the app ships French.
LANGUAGES = [("en", "English"), ("fr", "Français")]
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "example_project.notes.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.negotiation.ProblemDetailsNegotiation",
    "DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "search": os.environ.get("EXAMPLE_SEARCH_RATE", "5/min"),
        # Login attempts per account name and client address: password guessing meets 429.
        "login": os.environ.get("EXAMPLE_LOGIN_RATE", "10/min"),
        "user": "1000/day",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Notes API (django-api-errors example)",
    "DESCRIPTION": "Every error is one documented body; see the error responses of each operation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components: no read-only members to send,
    # and minLength where blank strings are refused.
    "COMPONENT_SPLIT_REQUEST": True,
    # The plain Django views (/api/ping/, /api/notes/{id}/text/) are added by hand.
    "POSTPROCESSING_HOOKS": ["example_project.notes.schema.document_plain_views"],
    # The docs page's assets come from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CSRF_FAILURE_VIEW = "django_api_errors.views.csrf_failure"

API_ERRORS = {
    "ERROR_URI": "https://example.com/docs/errors#{code}",
    "THROTTLE_FAIL_OPEN": os.environ.get("EXAMPLE_THROTTLE_FAIL_OPEN", "1") == "1",
    # Problem Details for every client that does not ask for application/json.
    "PROBLEM_DETAILS": os.environ.get("EXAMPLE_PROBLEM_DETAILS", "") == "1",
}

RATELIMIT_VIEW_RATE = os.environ.get("EXAMPLE_PING_RATE", "10/m")

# Every line names its request's id (the X-Request-ID of the response): see
# "Request ids and logs" in the README.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_api_errors.logging.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}
    },
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
