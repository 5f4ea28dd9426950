"""Telling an expired session from no session at all.

Django treats a session cookie that names an expired, deleted or forged
session like no cookie: the request is simply anonymous.  A client then
cannot tell "log in again" from "you never logged in".  The handler asks
:func:`stale_session` only when DRF refuses an anonymous request, so the
requests that succeed pay nothing for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from rest_framework.authentication import SessionAuthentication

SIGNED_COOKIES_SALT = "django.contrib.sessions.backends.signed_cookies"


def uses_sessions(request: Any) -> bool:
    """True when one of the request's DRF authenticators reads the session."""
    authenticators = getattr(request, "authenticators", None) or ()
    return any(isinstance(authenticator, SessionAuthentication) for authenticator in authenticators)


def _signed_cookie_valid(session: SessionBase, cookie: str) -> bool:
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.core import signing

    if not isinstance(session, SessionStore):
        return True
    try:
        signing.loads(
            cookie,
            serializer=session.serializer,
            max_age=session.get_session_cookie_age(),
            salt=SIGNED_COOKIES_SALT,
        )
    except Exception:  # Django's own load() treats every failure as "no session".
        return False
    return True


def stale_session(request: Any) -> bool:
    """True when the request sent a session cookie that loaded no live session.

    That is a session that expired, was deleted (logout, ``clearsessions``,
    a flushed cache), was flushed because the password changed, or a signed
    cookie whose signature or ``max_age`` check fails.
    """
    django_request = getattr(request, "_request", request)
    cookie = getattr(django_request, "COOKIES", {}).get(settings.SESSION_COOKIE_NAME)
    session = getattr(django_request, "session", None)
    if not cookie or not isinstance(session, SessionBase):
        return False
    # Loads the session if nothing did yet (usually AuthenticationMiddleware has).
    session.keys()
    # The database, cache and file backends drop or replace a key that names
    # no live session; the signed-cookie backend keeps it, so check the signature.
    if session.session_key != cookie:
        return True
    return not _signed_cookie_valid(session, cookie)


def forget_session(request: Any) -> None:
    """Empty the request's session so SessionMiddleware deletes its cookie.

    ``SessionMiddleware`` deletes the cookie of an empty session on the way
    out, with the configured path, domain and SameSite attributes.
    """
    django_request = getattr(request, "_request", request)
    session = getattr(django_request, "session", None)
    if isinstance(session, SessionBase):
        session.flush()
