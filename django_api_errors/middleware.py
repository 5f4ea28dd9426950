"""``ErrorMiddleware``: documented errors outside DRF views, in sync and async stacks alike.

Put it after ``CommonMiddleware``.  On the way in it makes sure a request
body sent without ``Content-Length`` is read or refused, never silently
dropped, and answers 412 to a write carrying ``If-Match`` that DRF's own
write code would carry out regardless (:mod:`._conditions`).  On the way
out it:

- answers every exception a plain Django view raises with the documented
  body (a unique violation, a ``full_clean()`` failure, an ``ApiError``, and
  unexpected ones as ``server_error``, logged once with the request id), with
  ``DEBUG`` on or off;
- rewrites error responses that views *return* (``HttpResponseNotAllowed``,
  Django's debug pages, ...) into the documented body, keeping their status
  and headers (``Allow`` ...), and answers an exception another middleware
  raised with its own documented body;
- answers ``308 Permanent Redirect`` where ``APPEND_SLASH``,
  ``LocaleMiddleware`` (the language prefix of ``i18n_patterns``) or
  ``RedirectFallbackMiddleware`` would redirect an unsafe request with 301 or
  302, which clients repeat as a ``GET`` (RFC 9110 §15.4.9).

A person whose browser prefers HTML keeps Django's pages.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.core import signals
from django.http import HttpRequest, HttpResponseBase
from django.utils.log import log_response

from django_api_errors import _body, _conditions, _logging, _redirects, _requests, _sentry, conf
from django_api_errors._requests import bind, set_header, unbind
from django_api_errors.exceptions import FAILED_PRECONDITIONS
from django_api_errors.handlers import respond
from django_api_errors.problem import Problem
from django_api_errors.responses import cache_safe
from django_api_errors.views import wants_html

__all__ = ["ErrorMiddleware"]

_REPLACED_HEADERS = {"content-type", "content-length", "vary", "cache-control"}
_UNSAFE = _redirects.UNSAFE
_BODIES = _UNSAFE  # the methods whose body is read or refused (_body)
_EXCEPTION_ATTR = "api_errors_exception"
_ID_ATTR = _requests.ID_ATTR
_pop_id, _set_current, _reset_current = (
    _requests._pop_id,
    _requests.set_current,
    _requests.current_request_id.reset,
)
logger = logging.getLogger("django_api_errors")


def _remember_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Django signals an exception that escaped a middleware before it renders
    # its own page; keep it, so the response can say what really happened.
    if request is not None:
        setattr(request, _EXCEPTION_ATTR, sys.exc_info()[1])


signals.got_request_exception.connect(_remember_exception, dispatch_uid="django_api_errors.middleware")


def _refused(request: HttpRequest) -> Problem | None:
    """Why a write is refused before its view runs: a body not all there, or a condition DRF would ignore."""
    meta = request.META
    refused = _body.complete(request)
    if refused is None and ("HTTP_IF_MATCH" in meta or "HTTP_IF_NONE_MATCH" in meta):
        refused = _conditions.refusal(request)
    return refused


def _failed_precondition(meta: Any) -> Problem | None:
    """A 412 made without If-Match (ConditionalGetMiddleware, ``@condition``) names the header that failed."""
    if "HTTP_IF_MATCH" in meta:
        return None  # the code's own wording
    sent = [header for header in FAILED_PRECONDITIONS if "HTTP_" + header.upper().replace("-", "_") in meta]
    # With both, either may have failed: the code's own wording then.
    return Problem.for_code("precondition_failed", FAILED_PRECONDITIONS[sent[0]]) if len(sent) == 1 else None


def _is_documented(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "")
    return "json" in content_type or response.streaming or not response.has_header("Content-Type")


class ErrorMiddleware:
    """Documented bodies for errors outside DRF views; no thread hop under ASGI."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        if _sentry.installed:
            return self.traced(request)
        # The common case, in as few Python calls as possible: one costs 1,000
        # to 2,000 instructions here, 0.1-0.2% of a 200 (docs/benchmarks.md).
        name, field, meta_key = conf.settings.request_id_names
        meta = request.META
        if meta_key in meta or "HTTP_TRACEPARENT" in meta or _ID_ATTR in request.__dict__:
            rid = getattr(request, _ID_ATTR, None) or _requests.choose(request)
        else:
            try:
                rid = _pop_id()  # new_request_id(), inlined
            except IndexError:
                rid = _requests.new_request_id()
        if _requests.in_logs:
            # A RequestIdFilter reads the context variable; the request's
            # errors then name the same id as its log records.
            request.api_errors_request_id = rid  # type: ignore[attr-defined]  # _ID_ATTR
            token = _set_current(rid)
        else:
            # No reader: an error response chooses its id afresh and sends
            # that one (finish), so the new id above is used only on a success.
            token = None
        try:
            if request.method in _BODIES:
                refused = _refused(request)
                response = respond(refused, request) if refused is not None else self.get_response(request)
            else:
                response = self.get_response(request)
            status = response.status_code
            if status < 300 or (status < 400 and request.method not in _UNSAFE):
                # _headers.set_field(), inlined.
                try:
                    response.headers._store[field] = (name, rid)
                except AttributeError:  # pragma: no cover - a response without Django's store
                    response.headers[name] = rid
                return response
            return self.finish(request, response)
        finally:
            if token is not None:
                _reset_current(token)

    def traced(self, request: HttpRequest) -> HttpResponseBase:
        """``__call__`` with sentry-sdk installed: the request's scope carries its id."""
        token = bind(request)
        try:
            refused = _refused(request) if request.method in _BODIES else None
            response = respond(refused, request) if refused is not None else self.get_response(request)
            return self.finish(request, response)
        finally:
            unbind(request, token)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
        token = bind(request)
        try:
            refused = _refused(request) if request.method in _BODIES else None
            response = respond(refused, request) if refused is not None else await get_response(request)
            if _redirects.redirectable(request, response.status_code) and _redirects.fallbacks_here():
                # RedirectFallbackMiddleware reads the database: not on the event loop.
                redirect = await sync_to_async(_redirects.unsafe_redirect)(request, response)
                if redirect is not None:
                    set_header(request, redirect)
                    return redirect
                return self.finish(request, response, asked=True)
            return self.finish(request, response)
        finally:
            unbind(request, token)

    def finish(
        self, request: HttpRequest, response: HttpResponseBase, *, asked: bool = False
    ) -> HttpResponseBase:
        set_header(request, response)
        status = response.status_code
        if not asked and _redirects.redirectable(request, status):
            redirect = _redirects.unsafe_redirect(request, response)
            if redirect is not None:
                set_header(request, redirect)
                return redirect
        if status < 400:
            return response
        if _is_documented(response):
            return response
        if wants_html(request):
            # A person's page here is a JSON body for a client: caches must know (and
            # Django's DEBUG pages, made without handler404, would not say).
            return cache_safe(response)
        return self.rewrite(request, response)

    def rewrite(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The documented body for an error response a view returned."""
        raised = getattr(request, _EXCEPTION_ATTR, None)
        if raised is not None:
            # Django rendered and logged an exception from a middleware: answer
            # it as documented, and keep Django from logging the answer again.
            documented = respond(raised, request, signal=False, log=False)
            _logging.mark_logged(documented, response)
            return documented
        problem = Problem.for_status(response.status_code)
        if response.status_code == 412:
            problem = _failed_precondition(request.META) or problem
        if problem.code == "usage_limit_exceeded":
            problem.wait(response.get("Retry-After"))
        documented = respond(problem, request)
        # A wait the view wrote (even "0") was already made at least 1.
        replaced = _REPLACED_HEADERS | ({"retry-after"} if "Retry-After" in problem.headers else set())
        for name, value in response.items():
            if name.lower() not in replaced:
                documented[name] = value
        documented.cookies = response.cookies
        return documented

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if wants_html(request):
            return None  # Django's page (or the project's 500.html) for a person
        response = respond(exception, request)
        if response.status_code < 500:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
