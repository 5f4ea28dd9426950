"""Telling an expired session from no session at all.

Django treats a session cookie that names an expired, deleted or forged
session like no cookie: the request is simply anonymous.  A client then
cannot tell "log in again" from "you never logged in".  The core's
classification asks :func:`refusal` only when DRF refuses a request, so the
requests that succeed pay nothing for it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.signed_cookies import SessionStore as SignedCookieSession
from rest_framework import exceptions as drf
from rest_framework.authentication import SessionAuthentication

from django_api_errors import conf
from django_api_errors._requests import django_request
from django_api_errors.problem import Problem


def uses_sessions(request: Any) -> bool:
    """True when one of the request's DRF authenticators reads the session."""
    authenticators = getattr(request, "authenticators", None) or ()
    return any(isinstance(authenticator, SessionAuthentication) for authenticator in authenticators)


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def stale_session(request: Any) -> bool:
    """True when the request sent a session cookie that loaded no live session.

    That is a session that expired, was deleted (logout, ``clearsessions``,
    a flushed cache), was flushed because the password changed, or a signed
    cookie whose signature or ``max_age`` check fails.
    """
    inner = django_request(request)
    cookie = getattr(inner, "COOKIES", {}).get(settings.SESSION_COOKIE_NAME)
    session = getattr(inner, "session", None)
    if not cookie or not isinstance(session, SessionBase):
        return False
    if not session.accessed and _on_event_loop():
        # adrf runs the exception handler on the loop, where loading the
        # session from its store is refused; unloaded, it cannot be told.
        return False
    # Loads the session if nothing did yet (usually AuthenticationMiddleware has).
    session.keys()
    # The database, cache and file backends drop or replace a key that names
    # no live session; the signed-cookie backend keeps it, so check the signature.
    if session.session_key != cookie:
        return True
    if not isinstance(session, SignedCookieSession):
        return False
    # The backend's own load(): on a bad signature or an expired max_age it
    # starts a new session, which marks the store modified.
    probe = SignedCookieSession(session_key=cookie)
    probe.load()
    return probe.modified


def forget_session(request: Any) -> None:
    """Empty the session: SessionMiddleware then deletes its cookie (configured path, domain, SameSite)."""
    session = getattr(django_request(request), "session", None)
    if isinstance(session, SessionBase):
        session.flush()


def refusal(exc: drf.APIException, request: Any) -> Problem | None:
    """``session_expired`` for an anonymous refusal that carried a dead session cookie."""
    if not (isinstance(exc, drf.NotAuthenticated) and uses_sessions(request) and stale_session(request)):
        return None
    forget_session(request)  # so SessionMiddleware deletes the cookie
    # Log in again through the session: its challenge, not another authenticator's.
    return Problem.for_code("session_expired", headers={"WWW-Authenticate": conf.settings.WWW_AUTHENTICATE})
