"""The example's session login: no user enumeration."""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.authkit import PASSWORD
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
