"""Request ids over real HTTP: the example API and a logging setup under gunicorn."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from example_project.tests.live import example_api, gunicorn

pytestmark = pytest.mark.e2e

ALICE = {"Authorization": "Bearer alice-full"}
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with example_api(tmp_path_factory.mktemp("request-ids"), workers=2) as url:
        yield url


def test_every_status_carries_the_id(base_url):
    """200, 201, 204, 304 and errors: the header on each, the body's id on errors."""
    with requests.Session() as http:
        http.headers.update(ALICE)
        created = http.post(f"{base_url}/api/notes/", json={"title": "Trace me"}, timeout=30)
        note = f"{base_url}/api/notes/{created.json()['id']}/"
        read = http.get(note, timeout=30)
        not_modified = http.get(note, headers={"If-None-Match": read.headers["ETag"]}, timeout=30)
        deleted = http.delete(note, timeout=30)
        gone = http.get(note, timeout=30)
        anonymous = requests.get(f"{base_url}/api/notes/", timeout=30)
    seen = [created, read, not_modified, deleted, gone, anonymous]
    assert [r.status_code for r in seen] == [201, 200, 304, 204, 404, 401]
    ids = [r.headers["X-Request-ID"] for r in seen]
    assert all(HEX32.fullmatch(rid) for rid in ids) and len(set(ids)) == len(ids)
    for response in (gone, anonymous):
        assert response.json()["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize("path", ["/api/notes/", "/api/notes/999999/", "/api/nowhere/"])
def test_incoming_ids(base_url, path):
    def get(**headers):
        return requests.get(f"{base_url}{path}", headers={**ALICE, **headers}, timeout=30)

    echoed = get(**{"X-Request-ID": "client-42.a_b"})
    assert echoed.headers["X-Request-ID"] == "client-42.a_b"
    traced = get(traceparent=TRACEPARENT)
    assert traced.headers["X-Request-ID"] == TRACE
    both = get(**{"X-Request-ID": "client-43", "traceparent": TRACEPARENT})
    assert both.headers["X-Request-ID"] == "client-43"
    for bad in (
        f"00-{'0' * 32}-00f067aa0ba902b7-01",
        f"00-{TRACE}-{'0' * 16}-01",
        f"ff-{TRACE}-00f067aa0ba902b7-01",
        f"00-{TRACE.upper()}-00f067aa0ba902b7-01",
        f"00-{TRACE}-00f067aa0ba902b7",
        "<script>alert(1)</script>",
    ):
        ignored = get(traceparent=bad, **{"X-Request-ID": "bad id\t<script>"})
        rid = ignored.headers["X-Request-ID"]
        assert HEX32.fullmatch(rid) and rid not in (TRACE, "0" * 32), bad
    for response in (echoed, traced, both, ignored):
        if response.status_code >= 400:
            assert response.json()["request_id"] == response.headers["X-Request-ID"]


# -- LOGGING with RequestIdFilter, under a threaded gunicorn ---------------------


@pytest.fixture(scope="module", params=["with sentry-sdk", "without sentry-sdk"])
def logged(request, tmp_path_factory):
    """A threaded gunicorn with the filter in LOGGING, with sentry-sdk importable or not.

    Most sites have no sentry-sdk: the middleware then takes its inlined path,
    which names the id for the filter only because LOGGING created one.
    """
    folder = tmp_path_factory.mktemp("request-id-logs")
    log = folder / "app.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.trace_settings",
        "TRACE_LOG": str(log),
    }
    if request.param == "without sentry-sdk":
        hidden = folder / "hide" / "sentry_sdk"
        hidden.mkdir(parents=True)
        (hidden / "__init__.py").write_text('raise ImportError("hidden from this server")\n')
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hidden.parent), env.get("PYTHONPATH")]))
    seen = subprocess.run(
        [sys.executable, "-c", "from django_api_errors import _sentry; print(_sentry.installed)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert seen.stdout.strip() == str(request.param == "with sentry-sdk")
    with gunicorn(folder, env, "--workers", "1", "--threads", "4") as url:
        yield url, log


def lines_of(log: Path, needle: str, timeout: float = 10.0) -> list[str]:
    """The log lines containing ``needle``, waiting briefly for the worker to write them."""
    deadline = time.monotonic() + timeout
    while True:
        found = [line for line in log.read_text().splitlines() if needle in line]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_log_lines_name_the_request(logged):
    url, log = logged
    for path, rid in [
        ("/trace/sync/?n=e2e-sync", "id-sync"),
        ("/trace/async/?n=e2e-async", "id-async"),
        ("/nowhere/", "id-404"),
        ("/drf/raise/http404/", "id-drf-404"),
        ("/drf/raise/unexpected/", "id-500"),
    ]:
        response = requests.get(f"{url}{path}", headers={"X-Request-ID": rid}, timeout=30)
        assert response.headers["X-Request-ID"] == rid
    assert lines_of(log, "sync view e2e-sync") == ["id-sync|tests.trace|INFO|sync view e2e-sync"]
    assert lines_of(log, "async view e2e-async") == ["id-async|tests.trace|INFO|async view e2e-async"]
    assert lines_of(log, "Not Found: /nowhere/") == ["id-404|django.request|WARNING|Not Found: /nowhere/"]
    assert lines_of(log, "Not Found: /drf/raise/http404/") == [
        "id-drf-404|django.request|WARNING|Not Found: /drf/raise/http404/"
    ]
    assert lines_of(log, "Internal Server Error: /drf/raise/unexpected/") == [
        "id-500|django.request|ERROR|Internal Server Error: /drf/raise/unexpected/ (request id id-500)"
    ]
    # No incoming id: the new one the view's line names is the failure's, in body and header.
    for kind in ("sync", "async"):
        failed = requests.get(f"{url}/trace/{kind}/?n=e2e-{kind}-fail&fail=1", timeout=30)
        assert failed.status_code == 500
        rid = failed.json()["request_id"]
        assert HEX32.fullmatch(rid) and failed.headers["X-Request-ID"] == rid
        assert lines_of(log, f"view e2e-{kind}-fail") == [
            f"{rid}|tests.trace|INFO|{kind} view e2e-{kind}-fail"
        ]


def test_concurrent_requests_never_see_each_others_id(logged):
    url, log = logged
    responses = {}

    def get(n):
        responses[n] = requests.get(
            f"{url}/trace/sync-meet/?n=t{n}", headers={"X-Request-ID": f"meet-{n}"}, timeout=30
        )

    threads = [threading.Thread(target=get, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [responses[n].status_code for n in (1, 2)] == [200, 200]
    for n in (1, 2):
        # Both requests met at a barrier between the two lines, so they overlapped.
        assert lines_of(log, f"before t{n}") == [f"meet-{n}|tests.trace|INFO|before t{n}"]
        assert lines_of(log, f"after t{n}") == [f"meet-{n}|tests.trace|INFO|after t{n}"]
