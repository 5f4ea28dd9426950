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
# The suite logs alice in many times a minute from one address; the example's own
# login rate is tested under gunicorn (test_auth_e2e.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "1000/min"},  # noqa: F405
}
