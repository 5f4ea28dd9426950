"""django-ratelimit's ``ratelimit`` decorator, keeping its usage for ``Retry-After``.

django-ratelimit's own decorator raises ``Ratelimited`` without saying how
long the client should wait, so the handler can only answer with
``API_ERRORS["RETRY_AFTER"]``.  This decorator takes the same arguments,
counts the same way (same groups, keys and cache entries), and stores the
usage on the request, so the 429 carries the seconds left in the window::

    from django_api_errors.ratelimit import ratelimit

    @ratelimit(key="ip", rate="10/m")
    def ping(request): ...

A cache that raises (Redis down) passes or refuses the request as
``API_ERRORS["THROTTLE_FAIL_OPEN"]`` says, instead of a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from django_api_errors import conf

logger = logging.getLogger("django_api_errors.throttling")

F = TypeVar("F", bound=Callable[..., Any])

# What a failed count looks like, as django-ratelimit reports it.
_FAILED = {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}


def retry_after(usage: dict[str, Any] | None) -> int | None:
    """Whole seconds until the window ends, at least 1; ``None`` when unknown.

    django-ratelimit says ``time_left == 0`` in the last second of a window
    (the next request opens a new one) and ``-1`` when counting failed.
    """
    if not usage:
        return None
    left = usage.get("time_left")
    if not isinstance(left, int) or left < 0:
        return None
    return max(1, left)


def _remember(request: Any, usage: dict[str, Any] | None) -> None:
    wait = retry_after(usage)
    targets = [request]
    inner = getattr(request, "_request", None)
    if inner is not None:  # a DRF Request wraps the Django one
        targets.append(inner)
    for target in targets:
        target.ratelimit_usage = usage
        target.ratelimit_retry_after = wait


def _usage(request: Any, **kwargs: Any) -> dict[str, Any] | None:
    try:
        return get_usage(request, increment=True, **kwargs)  # type: ignore[no-any-return]
    except ImproperlyConfigured:
        raise
    except Exception:
        fail_open = conf.settings.THROTTLE_FAIL_OPEN
        verdict = "allowed" if fail_open else "refused"
        logger.warning("Rate limit cache unavailable; request %s", verdict, exc_info=True)
        return None if fail_open else dict(_FAILED)


def _exception() -> type[Exception]:
    cls = getattr(settings, "RATELIMIT_EXCEPTION_CLASS", Ratelimited)
    return import_string(cls) if isinstance(cls, str) else cls  # type: ignore[no-any-return]


def ratelimit(
    group: str | None = None,
    key: Any = None,
    rate: Any = None,
    method: Any = ALL,
    block: bool = True,
) -> Callable[[F], F]:
    """django-ratelimit's decorator, with the same arguments and behaviour."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            usage = _usage(request, group=group, fn=fn, key=key, rate=rate, method=method)
            limited = bool(usage and usage["should_limit"])
            request.limited = limited or getattr(request, "limited", False)
            _remember(request, usage)
            if limited and block:
                raise _exception()()
            return fn(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
