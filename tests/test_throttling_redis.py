"""The throttles against real Redis (Django's and django-redis' backends) and memcached."""

import pytest
from django.core.cache.backends.memcached import PyMemcacheCache
from django.core.cache.backends.redis import RedisCache
from django_redis.cache import RedisCache as DjangoRedisCache
from rest_framework import throttling as drf

from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import _redis
from django_api_errors.throttling import throttles as throttling
from tests.conftest import assert_error
from tests.servers import RedisServer, memcached_server, redis_server  # noqa: F401
from tests.throttle_helpers import Clock, Outage, parse_list, race

pytestmark = pytest.mark.redis
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def _backend(kind, redis, memcached):
    if kind == "django-redis-cache":
        return RedisCache(redis.url, {"OPTIONS": TIMEOUTS, "KEY_PREFIX": kind})
    if kind == "django-redis":
        options = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
        return DjangoRedisCache(redis.url, {"OPTIONS": options, "KEY_PREFIX": kind})
    # Pooling: the race shares one backend object between threads (Django's
    # ``caches`` would hand each thread its own).
    options = {"connect_timeout": 0.25, "timeout": 0.25, "use_pooling": True}
    return PyMemcacheCache(memcached.url, {"OPTIONS": options, "KEY_PREFIX": kind})


BACKENDS = ["django-redis-cache", "django-redis", "memcached"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    servers = [request.getfixturevalue("redis_server")]
    servers.append(request.getfixturevalue("memcached_server") if request.param == "memcached" else None)
    cache = _backend(request.param, *servers)
    cache.clear()
    yield request.param, cache
    cache.clear()
    cache.close()


def test_concurrent_burst_gets_exactly_the_limit(backend):
    kind, cache = backend

    class Slow(throttling.AnonRateThrottle):
        rate = "10/min"
        timer = Clock(7000.0, delay=0.02)

    Slow.cache = cache
    assert race(Slow, ip="192.0.2.10") == 10
    # Only the requests that passed were counted.
    if kind == "memcached":
        keys, _, _ = counting.bucket_keys("throttle_anon_192.0.2.10", 60_000_000, 7_000_000_000)
        assert cache.get(keys[-1]) == 10 and cache.get_many(keys[:-1]) == {}
    else:
        client = _redis.redis_client(cache)
        assert client.llen(cache.make_key("throttle_anon_192.0.2.10:60:log")) == 10


def test_stock_throttle_overshoots_on_the_same_backend(backend):
    kind, cache = backend

    class StockSlow(drf.AnonRateThrottle):
        rate = "10/min"
        timer = Clock(7000.0, delay=0.02)

    StockSlow.cache = cache
    assert race(StockSlow, ip="192.0.2.11") > 10


def test_redis_backends_take_the_one_round_trip_path(backend):
    kind, cache = backend
    assert (_redis.script(cache) is not None) is (kind != "memcached")


def test_window_state_and_wait(backend):
    kind, cache = backend
    states = [counting.hit(cache, "w", 2, 60, 1000.5 + n) for n in range(3)]
    assert [s.count for s in states] == [1, 2, 2]
    assert [s.allowed for s in states] == [True, True, False]
    if kind == "memcached":  # both in the bucket [996, 1002), counted until 1062
        assert [s.wait for s in states] == [62, 61, 60]
        assert not counting.hit(cache, "w", 2, 60, 1061.9).allowed
        assert counting.hit(cache, "w", 2, 60, 1062.0).count == 1
    else:  # the first leaves at 1060.5 exactly
        assert [s.wait for s in states] == [60, 59, 58]
        assert not counting.hit(cache, "w", 2, 60, 1060.499999).allowed
        assert counting.hit(cache, "w", 2, 60, 1060.5).count == 2


@pytest.mark.urls("tests.throttle_helpers")
@pytest.mark.django_db
@pytest.mark.parametrize("fail_open", [True, False])
def test_redis_stopped_mid_run(client, settings, monkeypatch, fail_open):
    settings.API_ERRORS = {"THROTTLE_FAIL_OPEN": fail_open, "RETRY_AFTER": 11}
    server = RedisServer()
    server.start()
    try:
        monkeypatch.setattr(Outage, "cache", RedisCache(server.url, {"OPTIONS": TIMEOUTS}))
        first = client.get("/outage/")
        assert first.status_code == 200
        assert parse_list(first["RateLimit"])["anon"]["a"] == 99

        server.stop()
        during = [client.get("/outage/") for _ in range(3)]
        if fail_open:
            assert [r.status_code for r in during] == [200, 200, 200]
        else:
            for response in during:
                body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
                assert response["Retry-After"] == "11" and body["retry_after"] == 11

        server.start()  # same port; the counts were lost with the server
        after = client.get("/outage/")
        assert after.status_code == 200
        assert parse_list(after["RateLimit"])["anon"]["a"] == 99
    finally:
        server.cleanup()


def test_default_cache_proxy_takes_the_script_path(request, rf, settings):
    # DRF's throttles hold django.core.cache.cache, a proxy hiding the backend.
    url = request.getfixturevalue("redis_server").url
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "proxy"}}
    from django.core.cache import caches

    class PerMinute(throttling.AnonRateThrottle):
        rate = "5/min"

    hit = rf.get("/")
    hit.user = None
    assert PerMinute().allow_request(hit, None)
    assert _redis._scripts[caches["default"]] is not False
    caches["default"].clear()


@pytest.mark.parametrize("kind", ["django-redis-cache", "django-redis"])
def test_the_log_expires_a_period_after_its_newest_entry(request, kind):
    cache = _backend(kind, request.getfixturevalue("redis_server"), None)
    client = _redis.redis_client(cache)
    key = cache.make_key("expiring:60:log")
    try:
        assert counting.hit(cache, "expiring", 1, 60, 1000.5).allowed
        assert 60_000 < client.pttl(key) <= 65_000  # the period and a 5 s margin
        client.pexpire(key, 30_000)
        assert not counting.hit(cache, "expiring", 1, 60, 1001.5).allowed
        assert client.pttl(key) <= 30_000  # a refused request does not prolong it
    finally:
        cache.clear()
        cache.close()
