"""DRF throttles that count atomically in a shared cache.

Drop-in replacements for DRF's ``AnonRateThrottle``, ``UserRateThrottle`` and
``ScopedRateThrottle``: same scopes, same ``DEFAULT_THROTTLE_RATES``, same
``rate`` attribute, and ``cache`` / ``timer`` can be swapped as in DRF.  They
keep DRF's promise (at most the limit in any span of the period, refused
requests not counted), but DRF reads a history from the cache and writes it
back later, so concurrent requests all pass; these decide with one atomic
cache operation (see :mod:`django_api_errors.throttling._counting`), whatever
the number of workers and hosts.

They also add the ``RateLimit-Policy`` and ``RateLimit`` header fields to the
view's responses, 2xx and 429 alike, unless ``API_ERRORS["RATELIMIT_HEADERS"]``
is ``False``: the syntax of draft-ietf-httpapi-ratelimit-headers after -11
(``a`` available, ``w`` effective window; docs/throttling.md says which text).

In adrf's async views served under ASGI, with Redis, the count runs on the
event loop through ``redis.asyncio`` (:meth:`AtomicRateThrottle.aallow_request`).
adrf (0.1.12 to 0.1.14) runs authentication, permissions and throttles in a
worker thread (``sync_to_async(self.initial)``) and awaits a throttle's
coroutine from there with ``async_to_sync``; ``allow_request`` does the same
when it meets such a view.  Sync views, WSGI and the other caches keep the
sync count, in the thread that checks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIRequest
from rest_framework import throttling as drf

from django_api_errors import conf
from django_api_errors._requests import django_request
from django_api_errors.problem import retry_after
from django_api_errors.throttling import _counting as counting

logger = logging.getLogger("django_api_errors.throttling.throttles")

_LIMITS_ATTR = "_api_errors_rate_limits"


def _without_port(address: str) -> str:
    # Load balancers may write "1.2.3.4:5555" or "[2001:db8::1]:443"; a bare
    # IPv6 address has colons too, but never brackets.
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    host, colon, port = address.rpartition(":")
    return host if colon and port.isdigit() and "." in host and ":" not in host else address


def normalize_address(address: str) -> str:
    """The bucket of a client address: IPv4 as is, IPv6 by its /64 network.

    One IPv6 subscriber usually holds a whole /64, so counting single
    addresses would hand them 2**64 buckets.  A port a proxy appended is dropped.
    """
    address = _without_port(address.strip())
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return f"{ipaddress.ip_network((ip, 64), strict=False).network_address}/64"
    return str(ip)


def client_address(request: Any) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as configured.

    With ``API_ERRORS["TRUSTED_PROXIES"] = 0`` (the default) only
    ``REMOTE_ADDR`` counts, so a client cannot pick new buckets by sending
    ``X-Forwarded-For``.  With ``n`` trusted proxies, the ``n``-th address
    from the right is the one the outermost trusted proxy saw; entries a
    client wrote further left are ignored.
    """
    meta = request.META
    address = str(meta.get("REMOTE_ADDR") or "")
    proxies = conf.settings.TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return normalize_address(address)


def fail_open(message: str, *args: Any) -> bool:
    """Log that the cache raised, the verdict then ``args`` in ``message``; whether the request passes."""
    allowed = conf.settings.THROTTLE_FAIL_OPEN
    logger.warning(message, "allowed" if allowed else "refused", *args, exc_info=True, stacklevel=2)
    return allowed


def sf_string(value: str) -> str:
    """``value`` as a Structured Fields String (RFC 9651 §3.3.3)."""
    printable = "".join(ch if " " <= ch <= "~" else "?" for ch in value)
    return '"' + printable.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ratelimit_headers(limits: Mapping[str, counting.Window]) -> dict[str, str]:
    """``RateLimit-Policy`` and ``RateLimit`` for the policies a request met.

    In ``RateLimit``, ``a`` is the quota available and ``w`` the effective
    window: the seconds until one more request would pass (``Retry-After``
    when ``a`` is 0), else until the oldest counted request leaves the period.
    A refused request lists only the policies that refused it, so no effective
    window ends after its ``Retry-After`` (the largest of their waits).
    """
    policies = [f"{sf_string(name)};q={w.limit};w={w.duration}" for name, w in limits.items()]
    refused = any(not w.allowed for w in limits.values())
    current = [
        f"{sf_string(name)};a={w.remaining};w={w.wait}"
        for name, w in limits.items()
        if not (refused and w.allowed)
    ]
    return {"RateLimit-Policy": ", ".join(policies), "RateLimit": ", ".join(current)}


