"""Faults: the database goes away under a running API, and comes back."""

import json
import re

import pytest
import requests

from example_project.tests.live import example_api
from tests.conftest import LEAK_MARKERS

pytestmark = pytest.mark.e2e

TOKEN = {"Authorization": "Bearer alice-rw"}


def test_database_outage_answers_503_and_recovers(postgres_server, tmp_path):
    postgres_server.create_database("faults")
    env = {"EXAMPLE_POSTGRES": f"{postgres_server.host}:{postgres_server.port}:faults"}
    with example_api(tmp_path, workers=2, extra_env=env) as url:
        assert requests.get(f"{url}/api/notes/", headers=TOKEN, timeout=10).status_code == 200

        postgres_server.stop()
        try:
            # The server's address, port, the driver and SQL must not reach clients.
            private = re.compile(
                rf"{re.escape(postgres_server.host)}|{postgres_server.port}|postgres|psycopg|connect|SELECT",
                re.I,
            )
            for method, path, body in [
                ("GET", "/api/notes/", None),
                ("POST", "/api/notes/", {"title": "during the outage"}),
                ("GET", "/api/notes/1/text/", None),  # a plain Django view
            ]:
                response = requests.request(method, url + path, headers=TOKEN, json=body, timeout=30)
                # Unreachable, not broken: 503 with a wait, so clients retry.
                assert response.status_code == 503, (path, response.text)
                assert response.headers["Content-Type"] == "application/json"
                payload = response.json()
                assert payload["error"] == "server_error"
                assert int(response.headers["Retry-After"]) == payload["retry_after"] >= 1
                assert payload["request_id"] == response.headers["X-Request-ID"]
                text = json.dumps(payload) + json.dumps(list(response.headers.values()))
                assert not private.search(text), text
                assert not LEAK_MARKERS.search(text), text
        finally:
            postgres_server.ensure_running()

        # The API recovers once the server is back, and nothing half-written appeared.
        response = requests.get(f"{url}/api/notes/", headers=TOKEN, timeout=10)
        assert response.status_code == 200
        assert "during the outage" not in response.text
        created = requests.post(f"{url}/api/notes/", headers=TOKEN, json={"title": "after"}, timeout=10)
        assert created.status_code == 201
