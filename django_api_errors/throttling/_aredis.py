"""The sliding log on ``redis.asyncio``: the script of :mod:`._redis`, counted on the event loop.

The ``redis.asyncio`` client is built from what the cache builds its own
write client from (:func:`._redis.pool_recipe`: the URL, ``OPTIONS``,
django-redis' ``CONNECTION_POOL_KWARGS`` ...), so it reaches the same server
and database with the same timeouts, and the script sees the same keys.  A
``redis.asyncio`` connection belongs to the loop that opened it: each loop
gets its own client per server on its first request, and its pools are
disconnected when the loop shuts its async generators down (``asyncio.run``,
uvicorn and asgiref's ``async_to_sync`` all do); nothing is opened or closed
per request.

Settings with no ``redis.asyncio`` twin (a sentinel pool, a connection
class of one's own, a sync ``Retry`` object) give no async client: the
caller then counts with the sync script in a thread.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from typing import Any
from weakref import WeakKeyDictionary

from django.core.cache.backends.base import BaseCache

from django_api_errors.throttling import _redis


@functools.cache
def twins() -> dict[type, type[Any]]:
    """The ``redis.asyncio`` twin of each sync pool and connection class, imported when a cache needs it."""
    import redis
    import redis.asyncio as aredis

    return {
        redis.ConnectionPool: aredis.ConnectionPool,
        redis.BlockingConnectionPool: aredis.BlockingConnectionPool,
        redis.Connection: aredis.Connection,
        redis.SSLConnection: aredis.SSLConnection,
        redis.UnixDomainSocketConnection: aredis.UnixDomainSocketConnection,
    }


# The async recipe and its name (the key of its client in a loop) by backend
# class and sync recipe, or None for none: Django makes a backend per request
# under ASGI, and checking the settings costs more than the round trip.
_by_settings: dict[str, tuple[str, _redis.Recipe] | None] = {}
_recipes: WeakKeyDictionary[BaseCache, tuple[str, _redis.Recipe] | None] = WeakKeyDictionary()


class _LoopClients:
    """The registered scripts of one event loop, by recipe, and their pools."""

    def __init__(self) -> None:
        self.scripts: dict[str, Any] = {}
        self.pools: list[Any] = []
        self.keeper = self._closing()

    async def _closing(self) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the loop's shutdown_asyncgens()
            _loops.pop(asyncio.get_running_loop(), None)
            for pool in self.pools:
                await pool.disconnect()


_loops: dict[asyncio.AbstractEventLoop, _LoopClients] = {}


# redis-py modules whose objects both clients take (Django 6.1 passes a DriverInfo).
_SHARED = ("redis.asyncio", "redis.driver_info")


def _sync_only(value: Any) -> bool:
    """Whether ``value`` is a class or an object of redis-py's sync modules."""
    module = (value if isinstance(value, type) else type(value)).__module__
    return module.partition(".")[0] == "redis" and not module.startswith(_SHARED)


def async_recipe(sync: _redis.Recipe) -> _redis.Recipe | None:
    """The ``redis.asyncio`` twin of a sync pool recipe, or ``None`` when one part has none."""
    pool_class, url, options = sync
    async_pool = twins().get(pool_class)
    options = {name: value for name, value in options.items() if name != "parser_class"}
    if "connection_class" in options:
        options["connection_class"] = twins().get(options["connection_class"])
    if async_pool is None or ("connection_class" in options and options["connection_class"] is None):
        return None
    if any(_sync_only(value) for name, value in options.items() if name != "connection_class"):
        return None
    try:  # the connection a pool would make, without connecting: unknown options fail here
        pool = async_pool.from_url(url, **options)
        pool.connection_class(**pool.connection_kwargs)
    except (TypeError, ValueError):
        return None
    return async_pool, url, options


def recipe(cache: BaseCache) -> tuple[str, _redis.Recipe] | None:
    """The async recipe of ``cache`` and its name, or ``None`` when it has no async script path."""
    if not isinstance(cache, BaseCache):
        return None
    if cache not in _recipes:
        sync = _redis.pool_recipe(cache)
        key = repr((type(cache), sync))
        if key not in _by_settings:
            made = None if sync is None or _redis.script(cache) is None else async_recipe(sync)
            _by_settings[key] = None if made is None else (repr(made), made)
        _recipes[cache] = _by_settings[key]
    return _recipes[cache]


async def script(cache: BaseCache) -> Any | None:
    """This loop's registered ``redis.asyncio`` script for ``cache``, or ``None``."""
    found = recipe(cache)
    if found is None:
        return None
    name, (pool_class, url, options) = found
    loop = asyncio.get_running_loop()
    clients = _loops.get(loop)
    if clients is None:
        for closed in [other for other in list(_loops) if other.is_closed()]:
            _loops.pop(closed, None)  # closed without shutting its generators down
        clients = _loops[loop] = _LoopClients()
        await clients.keeper.__anext__()  # the loop now closes it on shutdown
    run = clients.scripts.get(name)
    if run is None:
        from redis.asyncio import Redis

        pool = pool_class.from_url(url, **options)
        clients.pools.append(pool)
        run = clients.scripts[name] = Redis(connection_pool=pool).register_script(_redis.SLIDING_LOG)
    return run


async def sliding_log(
    run: Any, cache: BaseCache, key: str, limit: int, period_us: int, now_us: int
) -> _redis.Decision:
    """Count one request for ``key`` with the registered async script ``run``."""
    answer = await run(**_redis.script_call(cache, key, limit, period_us, now_us))
    return _redis.decision(answer, period_us, now_us)
