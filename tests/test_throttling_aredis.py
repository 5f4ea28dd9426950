"""Counting awaited on the event loop: ``aallow_request``, ``ahit`` and their ``redis.asyncio`` client.

The client is built from the cache's own settings, once per loop, and
closed with the loop; settings with no ``redis.asyncio`` twin count with
the sync script in a thread, on the same log.
"""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import AsyncRequestFactory
from django_redis.cache import RedisCache as DjangoRedisCache
from rest_framework.request import Request
from rest_framework.views import APIView

from django_api_errors.throttling import _aredis, _redis
from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import throttles as throttling
from tests.servers import redis_server  # noqa: F401 - the session fixture
from tests.throttle_helpers import Clock, parse_list

LIMIT, BURST = 30, 100
PATIENT = {"socket_connect_timeout": 10, "socket_timeout": 10}


class Counted(throttling.AnonRateThrottle):
    rate = f"{LIMIT}/day"
    timer = Clock(5000.0)


def _gathered(calls):
    async def run_all():
        return await asyncio.gather(*(call() for call in calls))

    return asyncio.run(run_all())


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def cache(request, monkeypatch):
    if request.param == "locmem":
        backend = LocMemCache("aredis-tests", {})
    else:
        url = request.getfixturevalue("redis_server").url
        backend = RedisCache(url, {"OPTIONS": PATIENT, "KEY_PREFIX": "aredis"})
    backend.clear()
    monkeypatch.setattr(Counted, "cache", backend)
    yield backend
    backend.clear()


def test_aallow_request_counts_exactly_in_one_loop(cache):
    views = [APIView() for _ in range(BURST)]

    def checks():
        for view in views:
            view.headers = {}
            yield lambda view=view: Counted().aallow_request(Request(AsyncRequestFactory().get("/")), view)

    verdicts = _gathered(list(checks()))
    assert sum(verdicts) == LIMIT
    left = [parse_list(view.headers["RateLimit"])["anon"]["a"] for view in views]
    assert sorted(r for r, passed in zip(left, verdicts, strict=True) if passed) == list(range(LIMIT))


def test_ahit_counts_as_hit(cache):
    # The same state, the same keys: the sync and the async paths share one count.
    times = [1000.5, 1001.5, 1002.5, 1003.5]
    windows = [counting.hit(cache, "shared", 3, 60, now) for now in times[:2]]
    # One after the other: gathered, the later time could reach Redis first.
    for now in times[2:]:
        windows += _gathered([lambda now=now: counting.ahit(cache, "shared", 3, 60, now)])
    assert [(w.allowed, w.count, w.remaining) for w in windows] == [
        (True, 1, 2),
        (True, 2, 1),
        (True, 3, 0),
        (False, 3, 0),
    ]
    assert windows[-1].wait == (57 if isinstance(cache, RedisCache) else 59)


@pytest.mark.redis
def test_one_client_per_loop_closed_with_the_loop(redis_server):  # noqa: F811
    backend = RedisCache(redis_server.url, {"KEY_PREFIX": "per-loop"})

    async def three():
        for n in range(3):
            await counting.ahit(backend, "per-loop", 10, 60, 1000.5 + n)
        loop = asyncio.get_running_loop()
        return loop, _aredis._loops[loop]

    try:
        loop, clients = asyncio.run(three())
        other, others = asyncio.run(three())
    finally:
        backend.clear()
    assert len(clients.scripts) == len(clients.pools) == 1  # made once, used three times
    assert others is not clients and others.pools[0] is not clients.pools[0]
    assert loop not in _aredis._loops and other not in _aredis._loops
    connections = clients.pools[0]._available_connections
    assert len(connections) == 1 and not connections[0].is_connected  # closed with its loop


# The redis.asyncio pool: the cache's own settings ------------------------------

URLS = ["redis://bob:secret@127.0.0.1:1/3", "rediss://127.0.0.1:1/0", "unix:///tmp/nowhere.sock?db=2"]
KWARGS = ("host", "port", "path", "db", "username", "password", "socket_timeout", "socket_connect_timeout")


