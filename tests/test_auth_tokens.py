"""Token authentication: DRF's tokens and the app's expiring tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.authkit import PASSWORD
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
