"""The view a request is bound for, found before it runs, and what that view says of itself.

A view says something (``accepts_partial_put``, ``evaluates_preconditions``)
as an attribute of its class or of the view function, or as an argument of
``as_view()`` (an ``@action``'s keyword arguments arrive that way).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation


def handler(request: HttpRequest) -> Any | None:
    """The view that takes the request's method, or ``None`` where its 404 or 405 comes first.

    A refusal made before the view runs waits for these (RFC 9110 §13.2.1
    orders preconditions the same way).
    """
    path, urlconf = request.path_info, getattr(request, "urlconf", None)
    # i18n_patterns match the active language's prefix, which LocaleMiddleware
    # below ErrorMiddleware has yet to activate: the path's own language.
    language = translation.get_language_from_path(path) or translation.get_language()
    try:
        with translation.override(language):
            view = resolve(path, urlconf).func
    except (Resolver404, Http404):
        return None
    # as_view() keeps the class (Django's view_class, DRF's cls) and a viewset's actions.
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    actions, method = getattr(view, "actions", None), (request.method or "").lower()
    takes = method in actions if isinstance(actions, dict) else cls is None or hasattr(cls, method)
    return view if takes and method in getattr(cls, "http_method_names", (method,)) else None


def says(view: Any, name: str, *, by_class: bool = True) -> bool:
    """Whether ``view`` says ``name``: in ``as_view()``'s arguments, on itself or (``by_class``) its class."""
    kwargs = getattr(view, "view_initkwargs", None) or getattr(view, "initkwargs", None) or {}
    if name in kwargs:
        return bool(kwargs[name])
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    return any(getattr(owner, name, False) for owner in ((view, cls) if by_class else (view,)))
