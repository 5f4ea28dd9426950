"""The throttles in adrf's async views under ASGI: counted on the event loop, exactly, answered alike.

adrf runs a view's throttles in a worker thread; on Redis the app's
throttles hand the count to the event loop (``redis.asyncio``), elsewhere
they count in that thread.  The bursts go through Django's ASGI handler,
which gives each request a thread of its own, as under uvicorn.
"""

import asyncio
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from adrf.views import APIView as AsyncAPIView
from asgiref.sync import async_to_sync
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.handlers.asgi import ASGIHandler
from django.db import transaction
from django.test import AsyncRequestFactory, Client
from django.urls import path
from django_redis.cache import RedisCache as DjangoRedisCache
from redis.commands.core import AsyncScript
from rest_framework import throttling as drf
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from django_api_errors.throttling import _aredis, _redis
from django_api_errors.throttling import throttles as throttling
from tests.servers import free_port, redis_server  # noqa: F401 - the session fixture
from tests.throttle_helpers import Clock, parse_list

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

LIMIT, BURST = 30, 100
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
# A burst opens a connection per concurrent request: a busy machine may take
# longer than a quarter of a second to accept them all.
PATIENT = {"socket_connect_timeout": 10, "socket_timeout": 10}


class Counted(throttling.AnonRateThrottle):
    rate = f"{LIMIT}/day"
    timer = Clock(5000.0)


class Stock(drf.AnonRateThrottle):
    """DRF's own: reads the history, waits for the slowed timer, writes it back."""

    rate = f"{LIMIT}/day"
    timer = Clock(5000.0, delay=0.02)


# The thread and loop each async handler ran on.
HANDLERS: list[tuple[int, asyncio.AbstractEventLoop]] = []


