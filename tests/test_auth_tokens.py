"""Token authentication: DRF's tokens, the app's expiring tokens, the example's bearer tokens."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from example_project.notes.models import ApiToken, Note
from tests.authkit import PASSWORD, log_in
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

INVALID = 'Token error="invalid_token"'


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def token(alice):
    return Token.objects.create(user=alice)


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


def get(api, path, header=None):
    if header is not None:
        api.credentials(HTTP_AUTHORIZATION=header)
    return api.get(path)


# DRF's own TokenAuthentication: no expiry, so nothing but unauthorized_client.


def test_drf_token_accepted(api, token):
    response = get(api, "/authn/drf-token/", f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


@pytest.mark.parametrize("header", [None, "Token nope", "Token", "Token a b"])
def test_drf_token_refused(api, token, header):
    response = get(api, "/authn/drf-token/", header)
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == "Token"


def test_drf_token_of_inactive_user(api, token, alice):
    alice.is_active = False
    alice.save()
    assert_error(get(api, "/authn/drf-token/", f"Token {token.key}"), 401, "unauthorized_client")


# The app's ExpiringTokenAuthentication.


@pytest.mark.parametrize("lifetime", [3600, timedelta(hours=1)])
def test_expiring_token_expires(api, token, settings, lifetime):
    settings.API_ERRORS = {"TOKEN_LIFETIME": lifetime}
    header = f"Token {token.key}"
    with freeze_time(token.created + timedelta(minutes=59)):
        assert get(api, "/authn/expiring-token/", header).status_code == 200
    with freeze_time(token.created + timedelta(hours=1, seconds=1)):
        response = get(api, "/authn/expiring-token/", header)
    body = assert_error(response, 401, "session_expired", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == INVALID
    assert body["error_description"] == "The token has expired."


def test_expiring_token_without_lifetime_never_expires(api, token):
    with freeze_time(timezone.now() + timedelta(days=3650)):
        assert get(api, "/authn/expiring-token/", f"Token {token.key}").status_code == 200


@pytest.mark.parametrize("header", ["Token not-a-key", "Token a b", "Token"])
def test_expiring_token_unknown_or_malformed(api, token, settings, header):
    settings.API_ERRORS = {"TOKEN_LIFETIME": 60}
    response = get(api, "/authn/expiring-token/", header)
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == INVALID


def test_expiring_token_inactive_user_is_not_expired(api, token, alice, settings):
    settings.API_ERRORS = {"TOKEN_LIFETIME": 60}
    alice.is_active = False
    alice.save()
    with freeze_time(token.created + timedelta(hours=1)):
        response = get(api, "/authn/expiring-token/", f"Token {token.key}")
    assert_error(response, 401, "unauthorized_client")


def test_expiring_token_missing_gets_a_bare_challenge(api):
    response = get(api, "/authn/expiring-token/")
    assert_error(response, 401, "unauthorized_client")
    assert response["WWW-Authenticate"] == "Token"


# The example's bearer tokens (a subclass with its own model and expiry) and scopes.


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=None)


@pytest.mark.parametrize(
    ("key", "code"), [("alice-expired", "session_expired"), ("revoked", "unauthorized_client")]
)
def test_example_bearer_tokens(api, seeded, key, code):
    response = get(api, "/api/notes/", f"Bearer {key}")
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"] == 'Bearer realm="notes", error="invalid_token"'


def test_example_missing_scope(api, seeded):
    note = Note.objects.get(title="Welcome")
    response = get(api, "/api/notes/", "Bearer alice-rw")
    assert response.status_code == 200
    response = api.delete(f"/api/notes/{note.pk}/")
    body = assert_error(response, 403, "insufficient_scope", headers=("WWW-Authenticate",))
    assert body["scope"] == "notes:delete"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:delete"'


def test_example_scopes_do_not_limit_sessions(seeded):
    # A session is the user themself, not a token acting for them.
    client = APIClient(raise_request_exception=False)
    log_in(client, password="alice-password")
    created = client.post("/api/notes/", {"title": "by session"}, format="json")
    assert created.status_code == 201, created.content
    assert client.delete(f"/api/notes/{created.json()['id']}/").status_code == 204


def test_example_token_expiring_now(api, seeded):
    ApiToken.objects.filter(key="alice-rw").update(expires=timezone.now() + timedelta(minutes=5))
    assert get(api, "/api/notes/", "Bearer alice-rw").status_code == 200
    with freeze_time(timezone.now() + timedelta(minutes=6)):
        assert_error(get(api, "/api/notes/", "Bearer alice-rw"), 401, "session_expired")
