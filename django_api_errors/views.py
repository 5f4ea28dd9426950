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
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults

from django_api_errors import _accept, conf
from django_api_errors._accept import HTML, JSON, PROBLEM_JSON
from django_api_errors.handlers import respond
from django_api_errors.problem import Problem
from django_api_errors.responses import cache_safe

__all__ = ["bad_request", "csrf_failure", "page_not_found", "permission_denied", "server_error"]

CSRF_FAILED = _(
    "CSRF verification failed: send the CSRF token with requests that authenticate with a session cookie."
)


def wants_html(request: HttpRequest) -> bool:
    """True when a person's browser asked: ``Accept`` prefers ``text/html`` to JSON.

    API clients (no ``Accept``, ``*/*``, JSON or Problem Details) get the
    documented body; ``HTML_PATH_PREFIXES`` and ``JSON_PATH_PREFIXES`` narrow it.
    """
    meta = request.META
    if "html" not in meta.get("HTTP_ACCEPT", ""):
        return False  # Most API requests end here, at one substring test.
    path = request.path
    if conf.settings.JSON_PATH_PREFIXES and path.startswith(conf.settings.JSON_PATH_PREFIXES):
        return False
    prefixes = conf.settings.HTML_PATH_PREFIXES
    if prefixes is not None and not path.startswith(prefixes):
        return False
    (html, _), (json, _), (problem, _) = _accept.weights(meta, HTML, JSON, PROBLEM_JSON)
    return html > max(json, problem)


def _page(response: HttpResponse) -> HttpResponse:
    # Django's own page: its format follows Accept too, so caches must know.
    return cache_safe(response)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return _page(defaults.bad_request(request, exception))
    return respond(exception, request, fallback="invalid_request")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return _page(defaults.permission_denied(request, exception))
    return respond(exception, request, fallback="access_denied")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return _page(defaults.page_not_found(request, exception))
    return respond(exception, request, fallback="not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception (and has signalled it)."""
    if wants_html(request):
        return _page(defaults.server_error(request))
    exception = sys.exc_info()[1]
    return respond(exception or Problem.for_code("server_error"), request, signal=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a 403 ``access_denied`` that names CSRF."""
    if wants_html(request):
        return _page(csrf.csrf_failure(request, reason))
    return respond(Problem.for_code("access_denied", CSRF_FAILED), request)
