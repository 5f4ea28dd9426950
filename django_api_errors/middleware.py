"""Optional middleware for plain Django views.

Without it, a documented client error raised in a plain Django view (a
unique violation, a ``full_clean()`` failure, an ``ApiError``) still gets its
code from ``handler500``, but Django first logs it as a server error.  With
it, such errors are answered before Django's 500 path and logged as what
they are.  Unexpected exceptions are left to Django and ``handler500``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response

from django_api_errors.handlers import problem_for
from django_api_errors.responses import safe_render


class ErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        problem = problem_for(exception, request)
        if problem.status >= 500:
            return None
        response = safe_render(problem, request)
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response
