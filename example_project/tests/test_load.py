"""A bounded burst of mixed requests against the example API under gunicorn."""

import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests

from example_project.tests.live import MASTERS, example_api, rss_kib, worker_pids
from tests.conftest import LEAK_MARKERS

pytestmark = pytest.mark.e2e

TOTAL = 5000
WARMUP = 500
WORKERS = 4
THREADS = 16

# (method, path, headers, body): valid and invalid requests, interleaved.
MIX = [
    ("GET", "/api/notes/", {"Authorization": "Bearer alice-rw"}, None),
    ("GET", "/api/notes/", {}, None),
    ("GET", "/api/notes/999999/", {"Authorization": "Bearer alice-rw"}, None),
    (
        "POST",
        "/api/notes/",
        {"Authorization": "Bearer alice-rw", "Content-Type": "application/json"},
        b'{"title": ',
    ),
    ("POST", "/api/notes/", {"Authorization": "Bearer alice-rw", "Content-Type": "application/xml"}, b"<a/>"),
    (
        "POST",
        "/api/notes/",
        {"Authorization": "Bearer alice-rw", "Content-Type": "application/json"},
        b'{"title": ""}',
    ),
    ("GET", "/api/nowhere/", {"X-Request-ID": "x\u00e9y"}, None),
    ("DELETE", "/api/notes/1/", {"Authorization": "Bearer alice-rw"}, None),
    ("GET", "/api/notes/1/", {"Authorization": "Bearer alice-expired"}, None),
    ("GET", "/api/ping/", {}, None),
]


def well_formed(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:200])
    body = response.json()
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/json"
        assert body["request_id"] == response.headers["X-Request-ID"]
        assert isinstance(body["error"], str)
        assert not LEAK_MARKERS.search(json.dumps(body))


def test_mixed_burst_stays_well_formed_without_memory_growth(tmp_path):
    with example_api(tmp_path, workers=WORKERS) as url, ExitStack() as opened:
        # One keep-alive session per thread (a Session is not shared between
        # threads), all closed when the test ends.
        per_thread = threading.local()
        lock = threading.Lock()

        def session() -> requests.Session:
            if not hasattr(per_thread, "http"):
                with lock:
                    per_thread.http = opened.enter_context(requests.Session())
            return per_thread.http

        def send(index: int):
            method, path, headers, body = MIX[index % len(MIX)]
            response = session().request(method, url + path, headers=headers, data=body, timeout=30)
            well_formed(response)
            return response.status_code

        def burst(indices):
            with ThreadPoolExecutor(THREADS) as pool:
                return list(pool.map(send, indices))

        counter = itertools.count()
        burst([next(counter) for _ in range(WARMUP)])
        workers = worker_pids(MASTERS[url])
        assert len(workers) == WORKERS
        before = {pid: rss_kib(pid) for pid in workers}
        started = time.monotonic()
        statuses = burst([next(counter) for _ in range(TOTAL)])
        elapsed = time.monotonic() - started
        after = {pid: rss_kib(pid) for pid in workers}

    growth = {pid: after[pid] - before[pid] for pid in workers}
    print(
        f"\nload: {TOTAL} requests in {elapsed:.1f}s ({TOTAL / elapsed:.0f}/s), "
        f"statuses {sorted(set(statuses))}, worker RSS KiB before {sorted(before.values())} "
        f"after {sorted(after.values())}"
    )
    assert len(statuses) == TOTAL
    assert {200, 400, 401, 403, 404, 415}.issubset(set(statuses))
    # Beyond noise: a leak of even 1 KiB per request would add ~1.2 MiB per worker.
    assert max(growth.values()) < 1024, growth
