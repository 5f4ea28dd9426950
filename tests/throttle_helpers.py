"""Shared pieces of the throttling tests: a clock to freeze and views to throttle."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import http_sf
from django.urls import path
from rest_framework import throttling as drf
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from django_api_errors import throttling


class Clock:
    """A frozen ``timer``; optionally slow, to widen a read/write gap."""

    def __init__(self, now: float = 1000.5, delay: float = 0.0) -> None:
        self.now = now
        self.delay = delay

    def __call__(self) -> float:
        if self.delay:
            time.sleep(self.delay)
        return self.now


CLOCK = Clock()


class Frozen(throttling.AnonRateThrottle):
    rate = "3/min"
    timer = CLOCK


class Burst(throttling.AtomicRateThrottle):
    scope = "burst"
    rate = "2/min"
    timer = CLOCK

    def get_cache_key(self, request, view):
        return f"burst_{self.get_ident(request)}"


class Sustained(Burst):
    scope = "sustained"
    rate = "3/hour"

    def get_cache_key(self, request, view):
        return f"sustained_{self.get_ident(request)}"


class StockLowered(drf.AnonRateThrottle):
    rate = "2/min"


class Hello(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [Frozen]

    def get(self, request):
        return Response({"hello": True})


class BurstHello(Hello):
    throttle_classes = [Burst, Sustained]


class StockHello(Hello):
    throttle_classes = [StockLowered]


urlpatterns = [
    path("hello/", Hello.as_view()),
    path("burst/", BurstHello.as_view()),
    path("stock/", StockHello.as_view()),
]


def parse_list(value: str) -> dict[str, dict]:
    """A Structured Fields List of String items, as {item: parameters}."""
    members = http_sf.parse(value.encode(), tltype="list")
    for item, _params in members:
        assert isinstance(item, str) and not isinstance(item, http_sf.Token), item
    return {item: params for item, params in members}


def race(throttle_factory: Callable[[], drf.BaseThrottle], threads: int = 50, ip: str = "10.0.0.1") -> int:
    """How many of ``threads`` simultaneous requests the throttle lets through."""
    factory = APIRequestFactory()
    barrier = threading.Barrier(threads)
    passed: list[bool] = []
    lock = threading.Lock()

    def one() -> None:
        throttle = throttle_factory()
        request = factory.get("/", REMOTE_ADDR=ip)
        request.user = None
        barrier.wait()
        allowed = throttle.allow_request(request, None)
        with lock:
            passed.append(allowed)

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(passed) == threads
    return sum(passed)
