"""A person's browser keeps HTML; an API client gets the documented body, on every path."""

import pytest

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
API_CLIENTS = [{}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"}]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/no/such/route/", 404, "not_found"),  # a URL that matches nothing
        ("/plain/raise/unexpected/", 500, "server_error"),  # a plain-view 500
        ("/drf/browsable/raise/drf_not_found/", 404, "not_found"),  # a DRF 404, browsable API
        ("/drf/browsable/raise/unexpected/", 500, "server_error"),
        ("/plain/raise/django_permission/", 403, "access_denied"),
    ],
)
def test_each_path_both_ways(client, path, status, code):
    for headers in API_CLIENTS:
        assert_error(client.get(path, **headers), status, code)
    page = client.get(path, **BROWSER)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")
    assert b"secret-internal-detail" not in page.content


def test_a_drf_view_without_the_browsable_api_answers_json_to_a_browser_too(client):
    assert_error(client.get("/drf/raise/drf_not_found/", **BROWSER), 404, "not_found")


def test_the_browsable_api_shows_the_documented_body(client):
    response = client.get("/drf/browsable/raise/drf_not_found/", **BROWSER)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "&quot;error&quot;" in html or '"error"' in html
    assert response["X-Request-ID"] in html
