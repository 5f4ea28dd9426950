"""Counting requests in a cache: never more than the limit in any span of the period.

DRF's promise (at most N requests in any span of the period, refused ones
not counted), kept atomically across workers and hosts:

- On Redis (Django's ``RedisCache``, django-redis) a sliding log, exact: one
  Lua script per request (:mod:`._redis`); :func:`ahit` runs it on the event
  loop with ``redis.asyncio`` (:mod:`._aredis`).
- On any other cache (memcached, local memory, database) the period is cut in
  ``BUCKETS`` buckets, each a counter raised with the cache's atomic ``incr``.
  A request passes when its bucket and the ``BUCKETS`` before it hold at most
  the limit, itself included; otherwise it is taken back out with ``decr``.
  Those buckets always cover the last period, so no span of it lets more than
  the limit through; the price is that a request keeps its place up to one
  bucket (a tenth of the period) longer than on Redis.

Times are whole microseconds, so the arithmetic is exact and a client that
waits the announced seconds gets through.

On the other caches :func:`ahit` runs :func:`hit` in a thread, as Django's
async cache API runs each operation.  The buckets are never counted through
that API's ``aincr``: in Django 5.2 it is a read then a write, not the
backend's atomic ``incr`` (Django 6.1 runs the backend's ``incr`` in a thread).
"""

from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

from django_api_errors.problem import retry_after
from django_api_errors.throttling import _aredis, _redis

BUCKETS = 10
EXPIRY_MARGIN = 5  # seconds a counter outlives its last use, for clock differences
MICRO = 1_000_000


@dataclass(frozen=True)
class Window:
    """What one request met in its policy's period."""

    count: int  # requests counted in the period, this one included when it passed
    limit: int
    duration: int
    reset: float  # seconds until one more request would pass, or until the oldest counted leaves
    allowed: bool

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    @property
    def wait(self) -> int:
        """``reset`` in whole seconds, rounded up; at least 1."""
        return retry_after(self.reset)


def resolve(cache: Any) -> Any:
    """The backend behind ``cache``: ``caches["default"]`` for the ``django.core.cache.cache`` proxy.

    That proxy (DRF's throttles' default) hides the backend's type and cannot be a dictionary key.
    """
    return caches[DEFAULT_CACHE_ALIAS] if cache is default_cache else cache


def bucket_keys(key: str, period_us: int, now_us: int) -> tuple[list[str], int, int]:
    """The keys of the buckets that count at ``now_us`` (oldest first), the current index, the width."""
    width = -(-period_us // BUCKETS)  # rounded up: the buckets cover at least the period
    index = now_us // width
    return [f"{key}:{period_us}/{BUCKETS}:{i}" for i in range(index - BUCKETS, index + 1)], index, width


def _incr(cache: BaseCache, key: str, timeout: int) -> int:
    try:
        return int(cache.incr(key))
    except ValueError:  # no such key yet: this request opens the bucket
        if cache.add(key, 1, timeout):
            return 1
        return int(cache.incr(key))


def _count_in_buckets(cache: BaseCache, key: str, limit: int, period_us: int, now_us: int) -> _redis.Decision:
    keys, index, width = bucket_keys(key, period_us, now_us)
    current = _incr(cache, keys[-1], math.ceil((period_us + width) / MICRO) + EXPIRY_MARGIN)
    earlier = cache.get_many(keys[:-1])
    counts = [int(earlier.get(k) or 0) for k in keys[:-1]] + [current]
    count = sum(counts)
    passed = count <= limit
    if not passed:
        with suppress(ValueError):  # the bucket expired meanwhile
            cache.decr(keys[-1])  # refused requests are not counted
        counts[-1] -= 1
        count -= 1
    # The bucket at position p leaves when the current index reaches index + p + 1.
    needed, left = max(1, count - limit + 1), 0
    for position, number in enumerate(counts):
        left += number
        if left >= needed:
            return passed, count, (index + position + 1) * width - now_us
    return passed, count, period_us  # a limit of 0: nothing ever passes


def _log_and_times(key: str, now: float, duration: int) -> tuple[str, int, int]:
    """The key of ``key``'s log for this period, ``now`` and the period in whole microseconds."""
    return f"{key}:{duration}:log", math.floor(now * MICRO), round(duration * MICRO)


def _window(found: _redis.Decision, limit: int, duration: int) -> Window:
    passed, count, reset_us = found
    return Window(count, limit, duration, reset_us / MICRO, passed)


def hit(cache: BaseCache, key: str, limit: int, duration: int, now: float) -> Window:
    """Count one request for ``key`` if fewer than ``limit`` passed in the last ``duration`` seconds.

    Raises whatever the cache raises when it is unreachable; the caller
    decides whether that fails open or closed.
    """
    cache = resolve(cache)
    log, now_us, period_us = _log_and_times(key, now, duration)
    found = _redis.sliding_log(cache, log, limit, period_us, now_us)
    if found is None:
        found = _count_in_buckets(cache, key, limit, period_us, now_us)
    return _window(found, limit, duration)


async def ahit(cache: BaseCache, key: str, limit: int, duration: int, now: float) -> Window:
    """:func:`hit` for the event loop: the same count, the same keys, without blocking the loop."""
    cache = resolve(cache)
    run = await _aredis.script(cache)
    if run is None:  # not Redis, or settings without a redis.asyncio twin
        return await sync_to_async(hit)(cache, key, limit, duration, now)
    log, now_us, period_us = _log_and_times(key, now, duration)
    return _window(await _aredis.sliding_log(run, cache, log, limit, period_us, now_us), limit, duration)


def counts_on_loop(cache: Any) -> bool:
    """Whether :func:`ahit` counts on the event loop itself (Redis through ``redis.asyncio``)."""
    return _aredis.recipe(resolve(cache)) is not None
