"""django-oauth-toolkit authentication and scope permissions with documented errors.

``pip install django-api-errors[oauth]``, then use these classes where you
used ``oauth2_provider.contrib.rest_framework``'s:

- :class:`OAuth2Authentication`: an expired access token answers 401
  ``session_expired``, an unknown or revoked one 401 ``unauthorized_client``,
  both with django-oauth-toolkit's ``Bearer ... error="invalid_token"``
  challenge.  (The toolkit's own class treats a bad token like no token.)
- :class:`TokenHasScope`, :class:`TokenHasReadWriteScope`,
  :class:`TokenHasResourceScope`: a token without a required scope answers
  403 ``insufficient_scope`` naming the scopes, instead of ``access_denied``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from oauth2_provider.contrib.rest_framework import authentication, permissions
from oauth2_provider.models import get_access_token_model
from oauth2_provider.settings import oauth2_settings
from rest_framework.authentication import get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from django_api_errors.auth.authentication import EXPIRED_TOKEN, INVALID_TOKEN
from django_api_errors.exceptions import InsufficientScope, SessionExpired, UnauthorizedClient


def stored_token(request: Request) -> Any:
    """The toolkit's ``AccessToken`` for ``Authorization: Bearer <token>``, if any (others are deprecated)."""
    parts = get_authorization_header(request).split()
    try:
        raw = parts[-1].decode("ascii")
    except (IndexError, UnicodeDecodeError):  # no header, or not ASCII
        return None
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    # The validator's own lookup knows how tokens are stored (hashed or not),
    # but it is private: the one place it is used, with a public fallback.
    load = getattr(validator, "_load_access_token", None)
    if load is not None:
        return load(raw)
    model = get_access_token_model()
    if any(field.name == "token_checksum" for field in model._meta.get_fields()):
        checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        return model.objects.filter(token_checksum=checksum).first()
    return model.objects.filter(token=raw).first()


class OAuth2Authentication(authentication.OAuth2Authentication):  # type: ignore[misc]
    """The toolkit's ``OAuth2Authentication``; a refused token raises a documented error."""

    api_errors = ("session_expired",)  # for the schema: access tokens expire

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found: tuple[Any, Any] | None = super().authenticate(request)
        if found is not None:
            return found
        error = getattr(request, "oauth2_error", None) or {}
        if error.get("error") != "invalid_token":
            return None  # no token at all: DRF answers with the bare challenge
        headers = {"WWW-Authenticate": str(self.authenticate_header(request))}
        token = stored_token(request)
        if token is not None and token.is_expired():
            raise SessionExpired(EXPIRED_TOKEN, headers=headers)
        raise UnauthorizedClient(INVALID_TOKEN, headers=headers)


class InsufficientScopeMixin(BasePermission):
    """Turns a scope check's ``False`` into ``InsufficientScope`` when a live token lacks a scope."""

    api_errors = ("insufficient_scope",)  # for the schema: the scopes may come from the toolkit's settings

    def has_permission(self, request: Request, view: APIView) -> bool:
        if super().has_permission(request, view):
            return True
        token: Any = request.auth
        if token is None or not hasattr(token, "allow_scopes") or token.is_expired():
            return False
        required = [str(scope) for scope in self.get_scopes(request, view)]  # type: ignore[attr-defined]
        if required and not token.allow_scopes(required):
            raise InsufficientScope(scopes=required)
        return False


class TokenHasScope(InsufficientScopeMixin, permissions.TokenHasScope):  # type: ignore[misc]
    """The toolkit's ``TokenHasScope``: the view's ``required_scopes``, or 403 ``insufficient_scope``."""


class TokenHasReadWriteScope(InsufficientScopeMixin, permissions.TokenHasReadWriteScope):  # type: ignore[misc]
    """The toolkit's ``TokenHasReadWriteScope``, answering ``insufficient_scope``."""


class TokenHasResourceScope(InsufficientScopeMixin, permissions.TokenHasResourceScope):  # type: ignore[misc]
    """The toolkit's ``TokenHasResourceScope``, answering ``insufficient_scope``."""
