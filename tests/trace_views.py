"""Views that log while they handle a request, sync and async, for the request id tests."""

import asyncio
import logging
import threading

from django.db import transaction
from django.http import JsonResponse
from django.urls import path

logger = logging.getLogger("tests.trace")


class Meeting:
    """Two requests meet here before either answers, so their handling overlaps."""

    def __init__(self):
        self.arrived = 0
        self.event = None


meeting = Meeting()


@transaction.non_atomic_requests
def sync_log(request):
    logger.info("sync view %s", request.GET.get("n", ""))
    if "fail" in request.GET:
        raise RuntimeError("the view failed after logging")
    return JsonResponse({"ok": True})


@transaction.non_atomic_requests
async def async_log(request):
    logger.info("async view %s", request.GET.get("n", ""))
    if "fail" in request.GET:
        raise RuntimeError("the view failed after logging")
    return JsonResponse({"ok": True})


@transaction.non_atomic_requests
async def async_meet(request):
    """Logs, waits until a second request has logged too, then logs again."""
    n = request.GET["n"]
    logger.info("before %s", n)
    if meeting.event is None:
        meeting.event = asyncio.Event()
    meeting.arrived += 1
    if meeting.arrived >= 2:
        meeting.event.set()
    await asyncio.wait_for(meeting.event.wait(), timeout=10)
    logger.info("after %s", n)
    return JsonResponse({"n": n})


_barrier = threading.Barrier(2, timeout=10)


@transaction.non_atomic_requests
def sync_meet(request):
    """The same meeting for sync views on a threaded server."""
    n = request.GET["n"]
    logger.info("before %s", n)
    _barrier.wait()
    logger.info("after %s", n)
    return JsonResponse({"n": n})


urlpatterns = [
    path("sync/", sync_log),
    path("async/", async_log),
    path("async-meet/", async_meet),
    path("sync-meet/", sync_meet),
]
