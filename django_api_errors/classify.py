"""Classification: what went wrong, as one documented :class:`~django_api_errors.problem.Problem`.

The DRF handler, the Django error views and the middleware all call
:func:`classify`; it knows every exception Django, DRF and the app raise.
Wings add what only they can tell with :func:`register_refusal` (the auth
wing tells an expired session from none), so the core never imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from traceback import walk_tb
from typing import Any

from django.core import exceptions as django_exceptions
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf

from django_api_errors import _conflicts, _details, _requests, codes, conf
from django_api_errors.exceptions import ApiError, InsufficientScope, UsageLimitExceeded
from django_api_errors.problem import Problem

logger = logging.getLogger("django_api_errors")

try:
    from django_ratelimit.exceptions import Ratelimited
except ImportError:  # pragma: no cover - django-ratelimit is an optional extra
    Ratelimited = None

__all__ = ["challenge", "classify", "register_refusal"]

TOO_BIG = _("The request body is larger than the server accepts.")
INCOMPLETE = _("The request body ended before the length its Content-Length header announced.")
UNCLOSED = _("The multipart body does not end with CRLF and the closing boundary its Content-Type names.")
UNFRAMED = _(
    "The request body's chunked framing is malformed: send it in chunks as RFC 9112 §7.1 frames them."
)
UNIQUE = _("A resource with the same unique values already exists.")
UNSTORABLE = _("A value in the request cannot be stored: check its length, its range and its characters.")
PROTECTED = _("The resource is still referenced by other resources.")
TOO_DEEP = _("The request body is nested too deeply to parse.")
UNCOMPARABLE = _("A value in the request is outside the range the database can work with.")
OUT_OF_RANGE = _("A number in the request is too large for the field it was sent for.")
# The parser's own message quotes Python's exception text; it stays in the logs.
UNPARSABLE = _("The request body could not be parsed in its declared Content-Type.")
NO_ROUTE = _("The requested resource does not exist.")
UNAVAILABLE = _("The service is busy or briefly unavailable; retry after the time in Retry-After.")

# What Django itself answers with 400 (DisallowedHost, TooManyFieldsSent, ...).
_BAD_REQUEST = (django_exceptions.SuspiciousOperation, django_exceptions.BadRequest, MultiPartParserError)
# Modules whose recursion on a deep body is the client's doing, not a bug.
_PARSERS = frozenset({"json", "json.decoder", "rest_framework.parsers"})
# Where DRF turns a client's value into Python: an OverflowError there
# (1e400 for a PrimaryKeyRelatedField: int(inf) in the lookup) is the value's.
_FIELDS = frozenset({"rest_framework.fields", "rest_framework.relations"})


class Incomplete(django_exceptions.BadRequest):
    """A streamed body that ended short of its ``Content-Length`` (see ``_body``).

    Not an ``UnreadablePostError``: ``CsrfViewMiddleware`` swallows that one
    while reading a ``POST`` form, and the view then reads an empty form.
    """

    description = INCOMPLETE


class Unclosed(Incomplete):
    """A streamed multipart body that ended without its closing delimiter."""

    description = UNCLOSED


class Unframed(Incomplete):
    """A chunked body the server could not de-chunk (a bad chunk size, a missing CRLF)."""

    description = UNFRAMED


Refusal = Callable[[drf.APIException, Any], "Problem | None"]
_refusals: list[Refusal] = []


def register_refusal(refusal: Refusal) -> None:
    """Let a wing answer a DRF refusal (401/403) before the core's mapping does."""
    if refusal not in _refusals:
        _refusals.append(refusal)


def challenge(request: Any, view: Any = None) -> str:
    """The ``WWW-Authenticate`` of a 401 (RFC 9110 §15.5.2): the first
    authenticator's challenge, else ``API_ERRORS["WWW_AUTHENTICATE"]``."""
    for authenticator in getattr(request, "authenticators", None) or ():
        header = authenticator.authenticate_header(request)
        if header:
            return str(header)
    if view is not None and request is not None and hasattr(view, "get_authenticate_header"):
        header = view.get_authenticate_header(request)
        if header:
            return str(header)
    return conf.settings.WWW_AUTHENTICATE


def _from_api_error(exc: ApiError) -> Problem:
    problem = Problem(exc.code, exc.status_code, exc.description, None, dict(exc.extra), dict(exc.headers))
    if isinstance(exc, UsageLimitExceeded):
        problem.wait(exc.retry_after)
    elif isinstance(exc, InsufficientScope):
        scope = problem.extra.get("scope")
        header = 'Bearer error="insufficient_scope"' + (f', scope="{scope}"' if scope else "")
        problem.headers.setdefault("WWW-Authenticate", header)
    return problem


def _from_validation(exc: drf.ValidationError, request: Any) -> Problem:
    found = _details.from_drf(exc.detail, request, exc)
    if found and all(item["code"] == "unique" for item in found):
        fields = sorted({item["field"] for item in found if item["field"]})
        return Problem.for_code("conflict", UNIQUE, details=found, extra={"fields": fields} if fields else {})
    return Problem.for_code("invalid_request", details=found)


def _from_django_validation(exc: django_exceptions.ValidationError, request: Any) -> Problem:
    """400, or 409 where each error is ``full_clean()``'s unique check (the same row exists)."""
    found = _details.from_django(exc, request)
    if not found or any(item["code"] not in ("unique", "unique_together") for item in found):
        return Problem.for_code("invalid_request", details=found)
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    checked = [
        error.params.get("unique_check")
        for group in errors
        for error in group
        if isinstance(error.params, Mapping)  # a message's own params may be a tuple
    ]
    fields = list(
        dict.fromkeys(str(name) for names in checked if isinstance(names, tuple | list) for name in names)
    )
    extra = {"fields": _details.client_names(fields, request)} if fields else {}
    return Problem.for_code("conflict", UNIQUE, details=found, extra=extra)


