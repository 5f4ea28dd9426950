"""Library test settings: the installation the README documents, with the app's defaults.

Nothing here comes from the example project (its tests run on their own
settings, example_project/tests/settings.py).  A test that needs a setting
other than the default states it with ``override_settings`` or the
``settings`` fixture.
"""

from importlib.util import find_spec

SECRET_KEY = "tests-only-not-secret"
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",  # with redirects: moved paths (tests/test_middleware.py)
    "django.contrib.redirects",
    "rest_framework",
    "rest_framework.authtoken",
    "django_api_errors",
    "tests",  # tests/models.py: models the raising and conditional views use
]
# The optional integrations, when installed (CI installs them all;
# tests.authkit.needs fails there instead of skipping).
if find_spec("drf_spectacular"):
    INSTALLED_APPS += ["drf_spectacular"]
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

MIDDLEWARE = [
    "tests.middleware.RecordErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_api_errors.middleware.ErrorMiddleware",
    "tests.middleware.BoomMiddleware",
]
ROOT_URLCONF = "tests.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
LOGGING = {"version": 1, "disable_existing_loggers": False}

# The installation the README documents: the handler, the CSRF view and (in
# tests/urls.py) handler400-500.  No API_ERRORS: the app's defaults.
REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler"}
if find_spec("drf_spectacular"):
    # The [openapi] extra's one setting.  It cannot be set per test:
    # extend_schema and api_view bind the schema class when a view is defined.
    REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "django_api_errors.openapi.AutoSchema"
CSRF_FAILURE_VIEW = "django_api_errors.views.csrf_failure"
