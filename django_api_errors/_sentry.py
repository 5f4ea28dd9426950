"""sentry-sdk, when it is installed and initialised: the request id as a tag, and the event id.

Only sentry-sdk's public API (2.x) is used, and only here; without the
package, or before ``sentry_sdk.init()``, every function does nothing.
"""

from __future__ import annotations

from typing import Any

try:
    import sentry_sdk
except ImportError:  # pragma: no cover - the test environment installs it
    sentry_sdk = None  # type: ignore[assignment]

TAG = "request_id"
# The tracker's last event id when the request started: an id captured
# before this request (another request, startup) is not this request's event.
_BEFORE_ATTR = "api_errors_sentry_event_before"
_SCOPE_ATTR = "api_errors_sentry_scope"
_UNSET = object()

installed = sentry_sdk is not None


def active() -> bool:
    return installed and sentry_sdk.is_initialized()


def enter(request: Any, request_id: str) -> None:
    """Open a Sentry scope for the request, tagged with its id; events captured in it carry the tag.

    A forked current scope, not the isolation scope: without sentry's Django
    integration the isolation scope is the process's, and the tag would
    outlive the request.
    """
    if not active():
        return
    try:
        setattr(request, _BEFORE_ATTR, sentry_sdk.last_event_id())
    except AttributeError:  # pragma: no cover - exotic request objects
        return
    scope = sentry_sdk.new_scope()
    scope.__enter__().set_tag(TAG, request_id)
    setattr(request, _SCOPE_ATTR, scope)


def leave(request: Any) -> None:
    """Close the scope :func:`enter` opened for the request, if any."""
    scope = getattr(request, _SCOPE_ATTR, None)
    if scope is not None:
        delattr(request, _SCOPE_ATTR)
        scope.__exit__(None, None, None)


def event_id(request: Any) -> str | None:
    """The id of the event the tracker captured for this request's error, if any.

    Only after :func:`enter` (``ErrorMiddleware``), which noted what was captured before.
    """
    before = getattr(request, _BEFORE_ATTR, _UNSET)
    if before is _UNSET or not active():
        return None
    last = sentry_sdk.last_event_id()
    return None if last is None or last == before else last
