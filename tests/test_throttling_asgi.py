"""The exact-limit throttle test under an ASGI server: uvicorn, 4 workers sharing Redis.

example_project/tests/test_throttling_e2e.py runs it under gunicorn against
the sync search; here the same 200 concurrent searches against a limit of 50
go to the example's async (adrf) comment search under uvicorn, whose
throttle counts on each worker's event loop with redis.asyncio.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from example_project.tests.live import example_api
from tests.servers import redis_server  # noqa: F401 - the session fixture
from tests.throttle_helpers import parse_list

pytestmark = [pytest.mark.redis, pytest.mark.e2e]

LIMIT = 50
TOKEN = {"Authorization": "Bearer alice-rw", "Accept": "application/json"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, redis_server):  # noqa: F811
    env = {
        "EXAMPLE_REDIS_URL": redis_server.url,
        # A day-long window: a burst of a few seconds cannot straddle its edge
        # except in the seconds around midnight UTC.
        "EXAMPLE_SEARCH_RATE": f"{LIMIT}/day",
        "EXAMPLE_THROTTLE_FAIL_OPEN": "0",
    }
    with example_api(
        tmp_path_factory.mktemp("asgi-throttle"), workers=4, extra_env=env, server="uvicorn"
    ) as url:
        yield url


def _search(url):
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment sees these requests
        return session.get(url + "/api/comment-search/?q=nice", headers=TOKEN, timeout=30)


def test_exact_limit_across_uvicorn_workers(base_url):
    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(lambda _: _search(base_url), range(200)))
    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: 200 - LIMIT}
    found = {len(r.json()["results"]) for r in responses if r.status_code == 200}
    assert found == {1}  # the seeded comment: the async view answered
    policies = {response.headers["RateLimit-Policy"] for response in responses}
    assert [parse_list(policy) for policy in policies] == [{"search": {"q": LIMIT, "w": 86400}}]
    refused = [response for response in responses if response.status_code == 429]
    assert {response.json()["error"] for response in refused} == {"usage_limit_exceeded"}
    assert all(int(r.headers["Retry-After"]) == r.json()["retry_after"] >= 1 for r in refused)
    assert {parse_list(r.headers["RateLimit"])["search"]["a"] for r in refused} == {0}