def _backends(url):
    django_options = {"socket_timeout": 0.5, "socket_connect_timeout": 0.25, "max_connections": 7}
    package_options = {"SOCKET_TIMEOUT": 0.5, "CONNECTION_POOL_KWARGS": {"max_connections": 7}}
    return [RedisCache(url, {"OPTIONS": django_options}), DjangoRedisCache(url, {"OPTIONS": package_options})]


@pytest.mark.parametrize("url", URLS)
def test_the_async_pool_has_the_sync_pools_settings(url):
    for backend in _backends(url):
        sync = _redis.redis_client(backend).connection_pool
        name, (pool_class, async_url, options) = _aredis.recipe(backend)
        pool = pool_class.from_url(async_url, **options)
        assert pool.connection_class.__name__ == sync.connection_class.__name__
        assert pool.connection_class.__module__ == "redis.asyncio.connection"
        assert pool.max_connections == sync.max_connections == 7
        for key in KWARGS:
            assert pool.connection_kwargs.get(key) == sync.connection_kwargs.get(key), (backend, key)


def test_a_blocking_pool_stays_blocking():
    backend = RedisCache(URLS[0], {"OPTIONS": {"pool_class": "redis.BlockingConnectionPool", "timeout": 3}})
    _, (pool_class, _, options) = _aredis.recipe(backend)
    assert pool_class is redis.asyncio.BlockingConnectionPool and options["timeout"] == 3


def test_the_settings_are_read_once_not_per_backend(monkeypatch):
    # Under ASGI Django makes a cache backend per request: building the recipe costs more than a count.
    made = []
    real = _aredis.async_recipe
    monkeypatch.setattr(_aredis, "async_recipe", lambda sync: made.append(sync) or real(sync))
    monkeypatch.setattr(_aredis, "_by_settings", {})
    backends = [RedisCache("redis://127.0.0.1:1/4", {"OPTIONS": {"socket_timeout": 2}}) for _ in range(3)]
    assert len({_aredis.recipe(backend)[0] for backend in backends}) == 1
    assert len(made) == 1


class OwnPool(redis.ConnectionPool):
    pass


class OwnConnection(redis.Connection):
    pass


NO_TWIN = [
    {"pool_class": f"{__name__}.OwnPool"},
    {"connection_class": OwnConnection},
    {"retry": redis.retry.Retry(redis.backoff.NoBackoff(), 1)},
    {"no_such_option": 1},
]


@pytest.mark.parametrize("options", NO_TWIN, ids=["pool", "connection", "retry", "unknown"])
def test_settings_without_an_async_twin_give_no_async_client(options):
    backend = RedisCache(URLS[0], {"OPTIONS": options})
    assert _aredis.recipe(backend) is None and not counting.counts_on_loop(backend)


def test_a_django_redis_factory_of_ones_own_gives_no_async_client():
    from django_redis.pool import ConnectionFactory

    class OwnFactory(ConnectionFactory):
        pass

    # django-redis keeps one pool per URL for the process, made with the options of the first.
    backend = DjangoRedisCache("redis://127.0.0.1:1/9", {"OPTIONS": {}})
    backend.client.connection_factory = OwnFactory({})
    assert _redis.script(backend) is not None and _aredis.recipe(backend) is None


@pytest.mark.redis
def test_without_an_async_twin_ahit_counts_on_the_same_log(redis_server):  # noqa: F811
    backend = RedisCache(redis_server.url, {"OPTIONS": {"connection_class": OwnConnection}})
    try:
        assert not counting.counts_on_loop(backend)
        windows = _gathered([lambda: counting.ahit(backend, "twinless", 2, 60, 1000.5)] * 3)
        assert [w.allowed for w in windows].count(True) == 2
        assert _redis.redis_client(backend).llen(backend.make_key("twinless:60:log")) == 2
    finally:
        backend.clear()


def test_the_throttles_need_no_redis_py_without_redis():
    # redis-py is optional: imported only when a cache is Redis.
    code = """
import asyncio, sys
sys.modules["redis"] = None
import django
django.setup()
from django.core.cache.backends.locmem import LocMemCache
from django_api_errors.throttling import _counting, throttles
window = asyncio.run(_counting.ahit(LocMemCache("no-redis", {}), "k", 1, 60, 1000.5))
assert window.allowed and not _counting.counts_on_loop(LocMemCache("no-redis", {}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path(__file__).parent.parent)
