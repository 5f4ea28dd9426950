"""Throttles, authentication, scopes and session_expired in adrf's async views.

Each request goes to a sync view through ``Client`` and to its async twin
(tests/async_views.py, or the example's async comments) through
``AsyncClient``: the bodies (but the request id) and the headers must agree.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.asynckit import assert_same_answer, send
from tests.authkit import PASSWORD, assert_cookie_cleared, log_in, needs
from tests.conftest import assert_error
from tests.throttle_helpers import CLOCK, parse_list

pytestmark = [pytest.mark.urls("tests.async_views"), pytest.mark.django_db]

HEADERS = ("WWW-Authenticate", "Retry-After", "RateLimit", "RateLimit-Policy", "Content-Type")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    CLOCK.now = 1000.5
    yield
    cache.clear()


def _same_answer(sync, asynchronous):
    assert_same_answer(sync, asynchronous, HEADERS)


# Throttles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "statuses", "retry_after"),
    # Local memory counts in tenths of the period: a request made at 1000.5
    # in the 6 s bucket [996, 1002) is counted until 1062 (61.5 s, rounded up);
    # at 36100 in the hour's 360 s bucket [36000, 36360), until 39960.
    [("hello/", [200, 200, 200, 429], 62), ("burst/", [200, 200, 429, 429], 3860)],
)
def test_throttled_async_view_counts_and_answers_like_the_sync_one(route, statuses, retry_after):
    if route == "burst/":
        CLOCK.now = 36100.0
    answers = {}
    for kind in ("sync", "async"):
        cache.clear()
        answers[kind] = [send(kind, "get", f"/{kind}/{route}") for _ in range(4)]
    for sync, asynchronous in zip(answers["sync"], answers["async"], strict=True):
        _same_answer(sync, asynchronous)
    assert [response.status_code for response in answers["async"]] == statuses
    refused = answers["async"][-1]
    body = assert_error(refused, 429, "usage_limit_exceeded", headers=("Retry-After", "RateLimit"))
    assert refused["Retry-After"] == str(retry_after) and body["retry_after"] == retry_after
    assert parse_list(answers["async"][0]["RateLimit-Policy"])  # on the 200s too


# ExpiringTokenAuthentication ---------------------------------------------------


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.mark.parametrize("case", ["live", "expired", "unknown", "missing"])
def test_expiring_token_in_an_async_view(settings, alice, case):
    settings.API_ERRORS = {"TOKEN_LIFETIME": 60}
    token = Token.objects.create(user=alice)
    if case == "expired":
        Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(seconds=61))
    header = {"live": f"Token {token.key}", "expired": f"Token {token.key}", "unknown": "Token nope"}
    headers = {"Authorization": header[case]} if case in header else {}
    asynchronous = send("async", "get", "/async/expiring-token/", **headers)
    _same_answer(send("sync", "get", "/sync/expiring-token/", **headers), asynchronous)
    if case == "live":
        assert asynchronous.json() == {"user": "alice"}
        return
    code = "session_expired" if case == "expired" else "unauthorized_client"
    assert_error(asynchronous, 401, code, headers=("WWW-Authenticate",))
    assert asynchronous["WWW-Authenticate"] == (
        "Token" if case == "missing" else 'Token error="invalid_token"'
    )


# Sessions: session_expired -----------------------------------------------------


def test_session_ended_elsewhere_is_session_expired_in_an_async_view(alice):
    browser = Client(raise_request_exception=False)
    cookie = log_in(browser)
    live = send("async", "get", "/async/session/", cookie=cookie)
    assert (live.status_code, live.json()) == (200, {"user": "alice"})
    assert Session.objects.all().delete()[0] == 1  # logout elsewhere, clearsessions
    asynchronous = send("async", "get", "/async/session/", cookie=cookie)
    _same_answer(send("sync", "get", "/sync/session/", cookie=cookie), asynchronous)
    assert_error(asynchronous, 401, "session_expired", headers=("WWW-Authenticate",))
    assert asynchronous["WWW-Authenticate"] == 'Session realm="api"'
    assert_cookie_cleared(asynchronous)


def test_no_session_is_unauthorized_client_in_an_async_view(alice):
    asynchronous = send("async", "get", "/async/session/")
    _same_answer(send("sync", "get", "/sync/session/"), asynchronous)
    assert_error(asynchronous, 401, "unauthorized_client")
    assert settings.SESSION_COOKIE_NAME not in asynchronous.cookies


# The example's bearer tokens and HasScope: sync notes, async comments ----------


# The simplejwt and django-oauth-toolkit adapters -------------------------------


@pytest.mark.parametrize("case", ["live", "expired", "garbage", "missing"])
def test_simplejwt_in_an_async_view(alice, case):
    needs("rest_framework_simplejwt")
    from freezegun import freeze_time
    from rest_framework_simplejwt.tokens import AccessToken

    minted = timezone.now() - (
        AccessToken.lifetime + timedelta(minutes=1) if case == "expired" else timedelta(0)
    )
    with freeze_time(minted):
        token = str(AccessToken.for_user(alice))
    header = {"live": token, "expired": token, "garbage": "not.a.jwt"}
    headers = {"Authorization": f"Bearer {header[case]}"} if case in header else {}
    asynchronous = send("async", "get", "/async/jwt/", **headers)
    _same_answer(send("sync", "get", "/sync/jwt/", **headers), asynchronous)
    expected = {"live": 200, "expired": 401, "garbage": 401, "missing": 401}[case]
    assert asynchronous.status_code == expected
    if case == "expired":
        assert_error(asynchronous, 401, "session_expired", headers=("WWW-Authenticate",))


@pytest.fixture
def oauth_token(alice):
    needs("oauth2_provider")
    from oauth2_provider.models import get_access_token_model, get_application_model

    application = get_application_model().objects.create(
        name="notes-app",
        user=alice,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://client.example/callback",
    )

    def issue(value, scope, expires_in=timedelta(hours=1)):
        get_access_token_model().objects.create(
            user=alice, application=application, token=value, scope=scope, expires=timezone.now() + expires_in
        )
        return {"Authorization": f"Bearer {value}"}

    return issue


@pytest.mark.parametrize(
    ("route", "scope", "expires_in", "status", "code"),
    [
        ("oauth/write/", "notes:read notes:write", timedelta(hours=1), 200, None),
        ("oauth/write/", "notes:read", timedelta(hours=1), 403, "insufficient_scope"),
        ("oauth/write/", "notes:read notes:write", -timedelta(seconds=1), 401, "session_expired"),
        ("oauth/has-scope/", "notes:read", timedelta(hours=1), 403, "insufficient_scope"),
        ("oauth/stock-scope/", "notes:read", timedelta(hours=1), 403, "access_denied"),
    ],
)
def test_oauth_toolkit_in_an_async_view(oauth_token, route, scope, expires_in, status, code):
    headers = oauth_token("tok", scope, expires_in)
    asynchronous = send("async", "get", f"/async/{route}", **headers)
    _same_answer(send("sync", "get", f"/sync/{route}", **headers), asynchronous)
    assert asynchronous.status_code == status
    if code:
        assert_error(asynchronous, status, code)
    if code == "insufficient_scope":
        assert asynchronous["WWW-Authenticate"].startswith(
            'Bearer error="insufficient_scope", scope="notes:write'
        )
