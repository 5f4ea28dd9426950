"""Middleware for plain Django views, in sync and async stacks alike.

It does two things handler views cannot:

- answers documented client errors raised in plain Django views (a unique
  violation, a ``full_clean()`` failure, an ``ApiError``) before Django's
  500 path, which would otherwise log them as server errors;
- rewrites error responses that plain views *return* instead of raise
  (``HttpResponseNotAllowed``, ``HttpResponseBadRequest``, ...) into the
  documented body, keeping their status and headers (``Allow`` ...).

Unexpected exceptions are left to Django and ``handler500``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.log import log_response

from django_api_errors._requests import bind, set_header, unbind
from django_api_errors.classify import classify
from django_api_errors.handlers import respond
from django_api_errors.problem import Problem
from django_api_errors.views import wants_html

__all__ = ["ErrorMiddleware"]

_REPLACED_HEADERS = {"content-type", "content-length"}


def _is_documented(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "")
    return "json" in content_type or response.streaming or not response.has_header("Content-Type")


class ErrorMiddleware:
    """Documented bodies for errors of plain Django views; no thread hop under ASGI."""

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
        token = bind(request)
        try:
            return self.finish(request, self.get_response(request))
        finally:
            unbind(request, token)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
        token = bind(request)
        try:
            return self.finish(request, await get_response(request))
        finally:
            unbind(request, token)

    def finish(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        set_header(request, response)
        if response.status_code < 400 or _is_documented(response) or wants_html(request):
            return response
        return self.rewrite(request, response)

    def rewrite(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The documented body for an error response a view returned."""
        problem = Problem.for_status(response.status_code)
        if problem.code == "usage_limit_exceeded":
            problem.wait(response.get("Retry-After"))
        documented = respond(problem, request)
        for name, value in response.items():
            # A wait the view wrote (even "0") was already made at least 1.
            if name.lower() not in _REPLACED_HEADERS and not (
                name.lower() == "retry-after" and "Retry-After" in problem.headers
            ):
                documented[name] = value
        documented.cookies = response.cookies
        return documented

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        problem = classify(exception, request)
        if problem.status >= 500:
            return None
        response = respond(problem, request)
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
