"""This app as its README installs it: the DRF handler, the Django error views and
``ErrorMiddleware`` (which sends the request id on every response, the 200 too)."""

from bench.settings.base import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_api_errors"]  # noqa: F405
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler",
}
ROOT_URLCONF = "bench.urls_api_errors"
MIDDLEWARE = [*MIDDLEWARE, "django_api_errors.middleware.ErrorMiddleware"]  # noqa: F405
