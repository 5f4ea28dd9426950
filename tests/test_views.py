"""The Django error views: the documented body for API clients, Django's page for a browser."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory, override_settings

from django_api_errors import views
from tests.conftest import assert_error

rf = RequestFactory()


VIEWS = [
    (views.bad_request, (Exception(),), 400, "invalid_request"),
    (views.permission_denied, (PermissionDenied(),), 403, "access_denied"),
    (views.page_not_found, (Http404(),), 404, "not_found"),
    (views.server_error, (), 500, "server_error"),
    (views.csrf_failure, ("CSRF cookie not set.",), 403, "access_denied"),
]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
API_CLIENTS = [None, "*/*", "application/json", "application/problem+json", "text/html, application/json"]


def _get(path, accept):
    return rf.get(path, HTTP_ACCEPT=accept) if accept is not None else rf.get(path)


@pytest.mark.parametrize(("view", "args", "status", "code"), VIEWS)
@pytest.mark.parametrize("accept", API_CLIENTS)
def test_api_clients_get_the_documented_body(view, args, status, code, accept):
    response = view(_get("/site/page", accept), *args)
    assert response.status_code == status
    assert json.loads(response.content)["error"] == code
    assert response["Vary"] == "Accept, Accept-Language"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("view", "args", "status", "code"), VIEWS)
def test_a_browser_gets_djangos_page_with_no_setting(view, args, status, code):
    html = view(_get("/site/page", BROWSER), *args)
    assert html.status_code == status
    assert html["Content-Type"].startswith("text/html")
    assert "Accept" in html["Vary"] and html["Cache-Control"] == "no-store"
    assert_error(view(_get("/site/page", "text/html;q=0, */*"), *args), status, code)


@override_settings(API_ERRORS={"HTML_PATH_PREFIXES": ["/site/"], "JSON_PATH_PREFIXES": ["/site/api/"]})
@pytest.mark.parametrize(("view", "args", "status", "code"), VIEWS)
def test_prefixes_narrow_where_html_can_be_served(view, args, status, code):
    assert view(_get("/site/page", BROWSER), *args)["Content-Type"].startswith("text/html")
    assert_error(view(_get("/other/page", BROWSER), *args), status, code)
    assert_error(view(_get("/site/api/notes", BROWSER), *args), status, code)


@pytest.mark.django_db
def test_html_404_through_a_real_request(client):
    response = client.get("/site/missing/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert_error(client.get("/site/missing/", HTTP_ACCEPT="application/json"), 404, "not_found")


def test_unknown_exception_in_a_4xx_view_keeps_that_views_code():
    assert_error(views.bad_request(rf.get("/"), RuntimeError("x")), 400, "invalid_request")
