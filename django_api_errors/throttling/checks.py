"""W004: a throttle whose cache cannot count across processes (the throttling wing's check)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Warning

from django_api_errors.checks import dotted, view_classes
from django_api_errors.throttling import _counting as counting

# Cache backends a throttle cannot count in across processes, atomically.
UNFIT_CACHES: dict[type[BaseCache], str] = {
    LocMemCache: "counts in each process on its own",
    DummyCache: "stores nothing, so it counts nothing",
    FileBasedCache: "cannot increment atomically",
    DatabaseCache: "cannot increment atomically",
}


def _throttle_classes() -> list[type]:
    from rest_framework.settings import api_settings

    configured: list[Any] = list(api_settings.DEFAULT_THROTTLE_CLASSES)  # imported classes
    classes: list[type] = [cls for cls in configured if isinstance(cls, type)]
    for view_class in view_classes():
        classes.extend(getattr(view_class, "throttle_classes", None) or ())
    return list(dict.fromkeys(classes))


def check_throttle_caches(**kwargs: Any) -> list[CheckMessage]:
    """W004: a throttle whose cache cannot count across processes, with DEBUG off."""
    if settings.DEBUG:
        return []
    messages: list[CheckMessage] = []
    for throttle in _throttle_classes():
        cache = counting.resolve(getattr(throttle, "cache", None))  # None matches no unfit cache
        reason = next((why for kind, why in UNFIT_CACHES.items() if isinstance(cache, kind)), None)
        if reason is not None:
            messages.append(
                Warning(
                    f"The throttle {dotted(throttle)} uses the cache backend "
                    f"{dotted(type(cache))}, which {reason}: clients get more requests "
                    "through than the rate allows.",
                    hint="Point the throttle's cache at Redis (django.core.cache.backends.redis.RedisCache "
                    "or django-redis) or memcached (PyMemcacheCache).",
                    id="django_api_errors.W004",
                )
            )
    return messages
