"""The exact path on Redis: a sliding log in a list, one Lua script per request.

Neither Django's ``RedisCache`` nor django-redis offers a public way to run a
script, so each is reached through one adapter below that uses its private
parts and returns ``None`` (the caller then takes the public, generic path)
when they are missing or differ.  ``tests/test_throttling_adapters.py`` fails,
naming the attribute, when an installed version no longer has them:

- Django's ``RedisCache._cache`` (a ``RedisCacheClient``) and its
  ``get_client(key, *, write)``;
- django-redis' ``RedisCache.client`` (exactly a ``DefaultClient``; the
  sharded and herd clients place or wrap keys their own way) and its
  ``get_client(write)``, which django-redis' public
  ``get_redis_connection(alias)`` also calls.

The async path (:mod:`._aredis`) builds its ``redis.asyncio`` pool from what
each backend builds its own from (:func:`pool_recipe`): Django's
``RedisCacheClient._pool_class``, ``_servers`` and ``_pool_options``;
django-redis' ``DefaultClient._server`` and its ``ConnectionFactory``.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

try:
    from django_redis.cache import RedisCache as DjangoRedisCache  # type: ignore[import-untyped]
    from django_redis.client import DefaultClient  # type: ignore[import-untyped]
    from django_redis.pool import ConnectionFactory  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - django-redis is optional
    DjangoRedisCache = DefaultClient = ConnectionFactory = None

# The log is a list of the timestamps (microseconds) of the requests that
# passed, newest first.  The script drops from its tail those that left the
# period (each is dropped once; the whole list at once when its newest has),
# then adds this request only if fewer than the limit remain: refused
# requests are never recorded, as in DRF.  The key expires when its newest
# entry leaves the period (plus a margin for clock differences).  Returns
# {passed, count, the entry whose leaving lets one more request in}.  A list
# holds an integer in about 10 bytes; a sorted set needs over 100 per entry
# once it outgrows 128 entries.
SLIDING_LOG = """
local now, period, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local newest = redis.call('LINDEX', KEYS[1], 0)
if newest and tonumber(newest) <= now - period then
  redis.call('DEL', KEYS[1])
else
  local oldest = redis.call('LINDEX', KEYS[1], -1)
  while oldest and tonumber(oldest) <= now - period do
    redis.call('RPOP', KEYS[1])
    oldest = redis.call('LINDEX', KEYS[1], -1)
  end
end
local count = redis.call('LLEN', KEYS[1])
local passed = 0
if count < limit then
  redis.call('LPUSH', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  count, passed = count + 1, 1
end
return {passed, count, redis.call('LINDEX', KEYS[1], -1 - math.max(0, count - limit))}
"""

# What counting one request gives: passed, how many count now, and the
# microseconds until one more would pass (or until the oldest leaves).
Decision = tuple[bool, int, int]

# How a backend builds its write pool: the pool class, the URL, the options.
Recipe = tuple[type[Any], str, dict[str, Any]]

# One client and registered script per backend object: building a redis-py
# client costs more than the round trip (Django's RedisCache builds one per
# operation).  ``False`` remembers a backend that has no script path.
_scripts: WeakKeyDictionary[BaseCache, Any] = WeakKeyDictionary()


def django_redis_client(cache: BaseCache) -> Any | None:
    """The redis-py client of Django's ``RedisCache`` for writes, or ``None``."""
    try:
        return cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        return None


def django_redis_package_client(cache: BaseCache) -> Any | None:
    """The redis-py client of django-redis' ``RedisCache`` with its ``DefaultClient``, or ``None``."""
    inner = getattr(cache, "client", None)
    if inner is None or DefaultClient is None or type(inner) is not DefaultClient:
        return None
    try:
        return inner.get_client(write=True)
    except (AttributeError, TypeError):
        return None


def redis_client(cache: BaseCache) -> Any | None:
    """A redis-py client that writes where ``cache`` does, or ``None``."""
    if isinstance(cache, RedisCache):
        return django_redis_client(cache)
    if DjangoRedisCache is not None and isinstance(cache, DjangoRedisCache):
        return django_redis_package_client(cache)
    return None


def script(cache: BaseCache) -> Any | None:
    """The registered sliding-log script of ``cache``, or ``None`` off Redis."""
    if not isinstance(cache, BaseCache):  # a proxy of another alias: the public path
        return None
    found = _scripts.get(cache)
    if found is None:
        client = redis_client(cache)
        found = _scripts[cache] = False if client is None else client.register_script(SLIDING_LOG)
    return found or None


def script_call(cache: BaseCache, key: str, limit: int, period_us: int, now_us: int) -> dict[str, Any]:
    """The keys and arguments of the script for one request, sync or async."""
    # make_key adds KEY_PREFIX and VERSION, as both backends do for their own keys; the key
    # expires 5 s after its newest entry leaves the period.
    return {"keys": [cache.make_key(key)], "args": [now_us, period_us, limit, period_us // 1000 + 5000]}


def decision(answer: list[Any], period_us: int, now_us: int) -> Decision:
    """What the script answered, as a :data:`Decision`."""
    passed, count, *oldest = answer
    reset = int(oldest[0]) + period_us - now_us if oldest and oldest[0] is not None else period_us
    return bool(passed), int(count), reset


def sliding_log(cache: BaseCache, key: str, limit: int, period_us: int, now_us: int) -> Decision | None:
    """Count one request for ``key`` with the script, or ``None`` off Redis."""
    run = script(cache)
    if run is None:
        return None
    return decision(run(**script_call(cache, key, limit, period_us, now_us)), period_us, now_us)


def pool_recipe(cache: BaseCache) -> Recipe | None:
    """How ``cache`` builds the pool of its write client (as :func:`redis_client`), or ``None``."""
    try:
        if isinstance(cache, RedisCache):
            inner: Any = cache._cache  # private attributes the stubs do not list
            return inner._pool_class, inner._servers[0], dict(inner._pool_options)
        if DjangoRedisCache is not None and isinstance(cache, DjangoRedisCache):
            inner = cache.client
            factory = inner.connection_factory
            if type(inner) is DefaultClient and type(factory) is ConnectionFactory:
                params = factory.make_connection_params(inner._server[0])
                url = params.pop("url")
                return factory.pool_cls, url, {**params, **factory.pool_cls_kwargs}
    except (AttributeError, IndexError, KeyError, TypeError):
        pass
    return None
