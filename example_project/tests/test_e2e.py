"""The example API under gunicorn, checked with real HTTP clients."""

import json
import re

import pytest
import requests

from example_project.notes import demo
from example_project.tests.live import example_api
from tests.conftest import LEAK_MARKERS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with example_api(tmp_path_factory.mktemp("e2e"), workers=2) as url:
        yield url


def test_demo_walks_through_every_documented_code(base_url):
    results = demo.run(base_url)
    seen = set()
    for result in results:
        step = result.step
        assert result.status == step.expect_status, (step.title, result.status, result.body)
        if step.expect_error is None:  # the 304 of a conditional GET: no body
            assert result.body is None and "etag" in result.headers, step.title
            continue
        assert result.headers["content-type"] == "application/json"
        assert result.body["error"] == step.expect_error, step.title
        assert result.body["request_id"] == result.headers["x-request-id"]
        assert not LEAK_MARKERS.search(json.dumps(result.body)), result.body
        seen.add(step.expect_error)
    from django_api_errors.codes import BUILTIN

    assert {entry.code for entry in BUILTIN} <= seen


def test_headers_with_a_real_client(base_url):
    response = requests.get(f"{base_url}/api/notes/", timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="notes"'
    assert response.json()["error"] == "unauthorized_client"

    response = requests.get(f"{base_url}/api/notes/", headers={"X-Request-ID": "trace-123.a_b"}, timeout=10)
    assert response.json()["request_id"] == response.headers["X-Request-ID"] == "trace-123.a_b"

    response = requests.get(
        f"{base_url}/api/notes/", headers={"X-Request-ID": "bad id\t<script>"}, timeout=10
    )
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_unknown_host_is_a_400_not_a_500(base_url):
    response = requests.get(f"{base_url}/api/notes/", headers={"Host": "attacker.example"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