def record(view: Any, name: str, window: counting.Window) -> None:
    """Remember ``window`` on the view and refresh its rate-limit headers.

    DRF copies ``view.headers`` onto the final response, the 429 included.
    """
    if not conf.settings.RATELIMIT_HEADERS or view is None:
        return
    limits: dict[str, counting.Window] | None = getattr(view, _LIMITS_ATTR, None)
    if limits is None:
        limits = {}
        try:
            setattr(view, _LIMITS_ATTR, limits)
        except AttributeError:  # pragma: no cover - exotic view objects
            return
    limits[name] = window
    headers = getattr(view, "headers", None)
    if isinstance(headers, dict):
        headers.update(ratelimit_headers(limits))


_async_views: WeakKeyDictionary[type, bool] = WeakKeyDictionary()


def _is_async_view(view_class: type) -> bool:
    found = _async_views.get(view_class)
    if found is None:  # adrf's viewsets look through all their methods to tell
        found = _async_views[view_class] = bool(getattr(view_class, "view_is_async", False))
    return found


def counts_on_loop(request: Any, view: Any, cache: Any) -> bool:
    """Whether a sync check should hand the count to the event loop.

    Yes for an async (adrf) view under ASGI, checked in a thread of the
    loop's (not on the loop itself), with a cache that ``redis.asyncio`` can
    count in.  Under WSGI an async view gets a loop of its own per request,
    which a connection would not outlive: the count stays sync there.
    """
    if not isinstance(django_request(request), ASGIRequest) or not _is_async_view(type(view)):
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return counting.counts_on_loop(cache)
    return False


class AtomicRateThrottle(drf.SimpleRateThrottle):
    """``SimpleRateThrottle`` counted atomically: at most the limit in any span of the period.

    Subclass it like DRF's ``SimpleRateThrottle``: set ``scope`` or ``rate``
    and implement ``get_cache_key()``.  When the cache is unreachable the
    request passes or is refused as ``API_ERRORS["THROTTLE_FAIL_OPEN"]``
    says; it never fails with a server error.
    """

    window: counting.Window | None = None
    num_requests: int | None
    duration: int | None

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def policy_name(self) -> str:
        """The policy's name in the headers: the scope, else the class name."""
        return str(getattr(self, "scope", None) or type(self).__name__)

    def _start(self, request: Any, view: Any) -> bool:
        """Find the key and the time of this request; ``False`` when it is not throttled."""
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return False
        self.now = self.timer()
        self.window = None
        return True

    def _unavailable(self) -> bool:
        return fail_open("Throttle cache unavailable; request %s (%s)", self.policy_name())

    def _settle(self, view: Any, window: counting.Window) -> bool:
        self.window = window
        record(view, self.policy_name(), window)
        return window.allowed or self.throttle_failure()

    def allow_request(self, request: Any, view: Any) -> bool:
        if not self._start(request, view):
            return True
        assert self.key is not None and self.num_requests is not None and self.duration is not None
        if counts_on_loop(request, view, self.cache):
            return bool(async_to_sync(self._acount)(view))
        try:
            window = counting.hit(self.cache, self.key, self.num_requests, self.duration, self.now)
        except Exception:
            return self._unavailable()
        return self._settle(view, window)

    async def aallow_request(self, request: Any, view: Any) -> bool:
        """``allow_request`` on the event loop: Redis through ``redis.asyncio``, other caches in a thread.

        ``get_cache_key`` runs on the loop: the user must be authenticated already.
        """
        if not self._start(request, view):
            return True
        return await self._acount(view)

    async def _acount(self, view: Any) -> bool:
        assert self.num_requests is not None and self.duration is not None and self.key is not None
        try:
            window = await counting.ahit(self.cache, self.key, self.num_requests, self.duration, self.now)
        except Exception:
            return self._unavailable()
        return self._settle(view, window)

    def wait(self) -> float | None:
        """Whole seconds until a request would pass again (at least 1); ``RETRY_AFTER`` on cache failure."""
        return float(retry_after(None) if self.window is None else self.window.wait)


class AnonRateThrottle(drf.AnonRateThrottle, AtomicRateThrottle):
    """DRF's ``AnonRateThrottle`` (scope ``anon``), counted atomically."""


class UserRateThrottle(drf.UserRateThrottle, AtomicRateThrottle):
    """DRF's ``UserRateThrottle`` (scope ``user``), counted atomically."""


class ScopedRateThrottle(drf.ScopedRateThrottle, AtomicRateThrottle):
    """DRF's ``ScopedRateThrottle`` (the view's ``throttle_scope``), counted atomically."""
