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
from weakref import WeakKeyDictionary

from django.core.cache.backends.base import BaseCache
from django.utils.connection import ConnectionProxy

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
    if index * duration > now:  # pragma: no cover - float division rounded up a window
        index -= 1
    return f"{key}:{duration}:{index}", (index + 1) * duration - now


# Opens the window with its expiry if it is new, then counts: one round trip,
# atomic as every Lua script is.
_COUNT_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return redis.call('INCR', KEYS[1])
"""
# One Redis client and registered script per cache backend object: building
# a redis-py client costs more than the round trip (Django's RedisCache
# builds one per operation).
_scripts: WeakKeyDictionary[BaseCache, Any] = WeakKeyDictionary()


def _is_django_redis(cache: BaseCache) -> bool:
    return type(cache).__module__ == "django_redis.cache"


def _redis_client(cache: BaseCache) -> Any | None:
    """The raw redis-py client for writes, when ``cache`` is Redis-backed.

    Integers are stored unpickled by both Django's ``RedisCache`` and
    django-redis, so ``cache.get()`` still reads the count.
    """
    if type(cache).__module__ == "django.core.cache.backends.redis":
        return cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    if _is_django_redis(cache):
        inner = cache.client  # type: ignore[attr-defined]
        kind = type(inner)
        # Sharded and herd clients place or wrap keys their own way.
        if kind.__module__ == "django_redis.client.default" and kind.__name__ == "DefaultClient":
            return inner.get_client(write=True)
    return None


def resolve(cache: Any) -> Any:
    """The backend behind ``cache``, which may be ``django.core.cache.cache``.

    That is a ``ConnectionProxy`` (DRF's throttles' default), which hides the
    backend's type and cannot be a dictionary key.
    """
    if isinstance(cache, ConnectionProxy):
        return cache._connections[cache._alias]
    return cache


def _redis_count(cache: BaseCache, key: str, timeout: int) -> int | None:
    script = _scripts.get(cache)
    if script is None:
        client = _redis_client(cache)
        if client is None:
            return None
        script = _scripts[cache] = client.register_script(_COUNT_SCRIPT)
    if _is_django_redis(cache):
        full_key = str(cache.client.make_key(key))  # type: ignore[attr-defined]
    else:
        full_key = cache.make_and_validate_key(key)
    return int(script(keys=[full_key], args=[timeout]))


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
    cache = resolve(cache)
    count = _redis_count(cache, wkey, timeout)
    if count is None:
        count = _count_generic(cache, wkey, timeout)
    return Window(count, limit, duration, reset)