class AsyncCounted(AsyncAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [Counted]

    async def get(self, request):
        HANDLERS.append((threading.get_ident(), asyncio.get_running_loop()))
        return Response({"ok": True})


class AsyncStock(AsyncCounted):
    throttle_classes = [Stock]


class SyncCounted(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [Counted]

    def get(self, request):
        return Response({"ok": True})


# Django refuses ATOMIC_REQUESTS (on in the test settings) for async views.
_non_atomic = transaction.non_atomic_requests(using="default")
urlpatterns = [
    path("async/", _non_atomic(AsyncCounted.as_view())),
    path("async-stock/", _non_atomic(AsyncStock.as_view())),
    path("sync/", SyncCounted.as_view()),
]


def _backend(kind, redis):
    if kind == "locmem":
        return LocMemCache(f"async-{id(redis)}", {})
    if kind == "django-redis-cache":
        return RedisCache(redis.url, {"OPTIONS": PATIENT, "KEY_PREFIX": kind})
    options = {"SOCKET_CONNECT_TIMEOUT": 10, "SOCKET_TIMEOUT": 10}
    return DjangoRedisCache(redis.url, {"OPTIONS": options, "KEY_PREFIX": kind})


@pytest.fixture(autouse=True)
def _handlers():
    HANDLERS.clear()


REDIS = [pytest.param(kind, marks=pytest.mark.redis) for kind in ("django-redis-cache", "django-redis")]


@pytest.fixture(params=["locmem", *REDIS])
def backend(request, monkeypatch):
    redis = request.getfixturevalue("redis_server") if request.param != "locmem" else None
    cache = _backend(request.param, redis)
    cache.clear()
    for throttle in (Counted, Stock):
        monkeypatch.setattr(throttle, "cache", cache)
    yield request.param, cache
    cache.clear()
    cache.close()


@pytest.fixture
def redis_backend(request, monkeypatch):
    cache = _backend("django-redis-cache", request.getfixturevalue("redis_server"))
    cache.clear()
    monkeypatch.setattr(Counted, "cache", cache)
    yield cache
    cache.clear()


@pytest.fixture
def counts(monkeypatch):
    """Where each count ran: ``sync`` calls of the sync script, ``async`` ones of the redis.asyncio script."""
    seen: dict[str, list] = {"sync": [], "async": []}
    sync_log, async_log = _redis.sliding_log, _aredis.sliding_log

    def sync_spy(*args):
        seen["sync"].append(threading.get_ident())
        return sync_log(*args)

    async def async_spy(run, *args):
        seen["async"].append((threading.get_ident(), asyncio.get_running_loop(), run))
        return await async_log(run, *args)

    monkeypatch.setattr(_redis, "sliding_log", sync_spy)
    monkeypatch.setattr(_aredis, "sliding_log", async_spy)
    return seen


def burst(route, n=BURST):
    """``n`` concurrent GETs through Django's ASGI handler, gathered in one event loop.

    The loop runs in a thread of its own, as a server's does: from under
    ``async_to_sync`` every request's sync part would go to the test's thread.
    """

    async def send_all():
        transport = httpx.ASGITransport(app=ASGIHandler())
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(client.get(route) for _ in range(n)))

    with ThreadPoolExecutor(max_workers=1) as server:
        return server.submit(asyncio.run, send_all()).result()


def test_an_async_view_counts_on_the_loop_with_redis_asyncio(redis_backend, counts):
    responses = burst("/async/", n=3)
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert counts["sync"] == []  # no count with the sync client, in adrf's worker thread
    assert len(counts["async"]) == 3
    loops = {(thread, loop) for thread, loop, _ in counts["async"]}
    assert loops == set(HANDLERS) and len(loops) == 1  # the handlers' own loop and thread
    for _, _, run in counts["async"]:
        assert isinstance(run, AsyncScript) and type(run.registered_client).__module__.startswith(
            "redis.asyncio"
        )


@pytest.mark.parametrize("kind", ["sync view under ASGI", "async view under WSGI"])
def test_sync_views_and_wsgi_keep_the_sync_count(redis_backend, counts, kind):
    if kind == "sync view under ASGI":
        statuses = [response.status_code for response in burst("/sync/", n=2)]
    else:  # an async view under WSGI gets a loop of its own per request
        statuses = [Client().get("/async/").status_code for _ in range(2)]
    assert statuses == [200, 200]
    assert len(counts["sync"]) == 2 and counts["async"] == []


def test_exactly_the_limit_of_a_concurrent_burst(backend):
    kind, cache = backend
    responses = burst("/async/")
    assert Counter(response.status_code for response in responses) == {200: LIMIT, 429: BURST - LIMIT}
    if kind != "locmem":
        client = _redis.redis_client(cache)
        assert client.llen(cache.make_key("throttle_anon_127.0.0.1:86400:log")) == LIMIT
    refused = [response for response in responses if response.status_code == 429]
    assert {parse_list(response.headers["RateLimit"])["anon"]["a"] for response in refused} == {0}


def test_the_burst_overlaps(backend):
    # Without this, "exactly the limit" above could mean the requests never overlapped.
    responses = burst("/async-stock/")
    assert sum(response.status_code == 200 for response in responses) > LIMIT


@pytest.mark.urls("tests.async_views")
@pytest.mark.parametrize("route", ["hello/", "burst/"])
def test_the_async_count_answers_like_the_sync_one(request, monkeypatch, counts, route):
    from tests.asynckit import assert_same_answer, send
    from tests.throttle_helpers import CLOCK, Burst, Frozen, Sustained

    redis = request.getfixturevalue("redis_server")
    CLOCK.now = 36100.0
    answers = {}
    for kind in ("sync", "async"):
        cache = RedisCache(redis.url, {"OPTIONS": TIMEOUTS, "KEY_PREFIX": f"same-{kind}"})
        for throttle in (Frozen, Burst, Sustained):
            monkeypatch.setattr(throttle, "cache", cache)
        answers[kind] = [send(kind, "get", f"/{kind}/{route}") for _ in range(4)]
        cache.clear()
    headers = ("Retry-After", "RateLimit", "RateLimit-Policy", "Content-Type")
    for sync, asynchronous in zip(answers["sync"], answers["async"], strict=True):
        assert_same_answer(sync, asynchronous, headers)
    assert answers["async"][-1].status_code == 429
    assert answers["async"][-1]["Retry-After"] == ("60" if route == "hello/" else "3600")  # the sliding log's
    assert len(counts["async"]) == len(counts["sync"]) > 0  # the async view counted on the loop


@pytest.mark.redis
@pytest.mark.parametrize("fail_open", [True, False])
def test_an_unreachable_redis_fails_as_configured_on_the_loop(settings, monkeypatch, counts, fail_open):
    settings.API_ERRORS = {"THROTTLE_FAIL_OPEN": fail_open, "RETRY_AFTER": 11}
    nowhere = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": TIMEOUTS})
    monkeypatch.setattr(Counted, "cache", nowhere)
    response = burst("/async/", n=1)[0]
    assert len(counts["async"]) == 1
    assert response.status_code == (200 if fail_open else 429)
    if not fail_open:
        assert response.headers["Retry-After"] == "11" and response.json()["retry_after"] == 11


def test_a_throttle_checked_on_the_loop_itself_counts_there(redis_backend, counts):
    # A sync check made on the loop (no worker thread to wait in) counts synchronously.
    async def check():
        return Counted().allow_request(Request(AsyncRequestFactory().get("/")), AsyncCounted())

    assert async_to_sync(check)() is True
    assert len(counts["sync"]) == 1 and counts["async"] == []
