"""DRF's own ``exception_handler``; unexpected errors reach Django's ``handler500``."""

from bench.settings.base import *  # noqa: F403

REST_FRAMEWORK = {**REST_FRAMEWORK, "EXCEPTION_HANDLER": "rest_framework.views.exception_handler"}  # noqa: F405
