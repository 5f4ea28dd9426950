"""Scope checks that answer ``insufficient_scope`` instead of ``access_denied``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from django_api_errors import conf
from django_api_errors.exceptions import AccessDenied, InsufficientScope

UNLISTED = _("No scope grants this method on this resource.")
_SAFE = ("GET", "HEAD", "OPTIONS")


def _parse(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(item) for item in value)
    return None


def token_scopes(request: Request) -> frozenset[str] | None:
    """The scopes ``request.auth`` grants, or ``None`` when it carries none.

    Read, in order, from a ``scopes`` or ``scope`` attribute (a list or a
    space-separated string, as django-oauth-toolkit's ``AccessToken.scope``)
    or a ``scope`` / ``scp`` claim (simplejwt tokens, dicts).
    """
    auth = getattr(request, "auth", None)
    if auth is None:
        return None
    for name in ("scopes", "scope"):
        found = _parse(getattr(auth, name, None))
        if found is not None:
            return found
    get = getattr(auth, "get", None)
    if callable(get):
        for claim in ("scope", "scp"):
            found = _parse(get(claim))
            if found is not None:
                return found
    return None


def granted_scopes(request: Request) -> frozenset[str] | None:
    """The request's scopes, through ``API_ERRORS["SCOPES_GETTER"]`` if set."""
    path = conf.settings.SCOPES_GETTER
    if path is None:
        return token_scopes(request)
    found: Iterable[str] | None = import_string(path)(request)
    return None if found is None else frozenset(found)


def required_scopes(request: Request, view: APIView) -> list[str] | None:
    """The view's ``required_scopes`` for the request's method, or ``None`` when no scope grants it.

    A dict of HTTP method to list names each method a token may use: a
    ``HEAD`` it leaves out needs ``GET``'s scopes, a ``GET`` or ``OPTIONS``
    none, and a ``POST``, ``PUT``, ``PATCH`` or ``DELETE`` is granted by no
    scope (a dict that forgot ``PATCH`` must not let a read-only token write).
    """
    required: Any = getattr(view, "required_scopes", ())
    if isinstance(required, Mapping):
        required = {str(name).upper(): scopes for name, scopes in required.items()}  # "get" is GET
        method = request.method or ""
        if method == "HEAD" and method not in required:
            method = "GET"
        if method not in required:
            return [] if method in _SAFE else None
        required = required[method]
    if isinstance(required, str):
        required = required.split()
    return [str(scope) for scope in required]


def _handles(view: APIView, method: str) -> bool:
    name = method.lower()
    return name in getattr(view, "http_method_names", (name,)) and hasattr(view, name)


class HasScope(BasePermission):
    """Requires the view's ``required_scopes`` of the request's credentials.

    A missing scope answers 403 ``insufficient_scope`` naming every required
    scope; an anonymous request is refused (401).  Credentials that carry no
    scopes at all (a session, DRF's ``Token``) pass, because scopes limit
    what a token may do on the user's behalf; set ``allow_without_scopes =
    False`` on a subclass to refuse them too.
    """

    allow_without_scopes = True

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        needed = required_scopes(request, view)
        if needed == []:
            return True
        granted = granted_scopes(request)
        if granted is None and self.allow_without_scopes:
            return True
        if needed is None:
            if not _handles(view, request.method or ""):
                return True  # the view's 405 says more
            raise AccessDenied(UNLISTED)
        if granted is None or not granted.issuperset(needed):
            raise InsufficientScope(scopes=needed)
        return True
