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

from django_api_errors import conf
from django_api_errors.handlers import respond
from django_api_errors.problem import Problem

__all__ = ["bad_request", "csrf_failure", "page_not_found", "permission_denied", "server_error"]

CSRF_FAILED = _(
    "CSRF verification failed: send the CSRF token with requests that authenticate with a session cookie."
)


def wants_html(request: HttpRequest) -> bool:
    """True when this path serves HTML and the client asked for it."""
    prefixes = conf.settings.HTML_PATH_PREFIXES
    if not prefixes or not request.path.startswith(tuple(prefixes)):
        return False
    return "text/html" in request.META.get("HTTP_ACCEPT", "")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.bad_request(request, exception)
    return respond(exception, request, fallback="invalid_request")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.permission_denied(request, exception)
    return respond(exception, request, fallback="access_denied")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_html(request):
        return defaults.page_not_found(request, exception)
    return respond(exception, request, fallback="not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception (and has signalled it)."""
    if wants_html(request):
        return defaults.server_error(request)
    exception = sys.exc_info()[1]
    return respond(exception or Problem.for_code("server_error"), request, signal=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a 403 ``access_denied`` that names CSRF."""
    if wants_html(request):
        return csrf.csrf_failure(request, reason)
    return respond(Problem.for_code("access_denied", CSRF_FAILED), request)
