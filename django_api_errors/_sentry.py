"""sentry-sdk, when it is installed and initialised: the request id as a tag, and the event id.

Only sentry-sdk's public API (2.x) is used, and only here; without the
package, or before ``sentry_sdk.init()``, every function does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:
    import sentry_sdk
except ImportError:  # pragma: no cover - the test environment installs it
    sentry_sdk = None  # type: ignore[assignment]

TAG = "request_id"
# The tracker's last event id when the request started: an id captured
# before this request (another request, startup) is not this request's event.
_BEFORE_ATTR = "api_errors_sentry_event_before"
_UNSET = object()


def active() -> bool:
    return sentry_sdk is not None and sentry_sdk.is_initialized()


@contextmanager
def scope(request: Any, request_id: str) -> Iterator[None]:
    """A Sentry scope for the request's block, tagged with its id; events captured in it carry the tag."""
    if not active():
        yield
        return
    try:
        setattr(request, _BEFORE_ATTR, sentry_sdk.last_event_id())
    except AttributeError:  # pragma: no cover - exotic request objects
        pass
    # A forked current scope, not the isolation scope: without sentry's Django
    # integration the isolation scope is the process's, and the tag would
    # outlive the request.
    with sentry_sdk.new_scope() as forked:
        forked.set_tag(TAG, request_id)
        yield


def event_id(request: Any) -> str | None:
    """The id of the event the tracker captured for this request's error, if any.

    Only within :func:`scope` (``ErrorMiddleware``), which knows what was captured before.
    """
    before = getattr(request, _BEFORE_ATTR, _UNSET)
    if before is _UNSET or not active():
        return None
    last = sentry_sdk.last_event_id()
    return None if last is None or last == before else last
