"""Test settings: the example API plus views that raise each mapped error."""

from example_project.settings import *  # noqa: F403

ROOT_URLCONF = "tests.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "ATOMIC_REQUESTS": True}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
RATELIMIT_VIEW_RATE = "3/m"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The suite logs alice in many times a minute from one address; the example's own
# login rate is tested under gunicorn (tests/test_auth_e2e.py).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "1000/min"},  # type: ignore[dict-item]  # noqa: F405
}
MIDDLEWARE = ["tests.middleware.RecordErrorsMiddleware", *MIDDLEWARE, "tests.middleware.BoomMiddleware"]  # noqa: F405

# Authentication tests: DRF's tokens, and the optional packages when installed
# (CI installs them; tests.authkit.needs fails there instead of skipping).
from importlib.util import find_spec  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework.authtoken"]  # noqa: F405
if find_spec("rest_framework_simplejwt"):
    INSTALLED_APPS += ["rest_framework_simplejwt.token_blacklist"]
    SIMPLE_JWT = {
        "SIGNING_KEY": "tests-only-jwt-signing-key-of-32-bytes-or-more",
        "AUTH_TOKEN_CLASSES": (
            "rest_framework_simplejwt.tokens.AccessToken",
            "rest_framework_simplejwt.tokens.SlidingToken",
        ),
    }
if find_spec("oauth2_provider"):
    INSTALLED_APPS += ["oauth2_provider"]
    OAUTH2_PROVIDER = {"SCOPES": {"notes:read": "Read notes", "notes:write": "Write notes"}}
