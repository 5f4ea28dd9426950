"""django-ratelimit's ``ratelimit`` decorator, keeping its usage for ``Retry-After``.

django-ratelimit's own decorator raises ``Ratelimited`` without saying how
long the client should wait, so the handler can only answer with
``API_ERRORS["RETRY_AFTER"]``.  This decorator takes the same arguments,
counts the same way (same keys and cache entries; the same groups, except
that a view decorated from outside, an ``as_view()`` function or an
``@api_view``, is named after its class rather than ``as_view``'s inner
function, which all such views shared), and stores the
usage on the request, so the 429 carries the seconds left in the window, and responses, 2xx and
429 alike, carry the ``RateLimit-Policy`` and ``RateLimit`` headers (the
policy named after the group)::

    from django_api_errors.throttling.ratelimit import ratelimit

    @ratelimit(key="ip", rate="10/m")
    def ping(request): ...

A cache that raises (Redis down) passes or refuses the request as
``API_ERRORS["THROTTLE_FAIL_OPEN"]`` says, instead of a server error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseBase
from django.utils.module_loading import import_string
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from django_api_errors import conf
from django_api_errors._requests import django_request
from django_api_errors.problem import retry_after as seconds
from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import throttles as throttling

F = TypeVar("F", bound=Callable[..., Any])

# What a failed count looks like, as django-ratelimit reports it.
_FAILED = {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}


def retry_after(usage: dict[str, Any] | None) -> int | None:
    """Whole seconds until the window ends, at least 1; ``None`` when unknown.

    django-ratelimit says ``time_left == 0`` in the last second of a window
    (the next request opens a new one) and ``-1`` when counting failed.
    """
    left = usage.get("time_left") if usage else None
    return seconds(left) if isinstance(left, int) and left >= 0 else None


# django-ratelimit's rate syntax: "10/m", "100/5m", "1000/d".
_RATE = re.compile(r"(\d+)/(\d*)([smhd])?")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def period_of(rate: Any) -> int | None:
    """The window of a django-ratelimit rate, in seconds."""
    if isinstance(rate, tuple):
        return int(rate[1])
    match = _RATE.match(str(rate))
    if match is None:
        return None
    return _PERIODS[match.group(3) or "s"] * int(match.group(2) or 1)


def _capturing(rate: Any, seen: dict[str, Any]) -> Callable[[str, Any], Any]:
    """``rate`` as django-ratelimit resolves it, noting the group and the rate."""

    def resolve(group: str, request: Any) -> Any:
        value = rate
        if callable(rate):
            value = rate(group, request)
        elif isinstance(rate, str) and "." in rate:
            value = import_string(rate)(group, request)
        seen["group"], seen["rate"] = group, value
        return value

    return resolve


def _remember(request: Any, usage: dict[str, Any] | None, seen: dict[str, Any]) -> None:
    wait = retry_after(usage)
    period = period_of(seen.get("rate"))
    windows: dict[str, counting.Window] = dict(getattr(request, "ratelimit_windows", None) or {})
    if usage and wait is not None and period is not None and conf.settings.RATELIMIT_HEADERS:
        allowed = not usage["should_limit"]
        window = counting.Window(usage["count"], usage["limit"], period, usage["time_left"], allowed)
        windows[str(seen["group"])] = window
    headers = throttling.ratelimit_headers(windows) if windows else {}
    inner = django_request(request)  # a DRF Request wraps the Django one
    for target in (request,) if inner is request else (request, inner):
        target.ratelimit_usage = usage
        target.ratelimit_retry_after = wait
        target.ratelimit_windows = windows
        target.ratelimit_headers = headers


def _usage(request: Any, **kwargs: Any) -> dict[str, Any] | None:
    try:
        return get_usage(request, increment=True, **kwargs)  # type: ignore[no-any-return]
    except ImproperlyConfigured:
        raise
    except Exception:
        return None if throttling.fail_open("Rate limit cache unavailable; request %s") else dict(_FAILED)


def _request_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A view function's request, or a view method's (the view comes first), or one passed by name."""
    for candidate in args[:2]:
        if hasattr(candidate, "META"):
            return candidate
    return kwargs.get("request", args[0] if args else None)


def _declared(view: Any) -> Any:
    """``view``, with its 429 declared for the schema (``api_errors``, as ``declares_errors`` sets it).

    An ``as_view()`` function gets it in its own ``initkwargs``, which the
    schema generator builds the view with: the class may have other routes.
    Under ``@api_view``, DRF keeps no trace of it.
    """
    initkwargs = getattr(view, "initkwargs", None)
    holder = initkwargs if isinstance(initkwargs, dict) else vars(view)
    declared: tuple[str, ...] = tuple(
        holder.get("api_errors") or getattr(getattr(view, "cls", None), "api_errors", None) or ()
    )
    merged = tuple(dict.fromkeys((*declared, "usage_limit_exceeded")))
    if isinstance(initkwargs, dict):
        view.initkwargs = {**initkwargs, "api_errors": merged}  # a dict of its own: wraps() shared fn's
    else:
        view.api_errors = merged
    return view


def ratelimit(
    group: str | None = None,
    key: Any = None,
    rate: Any = None,
    method: Any = ALL,
    block: bool = True,
) -> Callable[[F], F]:
    """django-ratelimit's decorator, with the same arguments and behaviour.

    It also serves ``async def`` views (which django-ratelimit's own does not):
    the count runs in a thread, through the cache's atomic sync ``incr``.  It
    decorates a view's methods too, without ``method_decorator``: on Python
    before 3.12 adrf does not see an ``async def`` method that
    ``method_decorator`` wrapped as async, and answers 500.
    """

    def decorator(fn: F) -> F:
        # django-ratelimit names a group after the function: every as_view()
        # function is "View.as_view.<locals>.view", so views decorated from
        # outside (an @api_view) shared one count.  Their class names them here.
        owner = getattr(fn, "view_class", None) or getattr(fn, "cls", None)
        named = group or (f"{owner.__module__}.{owner.__name__}" if isinstance(owner, type) else None)

        def check(request: Any) -> None:
            seen: dict[str, Any] = {}
            usage = _usage(request, group=named, fn=fn, key=key, rate=_capturing(rate, seen), method=method)
            limited = bool(usage and usage["should_limit"])
            request.limited = limited or getattr(request, "limited", False)
            _remember(request, usage, seen)
            if limited and block:
                cls = getattr(settings, "RATELIMIT_EXCEPTION_CLASS", Ratelimited)
                raise (import_string(cls) if isinstance(cls, str) else cls)()

        def finish(request: Any, response: Any) -> Any:
            if isinstance(response, HttpResponseBase):
                for name, value in getattr(request, "ratelimit_headers", {}).items():
                    response[name] = value
            return response

        if iscoroutinefunction(fn):

            @wraps(fn)
            async def awrapped(*args: Any, **kwargs: Any) -> Any:
                request = _request_of(args, kwargs)
                await sync_to_async(check)(request)
                return finish(request, await fn(*args, **kwargs))

            return cast("F", _declared(awrapped))

        @wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request = _request_of(args, kwargs)
            check(request)
            return finish(request, fn(*args, **kwargs))

        return cast("F", _declared(wrapped))

    return decorator
