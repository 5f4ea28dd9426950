"""The DRF exception handler, and the mapping every part of the app shares.

``REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler"}``
"""

from __future__ import annotations

import math
import traceback
from typing import Any

from django.conf import settings as django_settings
from django.core import exceptions as django_exceptions
from django.core import signals
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework.views import set_rollback

from django_api_errors import _conflicts as conflicts
from django_api_errors import _details as details
from django_api_errors import codes, conf
from django_api_errors.auth import _sessions as sessions
from django_api_errors.exceptions import ApiError, InsufficientScope, UsageLimitExceeded
from django_api_errors.responses import Problem, get_request_id, logger, minimal_response, render

try:
    from django_ratelimit.exceptions import Ratelimited
except ImportError:  # pragma: no cover - django-ratelimit is an optional extra
    Ratelimited = None

TOO_BIG = _("The request body is larger than the server accepts.")
UNIQUE = _("A resource with the same unique values already exists.")
PROTECTED = _("The resource is still referenced by other resources.")
TOO_DEEP = _("The request body is nested too deeply to parse.")
# The parser's own message quotes Python's exception text; it stays in the logs.
UNPARSABLE = _("The request body could not be parsed in its declared Content-Type.")
NO_ROUTE = _("The requested resource does not exist.")

# What Django itself answers with 400 (DisallowedHost, TooManyFieldsSent, ...).
_BAD_REQUEST = (django_exceptions.SuspiciousOperation, django_exceptions.BadRequest, MultiPartParserError)


def _retry_after(seconds: float | None) -> int:
    if seconds is None or seconds <= 0:
        return max(1, conf.settings.RETRY_AFTER)
    return max(1, math.ceil(seconds))


