"""This app as its README installs it: the DRF handler and the Django error views."""

from bench.settings.base import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_api_errors"]  # noqa: F405
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler",
}
ROOT_URLCONF = "bench.urls_api_errors"
