"""The table of documented error codes: the one place a code meets its status.

Everything else (exception classes, the handler, the Django error views, the
generated error reference) reads this table.  Users add their own codes with
:func:`register` or with ``API_ERRORS["CODES"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from django_api_errors import conf

__all__ = ["ErrorCode", "all_codes", "get", "register", "status_of", "unregister"]

Text = str | Promise


@dataclass(frozen=True)
class ErrorCode:
    """A documented error: its code, HTTP status and default wording."""

    code: str
    status: int
    description: Text
    action: Text = ""
    headers: tuple[str, ...] = ()


BUILTIN: tuple[ErrorCode, ...] = (
    ErrorCode(
        "invalid_request",
        400,
        _("The request is malformed or has invalid parameters."),
        _("Fix the parameters named in the error and send the request again."),
    ),
    ErrorCode(
        "invalid_content_type",
        415,
        _("The request's Content-Type is not supported by this endpoint."),
        _("Send the body in one of the supported media types, e.g. application/json."),
    ),
    ErrorCode(
        "access_denied",
        403,
        _("You do not have permission to perform this action."),
        _("Check the permissions of the account or token in use."),
    ),
    ErrorCode(
        "insufficient_scope",
        403,
        _("The access token does not have the scope this action requires."),
        _("Obtain a token that grants the scopes named in the error."),
        ("WWW-Authenticate",),
    ),
    ErrorCode(
        "session_expired",
        401,
        _("Your session has expired."),
        _("Log in again to get a new session."),
        ("WWW-Authenticate",),
    ),
    ErrorCode(
        "unauthorized_client",
        401,
        _("Authentication is required and the credentials given are missing or invalid."),
        _("Check the credentials sent with the request."),
        ("WWW-Authenticate",),
    ),
    ErrorCode(
        "not_found",
        404,
        _("The requested resource does not exist."),
        _("Check the path and the identifier."),
    ),
    ErrorCode(
        "conflict",
        409,
        _("The request conflicts with the current state of the resource."),
        _("Read the resource again, then retry the request."),
    ),
    ErrorCode(
        "precondition_failed",
        412,
        _("The resource has changed since the version named in If-Match."),
        _("Fetch the latest version and apply the change to it."),
        ("ETag",),
    ),
    ErrorCode(
        "usage_limit_exceeded",
        429,
        _("Too many requests in too short a time."),
        _("Wait for the number of seconds in Retry-After, then retry."),
        ("Retry-After",),
    ),
    ErrorCode(
        "server_error",
        500,
        _("The server failed to handle the request."),
        _("Retry later; quote the request id when contacting support."),
    ),
)

_BUILTIN_BY_CODE: dict[str, ErrorCode] = {entry.code: entry for entry in BUILTIN}
_registered: dict[str, ErrorCode] = {}


def register(
    code: str,
    status: int,
    description: Text,
    action: Text = "",
    headers: tuple[str, ...] = (),
) -> ErrorCode:
    """Add a code of your own (for example ``payment_required``, 402).

    A registered code behaves like the built-in ones: ``ApiError(code=...)``,
    subclasses with ``default_code``, the handler and the error reference all
    find it here.
    """
    if not (400 <= status <= 599):
        raise ValueError(f"status for {code!r} must be 4xx or 5xx, not {status}")
    entry = _registered[code] = ErrorCode(code, status, description, action, tuple(headers))
    return entry


def unregister(code: str) -> None:
    """Remove a code added with :func:`register` (mostly for tests)."""
    _registered.pop(code, None)


def _from_settings(code: str, spec: Mapping[str, Any]) -> ErrorCode:
    return ErrorCode(
        code,
        int(spec["status"]),
        spec.get("description", ""),
        spec.get("action", ""),
        tuple(spec.get("headers", ())),
    )


def all_codes() -> dict[str, ErrorCode]:
    """Every known code: built-in, then registered, then from settings."""
    table = dict(_BUILTIN_BY_CODE)
    table.update(_registered)
    for code, spec in conf.settings.CODES.items():
        table[code] = _from_settings(code, spec)
    return table


def get(code: str) -> ErrorCode | None:
    """The entry for ``code``, or ``None`` when nobody documented it."""
    entry = _BUILTIN_BY_CODE.get(code) or _registered.get(code)
    if entry is not None:
        return entry
    spec = conf.settings.CODES.get(code)
    return _from_settings(code, spec) if spec is not None else None


def status_of(code: str) -> int:
    """The HTTP status of a built-in or registered code."""
    entry = get(code)
    if entry is None:
        raise KeyError(f"unknown error code {code!r}")
    return entry.status


# Statuses with no row of their own keep their status and borrow the code
# closest in meaning (405 is a malformed request, 428 a missing precondition).
_CLOSEST: dict[int, str] = {
    401: "unauthorized_client",
    403: "access_denied",
    404: "not_found",
    410: "not_found",
    409: "conflict",
    412: "precondition_failed",
    428: "precondition_failed",
    415: "invalid_content_type",
    429: "usage_limit_exceeded",
}


def closest(status: int) -> str:
    """The documented code for a status that may have no row of its own."""
    if status >= 500:
        return "server_error"
    return _CLOSEST.get(status, "invalid_request")
