"""The request behind a DRF ``Request``, and the request id every error of it shares.

The id is chosen once per request: a safe incoming ``X-Request-ID``, else the
trace id of a valid W3C ``traceparent``, else a new random one.  While
``ErrorMiddleware`` handles a request the id is also in a context variable
(on its sync path, once a :class:`django_api_errors.logging.RequestIdFilter`
exists to read it), so log records name it from any thread or task the
request runs in.
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

# Whether a RequestIdFilter exists (it sets this): the filter is the context
# variable's only reader, and without one ErrorMiddleware's sync path leaves
# the variable alone (setting and resetting it is about a third of the id's
# cost on a 200, docs/benchmarks.md).
in_logs = False

# New ids, made ahead in batches (new_request_id).  list.pop and list.extend
# are atomic, so threads share the list safely.
_BATCH = 64
_ids: list[str] = []
_pop_id = _ids.pop
os.register_at_fork(after_in_child=_ids.clear)


def django_request(request: Any) -> Any:
    """The Django ``HttpRequest`` of ``request`` (a DRF ``Request`` wraps one)."""
    return getattr(request, "_request", request)


def new_request_id() -> str:
    """128 random bits in hex: 32 characters, like ``uuid.uuid4().hex``.

    Not stamped as a version 4 UUID: it is made for every response, successes
    included, and the stamping cost more than the rest of it.  For the same
    reason the bits come from ``os.urandom`` in batches, one system call per
    :data:`_BATCH` ids; a forked child drops the batch it inherited, so two
    processes never hand out the same id.
    """
    try:
        return _pop_id()
    except IndexError:
        ids = os.urandom(16 * _BATCH).hex()
        _ids.extend([ids[i : i + 32] for i in range(0, len(ids), 32)])
        return _pop_id()


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
        rid = (traceparent and settings.TRACEPARENT and trace_id(traceparent)) or new_request_id()
    try:
        request.api_errors_request_id = rid  # ID_ATTR, as an attribute store (cheaper than setattr)
    except AttributeError:  # pragma: no cover - exotic request objects
        pass
    return rid


def get_request_id(request: Any) -> str:
    """The request's id: a safe incoming ``X-Request-ID``, a ``traceparent``'s trace id, or a new one.

    Stored on the Django request, so every error of one request shares it
    (``ErrorMiddleware`` stores the id before the view runs).
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
    rid = get_request_id(request)
    name, field, _key = conf.settings.request_id_names
    _headers.set_field(response, name, field, rid)
