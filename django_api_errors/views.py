"""Django error views that answer with the documented body.

Wire them in the root URLconf::

    handler400 = "django_api_errors.views.bad_request"
    handler403 = "django_api_errors.views.permission_denied"
    handler404 = "django_api_errors.views.page_not_found"
    handler500 = "django_api_errors.views.server_error"

and ``CSRF_FAILURE_VIEW = "django_api_errors.views.csrf_failure"``.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults

from django_api_errors import conf
from django_api_errors.handlers import problem_for
from django_api_errors.responses import Problem, get_request_id, safe_render

CSRF_FAILED = _(
    "CSRF verification failed: send the CSRF token with requests that authenticate with a session cookie."
)


def wants_html(request: HttpRequest) -> bool:
    """True when this path serves HTML and the client asked for it."""
    prefixes = conf.settings.HTML_PATH_PREFIXES
    if not prefixes or not request.path.startswith(tuple(prefixes)):
        return False
    return "text/html" in request.META.get("HTTP_ACCEPT", "")


def _answer(request: HttpRequest, exception: BaseException, fallback: str) -> HttpResponse:
    problem = problem_for(exception, request)
    if problem.code == "server_error":
        # An exception Django routed here by its own type, but that the
        # mapping does not know, still answers with this view's code.
        problem = Problem.for_code(fallback)
    return safe_render(problem, request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.bad_request(request, exception)
    return _answer(request, exception, "invalid_request")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.permission_denied(request, exception)
    return _answer(request, exception, "access_denied")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.page_not_found(request, exception)
    return _answer(request, exception, "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception."""
    if wants_html(request):
        return defaults.server_error(request)
    exception = sys.exc_info()[1]
    problem = problem_for(exception, request) if exception is not None else Problem.for_code("server_error")
    response = safe_render(problem, request, exception)
    if response.status_code >= 500:
        # Log here, with the request id, instead of Django's plainer line.
        log_response(
            "Internal Server Error: %s (request id %s)",
            request.path,
            get_request_id(request),
            response=response,
            request=request,
            exception=exception,
        )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a 403 ``access_denied`` that names CSRF."""
    if wants_html(request):
        return csrf.csrf_failure(request, reason)
    return safe_render(Problem.for_code("access_denied", CSRF_FAILED), request)
