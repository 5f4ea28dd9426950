"""Settings of the example's tests: the example project as it ships, on an in-memory database.

Run with ``pytest --ds=example_project.tests.settings example_project/tests``
(``make test`` does); the library's own tests use tests/settings.py.
"""

from example_project.settings import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "ATOMIC_REQUESTS": True}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Every error response is kept for the leak scan at the end of the run.
MIDDLEWARE = ["tests.middleware.RecordErrorsMiddleware", *MIDDLEWARE]  # noqa: F405
