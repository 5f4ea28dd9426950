"""System checks: is the app wired in, and is ``API_ERRORS`` valid?"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import CheckMessage, Error, Warning
from django.urls import URLResolver, get_resolver
from django.utils.module_loading import import_string

from django_api_errors.conf import SPEC
from django_api_errors.throttling import _counting as counting

HANDLER = "django_api_errors.handlers.exception_handler"
VIEWS = {
    "handler400": "django_api_errors.views.bad_request",
    "handler403": "django_api_errors.views.permission_denied",
    "handler404": "django_api_errors.views.page_not_found",
    "handler500": "django_api_errors.views.server_error",
}
CSRF_VIEW = "django_api_errors.views.csrf_failure"


def _dotted(value: Any) -> str:
    if isinstance(value, str):
        return value
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def check_exception_handler(**kwargs: Any) -> list[CheckMessage]:
    configured = getattr(settings, "REST_FRAMEWORK", {}).get("EXCEPTION_HANDLER")
    if configured is not None and _dotted(configured) == HANDLER:
        return []
    return [
        Warning(
            "DRF's EXCEPTION_HANDLER is not django-api-errors' handler, so DRF views "
            "answer errors in DRF's own format.",
            hint=f'Set REST_FRAMEWORK["EXCEPTION_HANDLER"] = "{HANDLER}".',
            id="django_api_errors.W001",
        )
    ]


def check_error_views(**kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    urlconf_name = getattr(settings, "ROOT_URLCONF", None)
    try:
        urlconf = import_module(urlconf_name) if urlconf_name else None
    except Exception:  # Django's own URL checks report a broken URLconf.
        urlconf = None
    if urlconf is not None:
        for name, expected in VIEWS.items():
            if _dotted(getattr(urlconf, name, "")) != expected:
                messages.append(
                    Warning(
                        f"{name} in {urlconf_name} is not django-api-errors' view, so errors "
                        "raised outside DRF views answer with Django's HTML page.",
                        hint=f'Add {name} = "{expected}" to {urlconf_name}.',
                        id="django_api_errors.W002",
                    )
                )
    if _dotted(getattr(settings, "CSRF_FAILURE_VIEW", "")) != CSRF_VIEW:
        messages.append(
            Warning(
                "CSRF_FAILURE_VIEW is not django-api-errors' view, so CSRF failures "
                "answer with Django's HTML page.",
                hint=f'Set CSRF_FAILURE_VIEW = "{CSRF_VIEW}".',
                id="django_api_errors.W003",
            )
        )
    return messages


# Cache backends a throttle cannot count in across processes, atomically.
UNFIT_CACHES: dict[type[BaseCache], str] = {
    LocMemCache: "counts in each process on its own",
    DummyCache: "stores nothing, so it counts nothing",
    FileBasedCache: "cannot increment atomically",
    DatabaseCache: "cannot increment atomically",
}


def _view_throttles(patterns: list[Any]) -> list[type]:
    found: list[type] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(_view_throttles(entry.url_patterns))
        else:
            view_class = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
            found.extend(getattr(view_class, "throttle_classes", None) or ())
    return found


def _throttle_classes() -> list[type]:
    from rest_framework.settings import api_settings

    configured: list[Any] = list(api_settings.DEFAULT_THROTTLE_CLASSES)  # imported classes
    classes: list[type] = [cls for cls in configured if isinstance(cls, type)]
    try:
        classes.extend(_view_throttles(get_resolver().url_patterns))
    except Exception:  # Django's own URL checks report a broken URLconf.
        pass
    return list(dict.fromkeys(classes))


def check_throttle_caches(**kwargs: Any) -> list[CheckMessage]:
    """W004: a throttle whose cache cannot count across processes, with DEBUG off."""
    if settings.DEBUG:
        return []
    messages: list[CheckMessage] = []
    for throttle in _throttle_classes():
        if not hasattr(throttle, "cache"):
            continue
        cache = counting.resolve(throttle.cache)
        reason = next((why for kind, why in UNFIT_CACHES.items() if isinstance(cache, kind)), None)
        if reason is not None:
            messages.append(
                Warning(
                    f"The throttle {_dotted(throttle)} uses the cache backend "
                    f"{_dotted(type(cache))}, which {reason}: clients get more requests "
                    "through than the rate allows.",
                    hint="Point the throttle's cache at Redis (django.core.cache.backends.redis.RedisCache "
                    "or django-redis) or memcached (PyMemcacheCache).",
                    id="django_api_errors.W004",
                )
            )
    return messages


def _check_codes(codes: Mapping[str, Any]) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for code, spec in codes.items():
        status = spec.get("status") if isinstance(spec, Mapping) else None
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            messages.append(
                Error(
                    f'API_ERRORS["CODES"][{code!r}] needs a "status" between 400 and 599.',
                    hint='Write it as {"status": 402, "description": "..."}.',
                    id="django_api_errors.E003",
                )
            )
    return messages


# Keys whose int or timedelta value must be positive.
_POSITIVE = ("RETRY_AFTER", "TOKEN_LIFETIME")


def _valid(key: str, value: Any) -> bool:
    types = SPEC[key][1]
    if isinstance(value, bool) and bool not in types:
        return False
    if key in _POSITIVE and isinstance(value, int) and value < 1:
        return False
    if key == "TRUSTED_PROXIES" and isinstance(value, int) and value < 0:
        return False
    if key in _POSITIVE and isinstance(value, timedelta) and value <= timedelta(0):
        return False
    if key in ("SCOPES_GETTER", "BODY_HOOK") and isinstance(value, str):
        try:
            return callable(import_string(value))
        except ImportError:
            return False
    return isinstance(value, types)


def _hint(key: str, expected: str) -> str:
    if key == "RETRY_AFTER":
        return f"Expected {expected} of at least 1."
    if key == "TRUSTED_PROXIES":
        return f"Expected {expected} of at least 0."
    if key == "TOKEN_LIFETIME":
        return "Expected seconds (int) or a timedelta, greater than zero, or None."
    if key == "SCOPES_GETTER":
        return "Expected the dotted path of a callable(request), or None."
    if key == "BODY_HOOK":
        return "Expected the dotted path of a callable(body, problem, request), or None."
    return f"Expected {expected}."


def check_settings(**kwargs: Any) -> list[CheckMessage]:
    user = getattr(settings, "API_ERRORS", {})
    if not isinstance(user, Mapping):
        return [
            Error(
                "API_ERRORS must be a dict.",
                hint="Write API_ERRORS = {...} with the keys listed in the README.",
                id="django_api_errors.E002",
            )
        ]
    messages: list[CheckMessage] = []
    for key, value in user.items():
        if key not in SPEC:
            messages.append(
                Error(
                    f"API_ERRORS has an unknown key {key!r}.",
                    hint="Valid keys: " + ", ".join(sorted(SPEC)) + ".",
                    id="django_api_errors.E001",
                )
            )
        elif not _valid(key, value):
            expected = " or ".join(t.__name__ for t in SPEC[key][1])
            messages.append(
                Error(
                    f'API_ERRORS["{key}"] has an invalid value.',
                    hint=_hint(key, expected),
                    id="django_api_errors.E002",
                )
            )
    if isinstance(user.get("CODES"), Mapping):
        messages.extend(_check_codes(user["CODES"]))
    return messages
