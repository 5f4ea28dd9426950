"""Each cache path with a controllable clock: never more than the limit in any span of the period.

Redis (Django's backend and django-redis) keeps an exact sliding log: it lets
through exactly what DRF's history would.  memcached and local memory count
in ten buckets per period: never more than the limit either, and a request is
refused only when the limit passed within the period plus one bucket.
"""

import threading
from itertools import count

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django_redis.cache import RedisCache as DjangoRedisCache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIRequestFactory

from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import throttles as throttling
from tests.conftest import assert_error
from tests.servers import memcached_server, redis_server  # noqa: F401 - fixtures
from tests.throttle_helpers import (
    CLOCK,
    Clock,
    Frozen,
    max_in_span,
    parse_list,
    sliding_log,
    unjustified_refusals,
)

pytestmark = pytest.mark.redis
LIMIT, PERIOD = 10, 60
BUCKET = PERIOD / counting.BUCKETS
EXACT = {"redis", "django-redis"}
keys = count()


def _backend(kind, request):
    if kind == "locmem":
        return LocMemCache(f"sliding-{next(keys)}", {})
    if kind == "memcached":
        url = request.getfixturevalue("memcached_server").url
        # Pooling: the concurrency test shares one backend object between threads.
        return PyMemcacheCache(url, {"OPTIONS": {"use_pooling": True}, "KEY_PREFIX": "sliding"})
    url = request.getfixturevalue("redis_server").url
    cls = RedisCache if kind == "redis" else DjangoRedisCache
    return cls(url, {"KEY_PREFIX": f"sliding-{kind}"})


@pytest.fixture(params=["redis", "django-redis", "memcached", "locmem"])
def backend(request):
    cache = _backend(request.param, request)
    cache.clear()
    yield request.param, cache
    cache.clear()
    cache.close()


class Scenario(throttling.AtomicRateThrottle):
    rate = f"{LIMIT}/min"

    def get_cache_key(self, request, view):
        return f"scenario_{self.get_ident(request)}"


factory = APIRequestFactory()


def send(cache, now, ip="192.0.2.1"):
    """One request at ``now``: whether it passed, and the throttle (for its wait)."""
    throttle = Scenario()
    throttle.cache, throttle.timer = cache, Clock(now)
    request = factory.get("/", REMOTE_ADDR=ip)
    request.user = None
    return throttle.allow_request(request, None), throttle


def run(cache, times, ip="192.0.2.1"):
    return [send(cache, t, ip)[0] for t in times]


def check(kind, times, verdicts):
    """No span of the period holds more than the limit; refusals only when due."""
    assert max_in_span([t for t, ok in zip(times, verdicts, strict=True) if ok], PERIOD) <= LIMIT
    if kind in EXACT:
        assert verdicts == sliding_log(times, LIMIT, PERIOD)
    else:
        assert unjustified_refusals(times, verdicts, LIMIT, PERIOD + BUCKET) == []


def test_burst_straddling_a_window_edge(backend):
    kind, cache = backend
    # 1020 s is a multiple of the minute: fixed windows let both bursts through.
    before = run(cache, [1019.5] * LIMIT)
    after = [send(cache, 1020.5) for _ in range(LIMIT)]
    assert before == [True] * LIMIT and [ok for ok, _ in after] == [False] * LIMIT
    check(kind, [1019.5] * LIMIT + [1020.5] * LIMIT, before + [False] * LIMIT)
    # The burst leaves at 1079.5 on Redis; its bucket [1014, 1020) at 1080 elsewhere.
    wait = after[-1][1].wait()
    assert wait == (59.0 if kind in EXACT else 60.0)
    assert send(cache, 1020.5 + wait - 1)[0] is False
    assert send(cache, 1020.5 + wait)[0] is True


def test_steady_trickle(backend):
    kind, cache = backend
    times = [2000.0 + 1.5 * n for n in range(160)]  # 40 a minute against 10
    verdicts = run(cache, times)
    check(kind, times, verdicts)
    assert sum(verdicts) >= 4 * LIMIT  # four minutes: refusals were only those due


