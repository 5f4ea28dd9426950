"""The Django error views: JSON by default, HTML where configured and asked for."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory, override_settings

from django_api_errors import views
from tests.conftest import assert_error

rf = RequestFactory()
HTML = {"HTML_PATH_PREFIXES": ["/site/"]}


@pytest.mark.parametrize(
    ("view", "args", "status", "code"),
    [
        (views.bad_request, (Exception(),), 400, "invalid_request"),
        (views.permission_denied, (PermissionDenied(),), 403, "access_denied"),
        (views.page_not_found, (Http404(),), 404, "not_found"),
        (views.server_error, (), 500, "server_error"),
        (views.csrf_failure, ("CSRF cookie not set.",), 403, "access_denied"),
    ],
)
def test_json_by_default(view, args, status, code):
    assert_error(view(rf.get("/site/page", HTTP_ACCEPT="text/html"), *args), status, code)


@override_settings(API_ERRORS=HTML)
@pytest.mark.parametrize(
    ("view", "args", "status"),
    [
        (views.bad_request, (Exception(),), 400),
        (views.permission_denied, (PermissionDenied(),), 403),
        (views.page_not_found, (Http404(),), 404),
        (views.server_error, (), 500),
        (views.csrf_failure, ("CSRF cookie not set.",), 403),
    ],
)
def test_html_for_configured_prefix_when_asked(view, args, status):
    html = view(rf.get("/site/page", HTTP_ACCEPT="text/html,*/*"), *args)
    assert html.status_code == status
    assert html["Content-Type"].startswith("text/html")
    # The API under another prefix, or a client asking for JSON, still gets JSON.
    assert view(rf.get("/api/x", HTTP_ACCEPT="text/html"), *args)["Content-Type"] == "application/json"
    assert (
        view(rf.get("/site/page", HTTP_ACCEPT="application/json"), *args)["Content-Type"]
        == "application/json"
    )


@pytest.mark.django_db
@override_settings(API_ERRORS=HTML)
def test_html_404_through_a_real_request(client):
    response = client.get("/site/missing/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert_error(client.get("/site/missing/", HTTP_ACCEPT="application/json"), 404, "not_found")


def test_unknown_exception_in_a_4xx_view_keeps_that_views_code():
    assert_error(views.bad_request(rf.get("/"), RuntimeError("x")), 400, "invalid_request")
