"""Test settings: the example API plus views that raise each mapped error."""

from example_project.settings import *  # noqa: F403

ROOT_URLCONF = "tests.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "ATOMIC_REQUESTS": True}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
RATELIMIT_VIEW_RATE = "3/m"
LOGGING = {"version": 1, "disable_existing_loggers": False}
MIDDLEWARE = ["tests.middleware.RecordErrorsMiddleware", *MIDDLEWARE, "tests.middleware.BoomMiddleware"]  # noqa: F405
