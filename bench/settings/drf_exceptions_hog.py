"""drf-exceptions-hog, reporting every validation error, not only the first."""

from bench.settings.base import *  # noqa: F403

REST_FRAMEWORK = {**REST_FRAMEWORK, "EXCEPTION_HANDLER": "exceptions_hog.exception_handler"}  # noqa: F405
EXCEPTIONS_HOG = {"SUPPORT_MULTIPLE_EXCEPTIONS": True}
