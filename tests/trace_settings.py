"""The test settings with RequestIdFilter in LOGGING, as the README shows it, writing to a file.

Served by gunicorn in ``test_request_ids_e2e``; ``TRACE_LOG`` names the file.
"""

import os

from tests.settings import *  # noqa: F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_api_errors.logging.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(request_id)s|%(name)s|%(levelname)s|%(message)s"}},
    "handlers": {
        "file": {
            "class": "logging.FileHandler",
            "filename": os.environ["TRACE_LOG"],
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
# Served by gunicorn on 127.0.0.1, not through the test client's "testserver".
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
