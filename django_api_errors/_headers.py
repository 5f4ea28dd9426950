"""The one place the app writes into Django's private response header store.

Django checks and encodes every header name and value it is given, which is
most of what the app's headers cost a response.  Values the app built itself
from ASCII (the request id, ``Vary``, ``Cache-Control``) need neither.  The
store is private to Django's ``ResponseHeaders`` (tests/test_responses.py
names it): without it, the public way is taken.  ``ErrorMiddleware`` inlines
:func:`set_field` on its success path, where one call more is a measurable
part of what the app adds to a 200.
"""

from __future__ import annotations

from typing import Any


def set_ascii(response: Any, fields: tuple[tuple[str, str], ...]) -> None:
    """Set header fields whose names and values are plain ASCII made by the app."""
    headers = response.headers
    store = getattr(headers, "_store", None)
    for name, value in fields:
        if isinstance(store, dict) and name.isascii():
            store[name.lower()] = (name, value)
        else:
            headers[name] = value


def set_field(response: Any, name: str, key: str, value: str) -> None:
    """Set one such field; ``key`` is ``name.lower()``, computed once by the caller."""
    store = getattr(response.headers, "_store", None)
    if isinstance(store, dict):
        store[key] = (name, value)
    else:
        response.headers[name] = value
