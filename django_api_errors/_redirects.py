"""308 where Django would redirect a write with 301 or 302, which clients repeat as a ``GET``.

``CommonMiddleware`` adds a missing slash (``APPEND_SLASH``) to a 404;
``LocaleMiddleware`` adds the language prefix of ``i18n_patterns``, and
``RedirectFallbackMiddleware`` sends a path that moved where its row says.
RFC 9110 §15.4.9: only 307 and 308 keep the method and the body.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.middleware.common import CommonMiddleware
from django.utils.http import escape_leading_slashes
from django.utils.module_loading import import_string

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
logger = logging.getLogger("django_api_errors")
_common = CommonMiddleware(lambda request: HttpResponseBase())


class PermanentRedirect(HttpResponsePermanentRedirect):
    """308: like 301, but the client must repeat the method and the body."""

    status_code = 308


# Django middleware that answers a 404 with a redirect: to the path with its
# language prefix (302), or to where a row of django.contrib.redirects says (301).
_FALLBACKS = (
    "django.middleware.locale.LocaleMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
)


@lru_cache(maxsize=8)
def fallbacks(stack: tuple[str, ...]) -> tuple[Any, ...]:
    """Instances of the middleware in ``stack`` that redirect a 404 (subclasses included)."""
    found = []
    for entry in stack:
        middleware = import_string(entry)  # Django has imported each already
        if isinstance(middleware, type) and any(
            f"{base.__module__}.{base.__qualname__}" in _FALLBACKS for base in middleware.__mro__
        ):
            try:
                found.append(middleware(_no_response))
            except MiddlewareNotUsed:  # Django left it out of the chain too
                pass
    return tuple(found)


def _no_response(request: HttpRequest) -> HttpResponseBase:
    return HttpResponseBase()


def fallbacks_here() -> tuple[Any, ...]:
    """The fallbacks in this project's ``MIDDLEWARE``."""
    return fallbacks(tuple(getattr(settings, "MIDDLEWARE", None) or ()))


def redirectable(request: HttpRequest, status: int) -> bool:
    """A write answered 404, or 301/302 where no view ran: a fallback below made it of the 404.

    A view's own redirect after a write (Post/Redirect/Get) is meant to be
    followed with a ``GET``, wherever it points.
    """
    if request.method not in UNSAFE:
        return False
    return status == 404 or (status in (301, 302) and getattr(request, "resolver_match", None) is None)


def unsafe_redirect(request: HttpRequest, response: HttpResponseBase) -> PermanentRedirect | None:
    """The 308 for a write Django would redirect with 301 or 302, or ``None``.

    The fallbacks are asked what they do with a 404: above ``ErrorMiddleware``
    they have yet to see it, below it they made ``response`` (the same redirect).
    """
    status = response.status_code
    if status == 404 and _common.should_redirect_with_slash(request):
        return PermanentRedirect(escape_leading_slashes(request.get_full_path(force_append_slash=True)))
    for fallback in fallbacks_here():
        try:
            found = fallback.process_response(request, HttpResponseNotFound())
        except Exception:  # the answer stands as it was (a missing table, a database away)
            logger.warning("%s failed on %s", type(fallback).__name__, request.path, exc_info=True)
            continue
        if found.status_code in (301, 302) and (
            status == 404 or (found.status_code == status and found["Location"] == response.get("Location"))
        ):
            redirect = PermanentRedirect(found["Location"])
            if found.has_header("Vary"):
                redirect["Vary"] = found["Vary"]  # a language prefix follows Accept-Language and the cookie
            return redirect
    return None
