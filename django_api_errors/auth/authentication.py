"""DRF authentication whose failures name the documented code.

A token that has expired answers ``session_expired`` (get a new one); a
token that is unknown, revoked or belongs to an inactive user answers
``unauthorized_client`` (check the credentials).  Both carry the scheme's
challenge with ``error="invalid_token"``; a request without a token gets the
bare challenge (RFC 6750 §3.1).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from django_api_errors import conf
from django_api_errors.exceptions import SessionExpired, UnauthorizedClient

INVALID_TOKEN = _("The token is not valid.")
EXPIRED_TOKEN = _("The token has expired.")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def challenge(scheme: str, **params: str | None) -> str:
    """A ``WWW-Authenticate`` challenge: ``challenge("Bearer", realm="api")``.

    Parameters that are ``None`` or empty are left out.
    """
    pairs = [f'{name}="{_quote(str(value))}"' for name, value in params.items() if value]
    return f"{scheme} {', '.join(pairs)}" if pairs else scheme


def with_error(header: str, error: str = "invalid_token") -> str:
    """``header`` (a challenge without ``error``) with ``error="..."`` added."""
    separator = ", " if " " in header.strip() else " "
    return f'{header.strip()}{separator}error="{error}"'


class _ExpiryErrors:
    """A token class's ``api_errors`` (for the schema): ``session_expired`` where its tokens expire."""

    def __get__(self, instance: Any, owner: Any) -> tuple[str, ...]:
        own_expiry = owner.expires_at is not ExpiringTokenAuthentication.expires_at
        return ("session_expired",) if own_expiry or conf.settings.TOKEN_LIFETIME is not None else ()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's ``TokenAuthentication`` with a lifetime and documented errors.

    ``Authorization: Token <key>``.  A token older than
    ``API_ERRORS["TOKEN_LIFETIME"]`` answers 401 ``session_expired``; an
    unknown key or an inactive user, 401 ``unauthorized_client``.  Set
    ``model``, ``keyword`` or ``www_authenticate_realm`` on a subclass, and
    override :meth:`expires_at` for tokens that store their own expiry.
    """

    www_authenticate_realm: str | None = None
    api_errors = _ExpiryErrors()

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:  # a malformed header
            raise UnauthorizedClient(str(exc.detail), headers=self.error_headers()) from exc

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        model: Any = self.get_model()
        token = model.objects.select_related("user").filter(key=key).first()
        if token is None or not token.user.is_active:
            raise UnauthorizedClient(INVALID_TOKEN, headers=self.error_headers())
        expires = self.expires_at(token)
        if expires is not None and expires <= timezone.now():
            raise SessionExpired(EXPIRED_TOKEN, headers=self.error_headers())
        return token.user, token

    def expires_at(self, token: Any) -> datetime | None:
        """When ``token`` expires: its ``created`` plus ``TOKEN_LIFETIME``."""
        lifetime = conf.settings.TOKEN_LIFETIME
        created: datetime | None = getattr(token, "created", None)
        if lifetime is None or created is None:
            return None
        return created + lifetime

    def authenticate_header(self, request: Request) -> str:
        return challenge(self.keyword, realm=self.www_authenticate_realm)

    def error_headers(self) -> dict[str, str]:
        """The challenge sent with a refused token."""
        header = challenge(self.keyword, realm=self.www_authenticate_realm, error="invalid_token")
        return {"WWW-Authenticate": header}
