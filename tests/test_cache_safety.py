"""Every error response is safe for shared caches, whichever path made it."""

import pytest
from django.test import Client, override_settings

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _cache_safe(response):
    vary = [part.strip() for part in response["Vary"].split(",")]
    assert "Accept" in vary and "Accept-Language" in vary, response["Vary"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/drf/raise/drf_not_found/", 404, "not_found"),  # the DRF handler
        ("get", "/drf/raise/unexpected/", 500, "server_error"),
        ("get", "/no/such/path/", 404, "not_found"),  # handler404
        ("get", "/plain/raise/unexpected/", 500, "server_error"),  # the middleware
        ("post", "/plain/get-only/", 405, "invalid_request"),  # a rewritten response
        ("get", "/middleware/boom/", 500, "server_error"),  # handler500
    ],
)
def test_documented_errors_are_not_stored(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert_error(response, status, code)
    _cache_safe(response)


def test_csrf_failure_is_not_stored():
    response = Client(enforce_csrf_checks=True).post("/plain/csrf/")
    assert_error(response, 403, "access_denied")
    _cache_safe(response)


def test_a_browsers_html_page_is_not_stored_either(client):
    response = client.get("/no/such/path/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    _cache_safe(response)


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/no/such/path/", 404),  # with DEBUG, Django's technical page, not handler404
        ("post", "/plain/get-only/", 405),  # a page a view returned, rewritten for a JSON client
        ("get", "/plain/raise/unexpected/", 500),
    ],
)
def test_every_page_a_browser_gets_instead_of_json_is_not_stored(settings, debug, method, path, status):
    settings.DEBUG = debug
    response = getattr(Client(raise_request_exception=False), method)(path, HTTP_ACCEPT=BROWSER)
    assert response.status_code == status
    assert "json" not in response.get("Content-Type", "")
    _cache_safe(response)


@override_settings(API_ERRORS={"PROBLEM_DETAILS": True})
def test_problem_details_are_not_stored(client):
    response = client.get("/drf/raise/drf_not_found/")
    assert response["Content-Type"] == "application/problem+json"
    _cache_safe(response)


def test_a_success_is_left_alone(client):
    response = client.get("/plain/get-only/")
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")