def _throttled(seconds: float | None, description: codes.Text | None = None) -> Problem:
    wait = _retry_after(seconds)
    return Problem.for_code(
        "usage_limit_exceeded",
        description,
        extra={"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


def _from_api_error(exc: ApiError) -> Problem:
    problem = Problem(exc.code, exc.status_code, exc.description, None, dict(exc.extra), dict(exc.headers))
    if isinstance(exc, UsageLimitExceeded):
        wait = _retry_after(exc.retry_after)
        problem.extra.setdefault("retry_after", wait)
        problem.headers.setdefault("Retry-After", str(wait))
    elif isinstance(exc, InsufficientScope):
        scope = problem.extra.get("scope")
        challenge = 'Bearer error="insufficient_scope"'
        if scope:
            challenge += f', scope="{scope}"'
        problem.headers.setdefault("WWW-Authenticate", challenge)
    return problem


def _from_validation(exc: drf.ValidationError, request: Any) -> Problem:
    found = details.from_drf(exc.detail, request, exc)
    if found and all(item["code"] == "unique" for item in found):
        fields = sorted({item["field"] for item in found if item["field"]})
        return Problem.for_code("conflict", UNIQUE, details=found, extra={"fields": fields} if fields else {})
    return Problem.for_code("invalid_request", details=found)


def _from_drf(exc: drf.APIException, request: Any) -> Problem:
    if isinstance(exc, drf.ValidationError):
        return _from_validation(exc, request)
    if isinstance(exc, drf.Throttled):
        return _throttled(getattr(exc, "wait", None))
    if isinstance(exc, drf.ParseError):
        return Problem.for_code("invalid_request", UNPARSABLE)
    text = exc.detail if isinstance(exc.detail, str) else None
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return _unauthenticated(exc, request, text)
    scopes = _required_scopes(exc.detail) if isinstance(exc, drf.PermissionDenied) else None
    if scopes:
        # django-oauth-toolkit's TokenHasScope with ERROR_RESPONSE_WITH_SCOPES.
        return _from_api_error(InsufficientScope(scopes=scopes))
    if isinstance(exc, drf.UnsupportedMediaType):
        parsers = getattr(request, "parsers", None) or ()
        supported = [parser.media_type for parser in parsers]
        return Problem.for_code("invalid_content_type", text, extra={"supported_media_types": supported})
    own = exc.default_code if isinstance(exc.default_code, str) else None
    if own and own in codes.all_codes():
        return Problem(own, exc.status_code, text or codes.all_codes()[own].description)
    return Problem(codes.closest(exc.status_code), exc.status_code, text or _default(exc.status_code))


def _first_challenge(request: Any) -> str | None:
    for authenticator in getattr(request, "authenticators", None) or ():
        challenge = authenticator.authenticate_header(request)
        if challenge:
            return str(challenge)
    return None


def _unauthenticated(exc: drf.APIException, request: Any, text: codes.Text | None) -> Problem:
    if isinstance(exc, drf.NotAuthenticated) and sessions.uses_sessions(request):
        if sessions.stale_session(request):
            sessions.forget_session(request)  # so SessionMiddleware deletes the cookie
            headers = {"WWW-Authenticate": conf.settings.WWW_AUTHENTICATE}
            return Problem.for_code("session_expired", headers=headers)
    # DRF turns these into 403 when its first authenticator has no
    # challenge; a client then cannot tell "log in" from "forbidden".
    challenge = getattr(exc, "auth_header", None) or _first_challenge(request)
    challenge = challenge or conf.settings.WWW_AUTHENTICATE
    return Problem.for_code("unauthorized_client", text, headers={"WWW-Authenticate": challenge})


def _required_scopes(detail: Any) -> list[str] | None:
    scopes = detail.get("required_scopes") if isinstance(detail, dict) else None
    return [str(scope) for scope in scopes] if isinstance(scopes, list) else None


def _default(status: int) -> codes.Text:
    entry = codes.get(codes.closest(status))
    assert entry is not None
    return entry.description


def _raised_by_parser(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(("json/decoder.py", "json/__init__.py", "rest_framework/parsers.py")):
            return True
        tb = tb.tb_next
    return False


def classify(exc: BaseException, request: Any = None) -> Problem:
    """The documented error for ``exc``; ``server_error`` when unexpected."""
    if isinstance(exc, ApiError):
        return _from_api_error(exc)
    if isinstance(exc, drf.APIException):
        return _from_drf(exc, request)
    if isinstance(exc, Http404):
        return Problem.for_code("not_found", NO_ROUTE)
    if Ratelimited is not None and isinstance(exc, Ratelimited):
        problem = _throttled(getattr(request, "ratelimit_retry_after", None))
        problem.headers.update(getattr(request, "ratelimit_headers", None) or {})  # see ratelimit.py
        return problem
    if isinstance(exc, django_exceptions.PermissionDenied):
        return Problem.for_code("access_denied")
    if isinstance(exc, django_exceptions.ValidationError):
        return Problem.for_code("invalid_request", details=details.from_django(exc, request))
    if isinstance(exc, django_exceptions.RequestDataTooBig):
        return Problem("invalid_request", 413, TOO_BIG)
    if isinstance(exc, _BAD_REQUEST):
        return Problem.for_code("invalid_request")
    if isinstance(exc, IntegrityError):
        fields = conflicts.unique_fields(exc)
        if fields is not None:
            return Problem.for_code(
                "conflict", UNIQUE, extra={"fields": details.client_names(fields, request)}
            )
    if isinstance(exc, ProtectedError | RestrictedError):
        return Problem.for_code("conflict", PROTECTED, extra={"blocked_by": conflicts.blocking_models(exc)})
    if isinstance(exc, RecursionError) and _raised_by_parser(exc):
        return Problem.for_code("invalid_request", TOO_DEEP)
    return Problem.for_code("server_error")


def report(exc: BaseException, request: Any, response: HttpResponse) -> None:
    """Log a server error the way Django does, naming the request id."""
    django_request = getattr(request, "_request", request)
    signals.got_request_exception.send(sender=None, request=django_request)
    log_response(
        "Internal Server Error: %s (request id %s)",
        getattr(django_request, "path", ""),
        get_request_id(django_request),
        response=response,
        request=django_request,
        exception=exc,
    )


def debug_problem(problem: Problem, exc: BaseException) -> Problem:
    if problem.status >= 500 and django_settings.DEBUG and conf.settings.DEBUG_TRACEBACK:
        problem.extra["traceback"] = traceback.format_exception(exc)
    return problem


def _challenge(problem: Problem, request: Any, view: Any) -> Problem:
    """Every 401 carries WWW-Authenticate (RFC 9110 §15.5.2)."""
    if problem.status == 401 and "WWW-Authenticate" not in problem.headers:
        challenge = None
        if view is not None and request is not None and hasattr(view, "get_authenticate_header"):
            challenge = view.get_authenticate_header(request)
        problem.headers["WWW-Authenticate"] = challenge or conf.settings.WWW_AUTHENTICATE
    return problem


def problem_for(exc: BaseException, request: Any, view: Any = None) -> Problem:
    """:func:`classify`, plus the headers and debug members the response needs."""
    return debug_problem(_challenge(classify(exc, request), request, view), exc)


def respond(exc: BaseException, request: Any, view: Any = None) -> HttpResponse:
    """The response for ``exc``, logging server errors; never raises."""
    try:
        response = render(problem_for(exc, request, view), request)
    except Exception:
        logger.exception("Formatting the error response failed")
        response = minimal_response(request)
    if response.status_code >= 500:
        report(exc, request, response)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    """DRF's ``EXCEPTION_HANDLER``: every exception becomes the documented body."""
    set_rollback()
    return respond(exc, context.get("request"), context.get("view"))
