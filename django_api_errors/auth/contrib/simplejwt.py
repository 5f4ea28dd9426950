"""djangorestframework-simplejwt authentication with documented errors.

``pip install django-api-errors[jwt]``, then use these classes where you
used simplejwt's::

    REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
        "django_api_errors.auth.contrib.simplejwt.JWTAuthentication",
    ]}

An expired access token answers 401 ``session_expired``; a malformed,
wrongly signed or blacklisted one (or one whose user is gone or inactive)
401 ``unauthorized_client``.  Both carry ``WWW-Authenticate: Bearer
realm="api", error="invalid_token"``; no token at all, ``Bearer realm="api"``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

from django_api_errors.auth.authentication import EXPIRED_TOKEN, INVALID_TOKEN, with_error
from django_api_errors.exceptions import SessionExpired, UnauthorizedClient


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's ``JWTAuthentication``, telling expired tokens from bad ones."""

    api_errors = ("session_expired",)  # for the schema: every token expires

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        challenge = with_error(self.authenticate_header(request))
        try:
            return super().authenticate(request)
        except (SessionExpired, UnauthorizedClient) as exc:
            exc.headers.setdefault("WWW-Authenticate", challenge)
            raise
        except exceptions.AuthenticationFailed as exc:  # user gone or inactive, a malformed header
            detail: Any = exc.detail
            if isinstance(detail, dict):
                detail = detail.get("detail", "")
            headers = {"WWW-Authenticate": challenge}
            raise UnauthorizedClient(str(detail) or str(INVALID_TOKEN), headers=headers) from exc

    def get_validated_token(self, raw_token: bytes) -> Token:
        expired = False
        for token_class in api_settings.AUTH_TOKEN_CLASSES:
            try:
                token: Token = token_class(raw_token)
            except ExpiredTokenError:
                # Only a correctly signed token gets as far as its expiry.
                expired = True
            except TokenError:
                continue
            else:
                return token
        if expired:
            raise SessionExpired(EXPIRED_TOKEN)
        raise UnauthorizedClient(INVALID_TOKEN)


class JWTStatelessUserAuthentication(JWTAuthentication, authentication.JWTStatelessUserAuthentication):
    """simplejwt's ``JWTStatelessUserAuthentication`` with the same errors."""
