"""Session authentication: expired and ended sessions answer session_expired.

Every test logs in for real through a login view (tests.auth_views.LogIn), with
each of Django's session backends, and expires the session the way it
expires in production: the clock passes its age, or the session is deleted.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.file import SessionStore as FileSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from tests.authkit import PASSWORD, assert_cookie_cleared, log_in
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

BACKENDS = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "file": "django.contrib.sessions.backends.file",
    "signed_cookies": "django.contrib.sessions.backends.signed_cookies",
}
# Backends that keep sessions on the server, so a session can end there.
SERVER_SIDE = ["cache", "cached_db", "db", "file"]


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, settings, tmp_path, monkeypatch):
    settings.SESSION_ENGINE = BACKENDS[request.param]
    settings.SESSION_FILE_PATH = str(tmp_path)
    # The file backend caches its directory on the class the first time.
    monkeypatch.delattr(FileSessionStore, "_storage_path", raising=False)
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def browser(backend, alice):
    """A client logged in with the current backend (middleware loads it per client)."""
    client = Client(raise_request_exception=False)
    log_in(client)
    return client


def after_session_age():
    return freeze_time(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))


def assert_session_expired(response):
    body = assert_error(response, 401, "session_expired", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert_cookie_cleared(response)
    return body


def test_live_session_is_accepted(browser):
    response = browser.get("/authn/session/")
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


def test_session_expired_by_time(browser):
    with after_session_age():
        assert_session_expired(browser.get("/authn/session/"))
        # The cookie is gone now: the same client simply has no credentials.
        again = browser.get("/authn/session/")
    assert_error(again, 401, "unauthorized_client", headers=("WWW-Authenticate",))


def test_session_just_before_its_age_is_alive(browser):
    with freeze_time(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert browser.get("/authn/session/").status_code == 200


# A signed cookie lives on the client: logging out cannot end a copy of it.
@pytest.mark.parametrize("backend", SERVER_SIDE, indirect=True)
def test_session_ended_by_logout_elsewhere(backend, browser):
    stolen = Client(raise_request_exception=False)
    stolen.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.post("/authn/logout/").status_code == 204
    assert_session_expired(stolen.get("/authn/session/"))


@pytest.mark.parametrize("backend", SERVER_SIDE, indirect=True)
def test_session_deleted_on_the_server(backend, browser, settings):
    # What clearsessions, a cache flush or a cleaned-up session directory do.
    if backend in ("db", "cached_db"):
        assert Session.objects.all().delete()[0] == 1
    if backend == "file":
        cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
        (Path(settings.SESSION_FILE_PATH) / f"{settings.SESSION_COOKIE_NAME}{cookie}").unlink()
    cache.clear()
    assert_session_expired(browser.get("/authn/session/"))


def test_password_change_ends_the_session(browser, alice):
    alice.set_password("a-new-password")
    alice.save()
    assert_session_expired(browser.get("/authn/session/"))


def test_tampered_cookie(browser):
    name = settings.SESSION_COOKIE_NAME
    browser.cookies[name] = browser.cookies[name].value[:-4] + "abcd"
    assert_session_expired(browser.get("/authn/session/"))


def test_no_cookie_is_unauthorized_client(backend, alice):
    response = Client(raise_request_exception=False).get("/authn/session/")
    body = assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert "error=" not in response["WWW-Authenticate"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert body["error_description"] == "Authentication credentials were not provided."


def test_live_anonymous_session_is_not_expired(backend):
    client = Client(raise_request_exception=False)
    session = client.session
    session["theme"] = "dark"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    response = client.get("/authn/session/")
    assert_error(response, 401, "unauthorized_client")
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_view_without_login_ignores_an_expired_session(browser):
    with after_session_age():
        response = browser.get("/authn/open/")
    assert response.status_code == 200
    assert response.json() == {"user": None}


def test_token_only_view_ignores_the_session_cookie(browser):
    with after_session_age():
        response = browser.get("/authn/drf-token/")
    assert_error(response, 401, "unauthorized_client")
    assert response["WWW-Authenticate"] == "Token"


def test_first_authenticator_with_a_challenge_is_named(backend):
    # DRF would downgrade this to 403: its first authenticator (session) has no challenge.
    response = Client(raise_request_exception=False).get("/authn/session-or-token/")
    assert_error(response, 401, "unauthorized_client")
    assert response["WWW-Authenticate"] == "Token"


def test_expired_session_on_a_session_or_token_view(browser):
    with after_session_age():
        assert_session_expired(browser.get("/authn/session-or-token/"))


def test_expired_session_wins_over_csrf(browser):
    # Authentication comes before the CSRF check: the client must log in again first.
    csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    csrf_client.cookies = browser.cookies
    with after_session_age():
        assert_session_expired(csrf_client.post("/authn/session/"))


def test_custom_challenge_for_session_apis(browser, settings):
    settings.API_ERRORS = {"WWW_AUTHENTICATE": 'Cookie realm="notes", form-action="/login"'}
    with after_session_age():
        response = browser.get("/authn/session/")
    assert_error(response, 401, "session_expired")
    assert response["WWW-Authenticate"] == 'Cookie realm="notes", form-action="/login"'


def test_forget_session_without_a_session_is_harmless(rf):
    from django_api_errors.auth._sessions import forget_session, stale_session

    request = rf.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert stale_session(request) is False  # no SessionMiddleware, nothing to tell
    forget_session(request)
    assert not hasattr(request, "session")


def test_an_unloaded_session_is_not_loaded_on_the_event_loop(rf):
    import asyncio

    from django.contrib.sessions.backends.db import SessionStore

    from django_api_errors.auth._sessions import stale_session

    request = rf.get("/", HTTP_COOKIE="sessionid=nosuchsessionkey0123456789abcdef")
    request.session = SessionStore(session_key="nosuchsessionkey0123456789abcdef")

    async def on_the_loop():
        return stale_session(request)

    assert asyncio.run(on_the_loop()) is False  # no SynchronousOnlyOperation
    assert not request.session.accessed