def test_trickle_at_the_rate_passes(backend):
    # Redis: exactly 10 a minute.  Buckets: 10 per minute and a bucket; at
    # exactly 10 a minute some are refused, as each counts up to 66 s.
    kind, cache = backend
    gap = PERIOD / LIMIT if kind in EXACT else (PERIOD + BUCKET) / LIMIT
    assert run(cache, [3000.0 + gap * n for n in range(40)]) == [True] * 40
    if kind not in EXACT:
        assert False in run(cache, [9000.0 + 6.0 * n for n in range(40)])


def test_many_concurrent_clients(backend):
    kind, cache = backend
    clients, per_client, steps = 8, 6, 12
    barrier = threading.Barrier(clients * per_client)
    seen: dict[str, list[tuple[float, bool]]] = {f"192.0.2.{c}": [] for c in range(clients)}
    lock = threading.Lock()

    def worker(ip):
        for step in range(steps):
            now = 4000.0 + 7.5 * step  # every thread at the same instant
            barrier.wait()
            ok, _ = send(cache, now, ip)
            with lock:
                seen[ip].append((now, ok))

    threads = [threading.Thread(target=worker, args=(ip,)) for ip in seen for _ in range(per_client)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ip, results in seen.items():
        results.sort(key=lambda r: (r[0], not r[1]))  # within an instant, passes first
        times, verdicts = [t for t, _ in results], [ok for _, ok in results]
        assert len(times) == steps * per_client, ip
        check(kind, times, verdicts)


@pytest.mark.urls("tests.throttle_helpers")
@pytest.mark.django_db
def test_retry_after_is_exact_and_a_retry_after_it_passes(backend, client, monkeypatch):
    kind, cache = backend
    monkeypatch.setattr(Frozen, "cache", cache)  # 3/min
    CLOCK.now = 1000.25
    first = client.get("/hello/")
    assert parse_list(first["RateLimit"])["anon"]["a"] == 2
    window = parse_list(first["RateLimit"])["anon"]["w"]
    # a says how many more pass now; w when the one after them does.
    assert [client.get("/hello/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/hello/")
    body = assert_error(refused, 429, "usage_limit_exceeded", headers=("Retry-After",))
    wait = int(refused["Retry-After"])
    assert wait == body["retry_after"] == window == parse_list(refused["RateLimit"])["anon"]["w"]
    assert parse_list(refused["RateLimit"])["anon"]["a"] == 0
    # 1060.25 exactly on Redis; the bucket [996, 1002) leaves at 1062 elsewhere.
    assert wait == (60 if kind in EXACT else 62)
    CLOCK.now = 1000.25 + wait - 1
    early = client.get("/hello/")
    assert early.status_code == 429 and early["Retry-After"] == "1"
    CLOCK.now = 1000.25 + wait
    assert client.get("/hello/").status_code == 200


@pytest.mark.parametrize("kind", ["redis", "locmem"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gaps=st.lists(st.sampled_from([0.0, 0.0, 0.25, 1.0, 5.999, 6.0, 6.001, 30.0, 59.999, 60.0]), max_size=60)
)
def test_no_schedule_overshoots(request, kind, gaps):
    # The overshoot, measured: the most that passed in one span, over the limit.
    cache = _backend(kind, request)
    times, now = [], 5000.0
    for gap in gaps:
        now += gap
        times.append(now)
    verdicts = run(cache, times, ip=f"198.51.100.{next(keys) % 250}")
    cache.clear()
    cache.close()
    check(kind, times, verdicts)


def test_bucket_cost_is_at_most_one_bucket(backend):
    # The bound the buckets pay is reached: a burst at the start of a bucket
    # keeps its place for the period plus that bucket.
    kind, cache = backend
    assert run(cache, [6000.0] * LIMIT) == [True] * LIMIT  # 6000 s starts the bucket [6000, 6006)
    last_refused = 6000.0 + PERIOD + (0 if kind in EXACT else BUCKET) - 0.001
    assert send(cache, last_refused)[0] is False
    assert send(cache, last_refused + 0.001)[0] is True
