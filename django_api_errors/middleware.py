"""Optional middleware for plain Django views.

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

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.log import log_response

from django_api_errors import codes, conf
from django_api_errors.handlers import problem_for
from django_api_errors.responses import Problem, safe_render
from django_api_errors.views import wants_html

_REPLACED_HEADERS = {"content-type", "content-length"}


def _is_documented(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "")
    return "json" in content_type or response.streaming or not response.has_header("Content-Type")


class ErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or _is_documented(response) or wants_html(request):
            return response
        return self.rewrite(request, response)

    def rewrite(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The documented body for an error response a view returned."""
        status = response.status_code
        problem = Problem.for_code(codes.closest(status))
        problem.status = status
        if problem.code == "usage_limit_exceeded":
            given = response.get("Retry-After", "")
            wait = int(given) if given.isdigit() else conf.settings.RETRY_AFTER
            problem.headers["Retry-After"] = str(wait)
            problem.extra["retry_after"] = wait
        if status == 401 and not response.has_header("WWW-Authenticate"):
            problem.headers["WWW-Authenticate"] = conf.settings.WWW_AUTHENTICATE
        documented = safe_render(problem, request)
        for name, value in response.items():
            if name.lower() not in _REPLACED_HEADERS:
                documented[name] = value
        documented.cookies = response.cookies
        return documented

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        problem = problem_for(exception, request)
        if problem.status >= 500:
            return None
        response = safe_render(problem, request, exception)
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
