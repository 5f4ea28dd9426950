"""drf-standardized-errors as its README installs it."""

from bench.settings.base import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "drf_standardized_errors"]  # noqa: F405
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
}
