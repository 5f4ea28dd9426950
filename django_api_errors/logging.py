"""``RequestIdFilter``: every log record names the request it was written for.

::

    LOGGING = {
        "version": 1,
        "filters": {"request_id": {"()": "django_api_errors.logging.RequestIdFilter"}},
        "formatters": {"plain": {"format": "%(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}
        },
        "root": {"handlers": ["console"], "level": "INFO"},
    }
"""

from __future__ import annotations

import logging
from typing import Any

from django_api_errors import _requests
from django_api_errors._requests import current_request_id, stored_request_id

__all__ = ["RequestIdFilter"]

OUTSIDE = "-"


class RequestIdFilter(logging.Filter):
    """Set ``record.request_id``: the id of the request being handled, or ``"-"`` outside one.

    Attach it to handlers, so records of every logger that reach them get it.
    The id comes from the context variable ``ErrorMiddleware`` sets around the
    request, or from the request Django attaches to its ``django.request``
    records (its 4xx warnings are written after the middleware has returned).
    Never drops a record.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _requests.in_logs = True  # from now on the middleware names the id in the context variable

    def filter(self, record: logging.LogRecord) -> bool:
        rid = current_request_id.get()
        if rid is None:
            request = getattr(record, "request", None)
            rid = stored_request_id(request) if request is not None else None
        record.request_id = rid or OUTSIDE
        return True
