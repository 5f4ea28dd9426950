"""Exceptions for each documented code.

Each is a DRF ``APIException``: ``status_code``, ``default_detail`` and
``default_code`` come from the table in :mod:`django_api_errors.codes`.
Raise them from DRF views, plain Django views or middleware alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from django_api_errors import codes
from django_api_errors.codes import Text

__all__ = [
    "AccessDenied",
    "ApiError",
    "Conflict",
    "InsufficientScope",
    "InvalidContentType",
    "InvalidRequest",
    "NotFound",
    "PreconditionFailed",
    "PreconditionRequired",
    "ServerError",
    "SessionExpired",
    "UnauthorizedClient",
    "UsageLimitExceeded",
]

# A 412's description when the precondition that failed is not If-Match (the code's own wording).
FAILED_PRECONDITIONS = {
    "If-Unmodified-Since": _("The resource has been modified since the date in If-Unmodified-Since."),
    "If-None-Match": _("The resource exists in a version that If-None-Match excludes."),
}
PRECONDITION_REQUIRED = _(
    "This request must be conditional: send If-Match with the ETag of the resource's "
    "current version, as returned by GET."
)


class ApiError(APIException):
    """An error with a documented code.

    ``ApiError("Card declined.", code="payment_required", card="visa")``
    answers with that code's status, the description, and ``card`` as an
    extra member of the body.  Subclasses set ``default_code``.
    """

    default_code = "server_error"

    def __init__(
        self,
        description: Text | None = None,
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        code = code or self.default_code
        entry = codes.get(code)
        if entry is None:
            raise KeyError(f"unknown error code {code!r}: register it first")
        self.code = entry.code
        self.status_code = entry.status
        self.description: Text = description if description is not None else entry.description
        super().__init__(cast(Any, self.description), entry.code)
        self.extra: dict[str, Any] = extra
        self.headers: dict[str, str] = dict(headers or {})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Built-in and already registered codes give the class DRF's usual
        # attributes; a code registered later is looked up per instance.
        entry = codes.get(cls.default_code)
        if entry is not None:
            cls.status_code = entry.status
            cls.default_detail = cast(Any, entry.description)


# Ordered so that no two classes of the same shape run together for long;
# the table in codes.py, not this order, is the reference.
class InvalidRequest(ApiError):
    default_code = "invalid_request"


class InvalidContentType(ApiError):
    default_code = "invalid_content_type"


class InsufficientScope(ApiError):
    """The token lacks a scope; ``scopes`` are the ones the action requires."""

    scopes: list[str]
    default_code = "insufficient_scope"

    def __init__(self, description: Text | None = None, *, scopes: Iterable[str] = (), **kwargs: Any) -> None:
        self.scopes = list(scopes)
        super().__init__(description, **kwargs)
        if self.scopes:
            self.extra.setdefault("scope", " ".join(self.scopes))


class AccessDenied(ApiError):
    default_code = "access_denied"


class SessionExpired(ApiError):
    default_code = "session_expired"


class UsageLimitExceeded(ApiError):
    """Too many requests; ``retry_after`` is the wait in seconds."""

    retry_after: float | None
    default_code = "usage_limit_exceeded"

    def __init__(
        self, description: Text | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        self.retry_after = retry_after
        super().__init__(description, **kwargs)


class UnauthorizedClient(ApiError):
    default_code = "unauthorized_client"


class NotFound(ApiError):
    default_code = "not_found"


class PreconditionFailed(ApiError):
    default_code = "precondition_failed"


class PreconditionRequired(PreconditionFailed):
    """428 (RFC 6585 §3): the view only accepts writes that carry ``If-Match``.

    428 has no row of its own: it keeps its status and answers with the
    closest documented code, ``precondition_failed``.
    """

    def __init__(self, description: Text | None = None, **kwargs: Any) -> None:
        super().__init__(description if description is not None else PRECONDITION_REQUIRED, **kwargs)
        self.status_code = PreconditionRequired.status_code


class Conflict(ApiError):
    default_code = "conflict"


class ServerError(ApiError):
    default_code = "server_error"


ApiError.status_code = codes.status_of("server_error")
# Set after the class: __init_subclass__ gives it the 412 of its code.
PreconditionRequired.status_code = 428
PreconditionRequired.default_detail = cast(Any, PRECONDITION_REQUIRED)
