"""Counting requests in a cache, atomically, in fixed windows.

A window is ``duration`` seconds long and starts at a multiple of
``duration`` since the epoch, so every worker on every host that shares the
cache agrees on it without talking to the others.  Each window has its own
key; the count is raised with one atomic operation of the cache (``INCR`` in
Redis, ``incr`` in memcached), never read and written back, so concurrent
requests each see a different count and no more than the limit pass.

A window's key expires ``EXPIRY_MARGIN`` seconds after the window ends, so it
never expires while it is still counted in (which would let Redis' ``INCR``
create it again without an expiry).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends.base import BaseCache

EXPIRY_MARGIN = 5


@dataclass(frozen=True)
class Window:
    """The state of one fixed window after counting a request in it."""

    count: int
    limit: int
    duration: int
    reset: float  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    @property
    def wait(self) -> int:
        """Whole seconds until the next window; at least 1."""
        return max(1, math.ceil(self.reset))


def window_key(key: str, duration: int, now: float) -> tuple[str, float]:
    """The cache key of the window ``now`` falls in, and the seconds left in it."""
    index = math.floor(now / duration)
    return f"{key}:{duration}:{index}", (index + 1) * duration - now


def _redis_client(cache: BaseCache, key: str) -> tuple[Any, str] | None:
    """The raw Redis client and full key, when ``cache`` is Redis-backed.

    With it the counter takes one round trip (``SET NX`` + ``INCR`` in one
    pipeline) instead of the two or three the cache API needs.  Integers are
    stored unpickled by both Django's ``RedisCache`` and django-redis, so
    ``cache.get()`` still reads the count.
    """
    module = type(cache).__module__
    if module == "django.core.cache.backends.redis":
        client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
        return client, cache.make_and_validate_key(key)
    if module == "django_redis.cache":
        inner = cache.client  # type: ignore[attr-defined]
        kind = type(inner)
        if kind.__module__ == "django_redis.client.default" and kind.__name__ == "DefaultClient":
            return inner.get_client(write=True), str(inner.make_key(key))
    return None


def _count_generic(cache: BaseCache, key: str, timeout: int) -> int:
    try:
        return int(cache.incr(key))
    except ValueError:  # no such key yet: this request opens the window
        if cache.add(key, 1, timeout):
            return 1
        return int(cache.incr(key))


def hit(cache: BaseCache, key: str, limit: int, duration: int, now: float) -> Window:
    """Count one request for ``key`` in its current window.

    Raises whatever the cache raises when it is unreachable; the caller
    decides whether that fails open or closed.
    """
    wkey, reset = window_key(key, duration, now)
    timeout = math.ceil(reset) + EXPIRY_MARGIN
    redis = _redis_client(cache, wkey)
    if redis is not None:
        client, full_key = redis
        pipe = client.pipeline(transaction=False)
        pipe.set(full_key, 0, ex=timeout, nx=True)
        pipe.incr(full_key)
        count = int(pipe.execute()[1])
    else:
        count = _count_generic(cache, wkey, timeout)
    return Window(count, limit, duration, reset)