def _required_scopes(detail: Any) -> list[str] | None:
    scopes = detail.get("required_scopes") if isinstance(detail, dict) else None
    return [str(scope) for scope in scopes] if isinstance(scopes, list) else None


def _from_drf(exc: drf.APIException, request: Any) -> Problem:
    if isinstance(exc, drf.ValidationError):
        return _from_validation(exc, request)
    if isinstance(exc, drf.Throttled):
        return Problem.for_code("usage_limit_exceeded").wait(getattr(exc, "wait", None))
    if isinstance(exc, drf.ParseError):
        return Problem.for_code("invalid_request", UNPARSABLE)
    for refusal in _refusals:
        problem = refusal(exc, request)
        if problem is not None:
            return problem
    text = exc.detail if isinstance(exc.detail, str) else None
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        # DRF turns these into 403 when its first authenticator has no
        # challenge; a client then cannot tell "log in" from "forbidden".
        problem = Problem.for_code("unauthorized_client", text)
        header = getattr(exc, "auth_header", None)  # set by DRF's APIView on these two
        if header:
            problem.headers["WWW-Authenticate"] = str(header)
        return problem
    scopes = _required_scopes(exc.detail) if isinstance(exc, drf.PermissionDenied) else None
    if scopes:
        # django-oauth-toolkit's TokenHasScope with ERROR_RESPONSE_WITH_SCOPES.
        return _from_api_error(InsufficientScope(scopes=scopes))
    if isinstance(exc, drf.UnsupportedMediaType):
        supported = [parser.media_type for parser in getattr(request, "parsers", None) or ()]
        problem = Problem.for_code("invalid_content_type", text, extra={"supported_media_types": supported})
        if supported and getattr(_requests.django_request(request), "method", None) == "PATCH":
            problem.headers["Accept-Patch"] = ", ".join(supported)  # RFC 5789 §2.2
        return problem
    own = exc.default_code if isinstance(exc.default_code, str) else None
    if own and codes.get(own) is not None:
        problem = Problem.for_code(own, text)
        problem.status = exc.status_code
        return problem
    return Problem.for_status(exc.status_code, text)


def classify(exc: BaseException, request: Any = None) -> Problem:
    """The documented error for ``exc``; ``server_error`` when unexpected."""
    if isinstance(exc, ApiError):
        return _from_api_error(exc)
    if isinstance(exc, drf.APIException):
        return _from_drf(exc, request)
    if isinstance(exc, Http404):
        return Problem.for_code("not_found", NO_ROUTE)
    if Ratelimited is not None and isinstance(exc, Ratelimited):
        problem = Problem.for_code("usage_limit_exceeded").wait(
            getattr(request, "ratelimit_retry_after", None)
        )
        problem.headers.update(getattr(request, "ratelimit_headers", None) or {})  # see throttling.ratelimit
        return problem
    if isinstance(exc, django_exceptions.PermissionDenied):
        return Problem.for_code("access_denied")
    if isinstance(exc, django_exceptions.ValidationError):
        return _from_django_validation(exc, request)
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return Problem.for_status(413, TOO_BIG)
    if isinstance(exc, _BAD_REQUEST):
        return Problem.for_code("invalid_request", exc.description if isinstance(exc, Incomplete) else None)
    if isinstance(exc, UnreadablePostError):
        # The client went away mid-body (or its connection broke): its doing, not a bug.
        return Problem.for_code("invalid_request", INCOMPLETE)
    if isinstance(exc, IntegrityError):
        fields = _conflicts.unique_fields(exc)
        if fields is not None:
            return Problem.for_code(
                "conflict", UNIQUE, extra={"fields": _details.client_names(fields, request)}
            )
    unstorable = _conflicts.unstorable(exc)
    if unstorable or _conflicts.out_of_range(exc):
        # Most likely the client's value, possibly the server's own: the traceback tells.
        logger.warning("The database refused a value: answered 400", exc_info=exc)
        return Problem.for_code("invalid_request", UNSTORABLE if unstorable else UNCOMPARABLE)
    wait = _conflicts.unavailable(exc)
    if wait is not None:
        # Busy or unreachable, not broken: the client should retry (RFC 9110 §15.6.4).
        return Problem.for_status(503, UNAVAILABLE).wait(wait or None)
    if isinstance(exc, ProtectedError | RestrictedError):
        return Problem.for_code("conflict", PROTECTED, extra={"blocked_by": _conflicts.blocking_models(exc)})
    if isinstance(exc, RecursionError) and _raised_in(exc, _PARSERS):
        return Problem.for_code("invalid_request", TOO_DEEP)
    if isinstance(exc, OverflowError) and _raised_in(exc, _FIELDS, "to_internal_value"):
        return Problem.for_code("invalid_request", OUT_OF_RANGE)
    return Problem.for_code("server_error")


def _raised_in(exc: BaseException, modules: frozenset[str], function: str | None = None) -> bool:
    """Whether a frame of ``exc``'s traceback runs in one of ``modules`` (and ``function``)."""
    return any(
        frame.f_globals.get("__name__") in modules and function in (None, frame.f_code.co_name)
        for frame, _lineno in walk_tb(exc.__traceback__)
    )
