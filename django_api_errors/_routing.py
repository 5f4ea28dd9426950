"""The view a request is bound for, found before it runs, and what that view says of itself.

A view says something (``accepts_partial_put``, ``evaluates_preconditions``)
as an attribute of its class or of the view function, or as an argument of
``as_view()`` (an ``@action``'s keyword arguments arrive that way).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import Http404, HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

from django_api_errors import _redirects


def handler(request: HttpRequest) -> Any | None:
    """The view that takes the request's method, or ``None`` where its 404 or 405 comes first.

    A refusal made before the view runs waits for these (RFC 9110 §13.2.1
    orders preconditions the same way).
    """
    path, urlconf = request.path_info, getattr(request, "urlconf", None)
    try:
        with translation.override(_language(request, urlconf or settings.ROOT_URLCONF)):
            view = resolve(path, urlconf).func
    except (Resolver404, Http404):
        return None
    # as_view() keeps the class (Django's view_class, DRF's cls) and a viewset's actions.
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    actions, method = getattr(view, "actions", None), (request.method or "").lower()
    takes = method in actions if isinstance(actions, dict) else cls is None or hasattr(cls, method)
    return view if takes and method in getattr(cls, "http_method_names", (method,)) else None


def _language(request: HttpRequest, urlconf: str) -> str | None:
    """The language Django will resolve the path in: ``i18n_patterns`` match its prefix.

    Where ``LocaleMiddleware`` is installed, the one it activates (it may sit
    below ``ErrorMiddleware`` and not have run yet), chosen as it chooses.
    """
    if not any(isinstance(fallback, LocaleMiddleware) for fallback in _redirects.fallbacks_here()):
        return translation.get_language()
    used, prefixed = is_language_prefix_patterns_used(urlconf)
    if used and not prefixed and not translation.get_language_from_path(request.path_info):
        return str(settings.LANGUAGE_CODE)
    return translation.get_language_from_request(request, check_path=used)


def says(view: Any, name: str) -> bool:
    """Whether ``view`` says ``name``: in ``as_view()``'s arguments, on itself or its class."""
    kwargs = getattr(view, "view_initkwargs", None) or getattr(view, "initkwargs", None) or {}
    if name in kwargs:
        return bool(kwargs[name])
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    return any(getattr(owner, name, False) for owner in (view, cls))
