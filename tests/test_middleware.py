"""ErrorMiddleware rewrites error responses that plain views return."""

import json

import pytest
from django.test import override_settings

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_method_not_allowed_from_a_plain_view(client):
    response = client.post("/plain/get-only/")
    assert_error(response, 405, "invalid_request", headers=("Allow",))
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_returned_bad_request_loses_its_text(client):
    assert_error(client.get("/plain/returns-400/"), 400, "invalid_request")


def test_returned_429_gets_retry_after(client):
    response = client.get("/plain/returns-429/")
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert response["Retry-After"] == "60"
    assert body["retry_after"] == 60


def test_returned_401_gets_a_challenge_and_keeps_cookies(client):
    response = client.get("/plain/returns-401/")
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response.cookies["hint"].value == "1"


def test_json_error_responses_are_left_alone(client):
    response = client.get("/plain/returns-json-400/")
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "the view's own JSON"}


def test_successful_responses_are_left_alone(client):
    response = client.get("/plain/get-only/")
    assert json.loads(response.content) == {"ok": True}


@pytest.mark.django_db
@override_settings(API_ERRORS={"HTML_PATH_PREFIXES": ["/plain/"]})
def test_html_paths_keep_their_pages(client):
    response = client.post("/plain/get-only/", HTTP_ACCEPT="text/html")
    assert response.status_code == 405
    assert not response["Content-Type"].startswith("application/json")


def test_returned_429_keeps_its_retry_after(client):
    response = client.get("/plain/returns-429-wait/")
    body = assert_error(response, 429, "usage_limit_exceeded")
    assert response["Retry-After"] == "7" and body["retry_after"] == 7
