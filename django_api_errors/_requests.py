"""The request behind a DRF ``Request``, and the request id every error of it shares.

The id is chosen once per request: a safe incoming ``X-Request-ID``, else the
trace id of a valid W3C ``traceparent``, else a new random one.  While
``ErrorMiddleware`` handles a request the id is also in a context variable,
so log records (:class:`django_api_errors.logging.RequestIdFilter`) name it
from any thread or task the request runs in.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

from django_api_errors import _headers, _sentry, conf

if TYPE_CHECKING:
    from django.http import HttpRequest

_is_safe_request_id = re.compile(r"[A-Za-z0-9._-]{1,200}\Z").match
ID_ATTR = "api_errors_request_id"

# W3C Trace Context §3.2: version 00, trace id (32), parent id (16), flags (2),
# all lowercase hex.  Version ff and any other version are not accepted here.
_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}\Z")
_ZERO_TRACE_ID = "0" * 32
_ZERO_PARENT_ID = "0" * 16

# The id of the request being handled in this context, or None outside one.
# A context variable, not a thread-local: async views share one thread.
current_request_id: ContextVar[str | None] = ContextVar("api_errors_request_id", default=None)
set_current = current_request_id.set
_urandom = os.urandom


def django_request(request: Any) -> Any:
    """The Django ``HttpRequest`` of ``request`` (a DRF ``Request`` wraps one)."""
    return getattr(request, "_request", request)


def new_request_id() -> str:
    """128 random bits in hex: 32 characters, like ``uuid.uuid4().hex``.

    Not stamped as a version 4 UUID: it is made for every response, successes
    included, and the stamping cost more than the rest of it.
    """
    return os.urandom(16).hex()


def trace_id(traceparent: str) -> str | None:
    """The trace id of a valid ``traceparent`` header value, or None (an invalid one is ignored)."""
    match = _TRACEPARENT.match(traceparent)
    if match is None or match[1] == _ZERO_TRACE_ID or match[2] == _ZERO_PARENT_ID:
        return None
    return match[1]


def choose(request: Any) -> str:
    """Choose the id of a Django request that has none yet, and keep it on the request."""
    meta = getattr(request, "META", {})
    settings = conf.settings
    rid = meta.get(settings.request_id_names[2])
    if not (rid and _is_safe_request_id(rid)):
        traceparent = meta.get("HTTP_TRACEPARENT")
        # new_request_id(), inlined: this runs on every request.
        rid = (traceparent and settings.TRACEPARENT and trace_id(traceparent)) or _urandom(16).hex()
    try:
        request.api_errors_request_id = rid  # ID_ATTR, as an attribute store (cheaper than setattr)
    except AttributeError:  # pragma: no cover - exotic request objects
        pass
    return rid


def get_request_id(request: Any) -> str:
    """The request's id: a safe incoming ``X-Request-ID``, a ``traceparent``'s trace id, or a new one.

    Stored on the Django request, so every error of one request shares it.
    """
    inner = getattr(request, "_request", request)
    return getattr(inner, ID_ATTR, None) or choose(inner)


def stored_request_id(request: Any) -> str | None:
    """The id already given to ``request``, without choosing one."""
    return getattr(django_request(request), ID_ATTR, None)


def bind(request: HttpRequest) -> Token[str | None]:
    """Name the id of ``request`` (a Django request) in this context until :func:`unbind`.

    Logs and error trackers read it there.  Two functions rather than a
    context manager, and ``ErrorMiddleware`` inlines them where sentry-sdk is
    not installed: they run around every request, successes included.  Call
    :func:`unbind` in a ``finally``.
    """
    rid = getattr(request, ID_ATTR, None) or choose(request)
    token = set_current(rid)
    if _sentry.installed:
        try:
            _sentry.enter(request, rid)
        except BaseException:
            current_request_id.reset(token)
            raise
    return token


def unbind(request: HttpRequest, token: Token[str | None]) -> None:
    """End what :func:`bind` began."""
    try:
        if _sentry.installed:
            _sentry.leave(request)
    finally:
        current_request_id.reset(token)


def set_header(request: Any, response: Any) -> None:
    """Send ``request``'s id in ``REQUEST_ID_HEADER``, on successes as on errors."""
    # The id is ASCII by construction: a checked incoming id, or hex.
    rid = current_request_id.get() or get_request_id(request)
    name, field, _key = conf.settings.request_id_names
    _headers.set_field(response, name, field, rid)
