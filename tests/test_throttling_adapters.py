"""The one place each library's private API is used: still there, and a public fallback if not.

If a test here fails after an upgrade, the installed version renamed what
``django_api_errors/throttling/_redis.py`` relies on: the throttles still
count right (on the generic path) but lose the exact sliding log, or, for
the pool settings, count on the log in a thread instead of on the event loop.
"""

import inspect

import pytest
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.connection import ConnectionProxy
from django.utils.functional import cached_property
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.client import DefaultClient
from django_redis.pool import ConnectionFactory

from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import _redis
from tests.servers import redis_server  # noqa: F401 - fixture

NOWHERE = "redis://127.0.0.1:1/0"  # the adapters build clients without connecting


def _takes_write(method) -> bool:
    parameter = inspect.signature(method).parameters.get("write")
    return parameter is not None and parameter.kind in (
        parameter.KEYWORD_ONLY,
        parameter.POSITIONAL_OR_KEYWORD,
    )


def test_django_rediscache_still_has_cache_get_client():
    backend = RedisCache(NOWHERE, {})
    assert "_cache" in dir(backend), "Django's RedisCache no longer has the private attribute _cache"
    assert isinstance(backend._cache, RedisCacheClient), (
        "Django's RedisCache._cache is no longer a RedisCacheClient"
    )
    get_client = getattr(backend._cache, "get_client", None)
    assert get_client is not None, "Django's RedisCacheClient no longer has get_client"
    assert _takes_write(get_client), "Django's RedisCacheClient.get_client no longer takes write="
    assert _redis.django_redis_client(backend) is not None


def test_django_redis_still_has_client_get_client():
    backend = DjangoRedisCache(NOWHERE, {})
    assert type(backend.client) is DefaultClient, (
        "django-redis' RedisCache.client is no longer a DefaultClient"
    )
    get_client = getattr(backend.client, "get_client", None)
    assert get_client is not None, "django-redis' DefaultClient no longer has get_client"
    assert _takes_write(get_client), "django-redis' DefaultClient.get_client no longer takes write="
    assert _redis.django_redis_package_client(backend) is not None


def test_django_rediscache_still_has_its_pool_settings():
    client = RedisCache(NOWHERE, {})._cache
    for name in ("_pool_class", "_servers", "_pool_options"):
        assert hasattr(client, name), f"Django's RedisCacheClient no longer has {name}"
    assert _redis.pool_recipe(RedisCache(NOWHERE, {})) is not None


def test_django_redis_still_has_its_connection_factory():
    client = DjangoRedisCache(NOWHERE, {}).client
    assert hasattr(client, "_server"), "django-redis' DefaultClient no longer has _server"
    factory = getattr(client, "connection_factory", None)
    assert type(factory) is ConnectionFactory, "django-redis' DefaultClient.connection_factory changed"
    for name in ("pool_cls", "pool_cls_kwargs", "make_connection_params"):
        assert hasattr(factory, name), f"django-redis' ConnectionFactory no longer has {name}"
    assert _redis.pool_recipe(DjangoRedisCache(NOWHERE, {})) is not None


class _WithoutGetClient:
    """Django's client as a future version might hide it: everything but ``get_client``."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        if name == "get_client":
            raise AttributeError(name)
        return getattr(self._inner, name)


class FutureRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return _WithoutGetClient(self._class(self._servers, **self._options))


def test_without_the_private_attribute_the_public_path_counts(redis_server):  # noqa: F811
    backend = FutureRedisCache(redis_server.url, {"KEY_PREFIX": "future"})
    try:
        assert _redis.script(backend) is None
        verdicts = [counting.hit(backend, "future", 3, 60, 1000.5).allowed for _ in range(4)]
        assert verdicts == [True, True, True, False]
        keys, _, _ = counting.bucket_keys("future", 60_000_000, 1_000_500_000)
        assert backend.get(keys[-1]) == 3  # counted with the cache's own incr
    finally:
        backend.clear()


def test_subclasses_are_recognised():
    class Mine(RedisCache):
        pass

    class MineToo(DjangoRedisCache):
        pass

    assert _redis.script(Mine(NOWHERE, {})) is not None
    assert _redis.script(MineToo(NOWHERE, {})) is not None


class Tweaked(DefaultClient):
    """A client of one's own: it may place keys its own way, so the script stays out."""


def test_django_redis_client_subclasses_take_the_public_path():
    backend = DjangoRedisCache(NOWHERE, {"OPTIONS": {"CLIENT_CLASS": f"{__name__}.Tweaked"}})
    assert _redis.redis_client(backend) is None


def test_the_default_cache_resolves_through_public_api():
    assert counting.resolve(default_cache) is caches["default"]
    other = ConnectionProxy(caches, "default")  # a proxy that is not django.core.cache.cache
    assert counting.resolve(other) is other and _redis.script(other) is None
    assert [counting.hit(other, "proxied", 1, 60, 1000.5).allowed for _ in range(2)] == [True, False]
    caches["default"].clear()


@pytest.mark.parametrize("backend", [RedisCache(NOWHERE, {}), DjangoRedisCache(NOWHERE, {})])
def test_keys_carry_the_backend_prefix(backend):
    # The script's key is made as the backend makes its own (KEY_PREFIX, VERSION).
    assert backend.make_key("k") == ":1:k"
    if isinstance(backend, DjangoRedisCache):
        assert str(backend.client.make_key("k")) == backend.make_key("k")
