"""The example's session login (no user enumeration) and CSRF failures with a real session."""

import json

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


def attempt(username, password):
    client = Client(raise_request_exception=False)
    return client.post("/api/auth/login/", {"username": username, "password": password}, content_type=JSON)


def without_request_id(response):
    body = json.loads(response.content)
    del body["request_id"]
    # RateLimit counts down per account name, existing or not; its policy stays compared.
    headers = {k: v for k, v in response.items() if k not in ("X-Request-ID", "Content-Length", "RateLimit")}
    return response.status_code, body, headers


def test_login_starts_a_session(alice):
    response = attempt("alice", PASSWORD)
    assert response.status_code == 200
    assert response.json() == {"username": "alice"}
    assert response.cookies[settings.SESSION_COOKIE_NAME].value


def test_unknown_user_and_wrong_password_answer_alike(alice, django_user_model):
    django_user_model.objects.create_user("carol", password=PASSWORD, is_active=False)
    unknown = attempt("mallory", PASSWORD)
    wrong = attempt("alice", "not-her-password")
    inactive = attempt("carol", PASSWORD)
    body = assert_error(unknown, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert body["error_description"] == "The username or password is not correct."
    assert without_request_id(unknown) == without_request_id(wrong) == without_request_id(inactive)
    for response in (unknown, wrong, inactive):
        assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_login_without_password_is_invalid_request(alice):
    response = Client(raise_request_exception=False).post(
        "/api/auth/login/", {"username": "alice"}, content_type=JSON
    )
    body = assert_error(response, 400, "invalid_request")
    assert [item["field"] for item in body["details"]] == ["password"]


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
    response = client.post("/api/notes/", {"title": "x"}, content_type=JSON, HTTP_X_CSRFTOKEN="x" * 32)
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
    assert_error(client.post("/api/auth/logout/", {}, content_type=JSON), 403, "access_denied")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post("/api/auth/logout/", {}, content_type=JSON, HTTP_X_CSRFTOKEN=token).status_code == 204
