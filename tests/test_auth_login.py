"""CSRF failures with a real session (tests.auth_views.LogIn)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.authkit import PASSWORD, log_in
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


def test_csrf_failure_with_a_real_session(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    log_in(client)
    body = assert_error(client.post("/authn/session/", {}, content_type=JSON), 403, "access_denied")
    assert "CSRF" in body["error_description"]
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post("/authn/session/", {}, content_type=JSON, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_csrf_failure_with_a_wrong_token(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    log_in(client)
    response = client.post("/authn/session/", {}, content_type=JSON, HTTP_X_CSRFTOKEN="x" * 32)
    body = assert_error(response, 403, "access_denied")
    assert "CSRF" in body["error_description"]


def test_csrf_failure_in_a_plain_view_with_a_real_session(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    log_in(client)
    body = assert_error(client.post("/plain/csrf/"), 403, "access_denied")
    assert "CSRF" in body["error_description"]


def test_logout_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    log_in(client)
    assert_error(client.post("/authn/logout/", {}, content_type=JSON), 403, "access_denied")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post("/authn/logout/", {}, content_type=JSON, HTTP_X_CSRFTOKEN=token).status_code == 204
