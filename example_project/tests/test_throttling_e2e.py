"""The example API under gunicorn (4 workers) with Redis as the shared counter.

Everything runs on 127.0.0.1: a throwaway redis-server, the example API with
its own SQLite file, and bounded bursts of requests.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.servers import RedisServer, free_port, require_program
from tests.throttle_helpers import parse_list

pytestmark = [pytest.mark.redis, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
TOKEN = {"Authorization": "Bearer alice-rw", "Accept": "application/json"}
# A day-long window: a burst of a few seconds cannot straddle its edge
# except in the seconds around midnight UTC.
LIMIT, RATE = 50, "50/day"
# A minute-long period for a burst straddling the edge of a minute, where
# fixed windows started over.
EDGE_LIMIT = 20


def _get(url: str, **kwargs) -> requests.Response:
    # trust_env=False: no proxy from the environment ever sees these requests.
    with requests.Session() as session:
        session.trust_env = False
        return session.get(url, **kwargs)


def _env(redis_url: str, db: Path, fail_open: bool, rate: str = RATE) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_project.settings",
        "EXAMPLE_REDIS_URL": redis_url,
        "EXAMPLE_DB": str(db),
        "EXAMPLE_SEARCH_RATE": rate,
        "EXAMPLE_THROTTLE_FAIL_OPEN": "1" if fail_open else "0",
    }


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *args, "example_project.wsgi:application"], cwd=ROOT, env=env
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(self.url + "/api/no-such-route/", timeout=10)
                return
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_program("redis-server")
    db = tmp_path_factory.mktemp("example") / "db.sqlite3"
    redis = RedisServer()
    redis.start()
    servers: dict[str, Gunicorn] = {}
    try:
        env = _env(redis.url, db, fail_open=False)
        for command in (["migrate", "--verbosity", "0"], ["seed_demo"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        servers["closed"] = Gunicorn(env, workers=4)
        servers["open"] = Gunicorn(_env(redis.url, db, fail_open=True), workers=2)
        servers["edge"] = Gunicorn(_env(redis.url, db, fail_open=False, rate=f"{EDGE_LIMIT}/min"), workers=4)
        yield redis, servers
    finally:
        for server in servers.values():
            server.stop()
        redis.cleanup()


def _search(url: str) -> requests.Response:
    return _get(url + "/api/search/?q=plans", headers=TOKEN, timeout=30)


def test_exact_limit_across_workers_then_redis_outage(stack):
    redis, servers = stack
    closed = servers["closed"].url
    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(lambda _: _search(closed), range(200)))

    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: 200 - LIMIT}
    for response in responses:
        assert parse_list(response.headers["RateLimit-Policy"]) == {"search": {"q": LIMIT, "w": 86400}}
        if response.status_code == 429:
            body = response.json()
            assert body["error"] == "usage_limit_exceeded"
            assert int(response.headers["Retry-After"]) >= 1
            assert body["retry_after"] == int(response.headers["Retry-After"])
            assert parse_list(response.headers["RateLimit"])["search"]["a"] == 0

    # Redis stops mid-run: each server answers as configured, never 500.
    redis.stop()
    refused = [_search(closed) for _ in range(4)]
    for response in refused:
        assert response.status_code == 429, response.text
        body = json.loads(response.content)
        assert body["error"] == "usage_limit_exceeded"
        assert "Traceback" not in response.text
        assert int(response.headers["Retry-After"]) == body["retry_after"] >= 1
    allowed = [_search(servers["open"].url) for _ in range(4)]
    assert [r.status_code for r in allowed] == [200] * 4


def test_burst_straddling_a_minute_edge_passes_at_most_the_limit(stack):
    redis, servers = stack
    if redis.process is None:  # the test above stops it
        redis.start()
    url = servers["edge"].url
    edge = (math.floor(time.time() / 60) + 1) * 60
    if edge - time.time() < 3:
        edge += 60
    time.sleep(edge - 1.5 - time.time())
    with ThreadPoolExecutor(max_workers=EDGE_LIMIT) as pool:
        started_before = time.time()
        before = list(pool.map(lambda _: _search(url), range(EDGE_LIMIT)))
        before_done = time.time()
        time.sleep(max(0.0, edge + 0.5 - time.time()))
        started_after = time.time()
        after = list(pool.map(lambda _: _search(url), range(EDGE_LIMIT)))
    finished = time.time()
    assert started_before < edge < started_after and finished - started_before < 60

    # Fixed windows let both halves through: 40 of 20 within seconds.
    assert [r.status_code for r in before] == [200] * EDGE_LIMIT
    assert [r.status_code for r in after] == [429] * EDGE_LIMIT
    for response in after:
        wait = int(response.headers["Retry-After"])
        # The oldest of the first half leaves 60 s after it passed.
        assert (
            math.ceil(started_before + 60 - finished) <= wait <= math.ceil(before_done + 60 - started_after)
        )
        assert response.json()["retry_after"] == wait
        assert parse_list(response.headers["RateLimit"]) == {"search": {"a": 0, "w": wait}}
