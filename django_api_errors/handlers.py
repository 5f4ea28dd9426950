"""The one road every error takes: classify, render, fall back, report.

``REST_FRAMEWORK = {"EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler"}``

The Django error views and the middleware answer through :func:`respond` too.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from django.conf import settings as django_settings
from django.core import signals
from django.http import HttpResponse
from django.utils.log import log_response
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from django_api_errors import _sentry, conf
from django_api_errors._requests import django_request, get_request_id
from django_api_errors.classify import challenge, classify
from django_api_errors.problem import Problem
from django_api_errors.responses import minimal_response, render

__all__ = ["exception_handler"]

logger = logging.getLogger("django_api_errors")


def report(exc: BaseException | None, request: Any, response: HttpResponse, *, signal: bool = True) -> None:
    """Log a server error the way Django does, naming the request id.

    ``signal=False`` where Django already sent ``got_request_exception``.
    """
    inner = django_request(request)
    if signal:
        signals.got_request_exception.send(sender=None, request=inner)
    log_response(
        "Internal Server Error: %s (request id %s)",
        getattr(inner, "path", ""),
        get_request_id(inner),
        response=response,
        request=inner,
        exception=exc,
    )


def _finish(problem: Problem, exc: BaseException | None, request: Any, view: Any) -> Problem:
    """The members and headers that depend on more than the error itself."""
    if problem.status == 401 and "WWW-Authenticate" not in problem.headers:
        problem.headers["WWW-Authenticate"] = challenge(request, view)
    if exc is not None and problem.status >= 500 and django_settings.DEBUG and conf.settings.DEBUG_TRACEBACK:
        problem.extra["traceback"] = traceback.format_exception(exc)
    if problem.status >= 500 and conf.settings.SENTRY_EVENT_ID:
        event_id = _sentry.event_id(django_request(request))
        if event_id is not None:
            problem.extra["event_id"] = event_id
    return problem


def respond(
    error: BaseException | Problem,
    request: Any,
    view: Any = None,
    *,
    fallback: str | None = None,
    signal: bool = True,
    log: bool = True,
) -> HttpResponse:
    """The documented response for an exception or an already classified problem.

    ``fallback`` names the code to answer when ``error`` is not one the table
    knows (a Django error view's own code).  Never raises: if building the
    body fails, the client gets a minimal ``server_error`` and the failure is
    logged.  An exception answered with 5xx is reported once, with the request
    id (``signal=False``: Django already signalled it; ``log=False``: and logged it).
    """
    exc = None if isinstance(error, Problem) else error
    try:
        problem = error if isinstance(error, Problem) else classify(error, request)
        if fallback and problem.code == "server_error":
            problem = Problem.for_code(fallback)
        if exc is not None and problem.status >= 500 and signal:
            # Trackers capture the exception on this signal: before rendering,
            # so the body can name their event.
            signals.got_request_exception.send(sender=None, request=django_request(request))
            signal = False
        response = render(_finish(problem, exc, request, view), request)
    except Exception:
        logger.exception("Formatting the error response failed")
        response = minimal_response(request)
    if exc is not None and log and response.status_code >= 500:
        report(exc, request, response, signal=signal)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse:
    """DRF's ``EXCEPTION_HANDLER``: every exception becomes the documented body."""
    set_rollback()
    request = context.get("request")
    response = respond(exc, request, context.get("view"))
    if isinstance(getattr(request, "accepted_renderer", None), BrowsableAPIRenderer):
        # A person browsing the API sees the same body inside DRF's page.
        headers = {name: value for name, value in response.items() if name.lower() != "content-type"}
        return Response(json.loads(response.content), status=response.status_code, headers=headers)
    return response
