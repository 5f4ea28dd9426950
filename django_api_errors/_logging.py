"""The one place the app touches ``django.utils.log``'s private response flag."""

from __future__ import annotations

from django.http import HttpResponseBase

# django.utils.log.log_response() marks a response it logged with this
# attribute and skips a marked one; tests/test_middleware.py names it.
LOGGED_FLAG = "_has_been_logged"


def mark_logged(response: HttpResponseBase, original: HttpResponseBase) -> None:
    """Mark ``response`` as logged when Django already logged ``original`` in its place."""
    if getattr(original, LOGGED_FLAG, False):
        setattr(response, LOGGED_FLAG, True)
