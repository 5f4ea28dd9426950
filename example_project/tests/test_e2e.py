"""The example API under gunicorn (WSGI) and uvicorn (ASGI), checked with real HTTP clients.

Every test runs against both servers, 2 workers each, with the same assertions.
"""

import json
import os
import re
import subprocess
import sys

import pytest
import requests

from example_project.notes import demo
from example_project.tests.live import ROOT, SERVERS, example_api, free_port
from tests.conftest import LEAK_MARKERS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=SERVERS)
def base_url(request, tmp_path_factory):
    with example_api(tmp_path_factory.mktemp(f"e2e-{request.param}"), workers=2, server=request.param) as url:
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
    # The async views (adrf comments) answer their codes too.
    async_steps = [result for result in results if "async view" in result.step.title]
    assert {r.step.expect_status for r in async_steps} >= {304, 400, 401, 403, 404, 412, 415, 429}


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


def test_demo_without_a_server_says_so_in_one_line():
    """`make demo` before `make run`: one line that says what to do, and a failing exit."""
    port = free_port()  # bound and closed again: nothing listens there
    result = subprocess.run(
        [sys.executable, "manage.py", "demo", "--url", f"http://127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "example_project.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) == 1, lines
    assert f"127.0.0.1:{port}" in lines[0] and "make run" in lines[0] and "ADDR=" in lines[0]
    assert "Traceback" not in lines[0]
