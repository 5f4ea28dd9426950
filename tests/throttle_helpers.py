"""Shared pieces of the throttling tests: a clock to freeze and views to throttle."""

from __future__ import annotations

import math
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

from django_api_errors.throttling import throttles as throttling


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


class NoWait(drf.AnonRateThrottle):
    """DRF's throttle with no answer to ``wait()``."""

    rate = "3/min"

    def wait(self):
        return None


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


class NoWaitHello(Hello):
    throttle_classes = [NoWait]


urlpatterns = [
    path("hello/", Hello.as_view()),
    path("burst/", BurstHello.as_view()),
    path("stock/", StockHello.as_view()),
    path("no-wait/", NoWaitHello.as_view()),
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


# django-ratelimit through the app's drop-in decorator, in the three kinds of view.
from django.http import JsonResponse  # noqa: E402
from django.utils.decorators import method_decorator  # noqa: E402
from django.views import View  # noqa: E402
from rest_framework.decorators import api_view, authentication_classes, permission_classes  # noqa: E402

from django_api_errors.throttling.ratelimit import ratelimit  # noqa: E402


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@ratelimit(key="ip", rate="2/m", group="helpers.drf")
def drf_limited(request):
    return Response({"ok": True})


@method_decorator(ratelimit(key="ip", rate="2/m", group="helpers.cbv"), name="get")
class LimitedView(View):
    def get(self, request):
        return JsonResponse({"ok": True})


@ratelimit(key="ip", rate="2/m", group="helpers.fbv")
def fbv_limited(request):
    return JsonResponse({"ok": True, "limited": request.limited})


# The same three as async views (django-ratelimit's own decorator returns an
# unawaited coroutine from these; the app's counts in a thread and awaits).
from adrf.decorators import api_view as async_api_view  # noqa: E402
from adrf.views import APIView as AsyncAPIView  # noqa: E402


@async_api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@ratelimit(key="ip", rate="2/m", group="helpers.adrf")
async def adrf_limited(request):
    return Response({"ok": True})


@method_decorator(ratelimit(key="ip", rate="2/m", group="helpers.acbv"), name="get")
class AsyncLimitedView(View):
    async def get(self, request):
        return JsonResponse({"ok": True})


class AdrfLimitedView(AsyncAPIView):
    """The decorator on an adrf method itself: method_decorator hides it from adrf before Python 3.12."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @ratelimit(key="ip", rate="2/m", group="helpers.adrf-method")
    async def get(self, request):
        return Response({"ok": True})


class DrfLimitedMethodView(APIView):
    authentication_classes = AdrfLimitedView.authentication_classes
    permission_classes = AdrfLimitedView.permission_classes
    get = ratelimit(key="ip", rate="2/m", group="helpers.drf-method")(
        lambda self, request: Response({"ok": True})
    )


@ratelimit(key="ip", rate="2/m", group="helpers.afbv")
async def afbv_limited(request):
    return JsonResponse({"ok": True, "limited": request.limited})


urlpatterns += [
    path("rl/drf/", drf_limited),
    path("rl/cbv/", LimitedView.as_view()),
    path("rl/fbv/", fbv_limited),
    path("rl/adrf/", adrf_limited),
    path("rl/acbv/", AsyncLimitedView.as_view()),
    path("rl/afbv/", afbv_limited),
    path("rl/adrf-method/", AdrfLimitedView.as_view()),
    path("rl/drf-method/", DrfLimitedMethodView.as_view()),
]


class Outage(throttling.AnonRateThrottle):
    """Counts in whatever cache a test gives it."""

    rate = "100/min"


class OutageHello(Hello):
    throttle_classes = [Outage]


urlpatterns += [path("outage/", OutageHello.as_view())]


# Measuring what a throttle let through, against DRF's promise.
def micros(seconds: float) -> int:
    """A timer value as the throttles count it: whole microseconds."""
    return math.floor(seconds * 1_000_000)


def max_in_span(times: list[float], period: float) -> int:
    """The most of ``times`` that fall in one span of ``period`` seconds (``[a, a + period)``)."""
    stamps, best, first = sorted(micros(t) for t in times), 0, 0
    for last, stamp in enumerate(stamps):
        while stamps[first] <= stamp - period * 1_000_000:
            first += 1
        best = max(best, last - first + 1)
    return best


def sliding_log(times: list[float], limit: int, period: float) -> list[bool]:
    """What DRF's sliding log would let through, one request at a time."""
    passed: list[int] = []
    verdicts = []
    for stamp in (micros(t) for t in times):
        ok = sum(1 for p in passed if p > stamp - period * 1_000_000) < limit
        verdicts.append(ok)
        if ok:
            passed.append(stamp)
    return verdicts


def unjustified_refusals(times: list[float], verdicts: list[bool], limit: int, span: float) -> list[float]:
    """Refused requests that had fewer than ``limit`` passes in the ``span`` seconds up to them."""
    passes = [micros(t) for t, ok in zip(times, verdicts, strict=True) if ok]
    return [
        t
        for t, ok in zip(times, verdicts, strict=True)
        if not ok and sum(1 for p in passes if micros(t) - span * 1_000_000 < p <= micros(t)) < limit
    ]
