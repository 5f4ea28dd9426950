"""The app's settings: one dict, ``API_ERRORS``, read when used.

Each setting is declared once, as a :class:`Setting` on :class:`Settings`:
its default, the types it accepts, its lower bound, and the sentence the
README's settings table shows.  The properties, the system checks and the
generated table all read that declaration.  Values are cached per key and the
cache is cleared on ``setting_changed``, so ``override_settings`` just works.
The cache is the instance's ``__dict__``: a :class:`Setting` defines only
``__get__``, so once read, a value is a plain attribute (read on every request).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import cached_property
from typing import Any, Generic, TypeVar, overload

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

__all__ = ["SPEC", "Setting", "Settings", "settings"]

T = TypeVar("T")


def _clear_cache(*, setting: str, **kwargs: Any) -> None:
    if setting in ("API_ERRORS", "DEFAULT_CHARSET"):
        vars(settings).clear()


setting_changed.connect(_clear_cache)


# The types a label names, as the system check tests values against them.
_TYPES: dict[str, tuple[type, ...]] = {
    "bool": (bool,),
    "int": (int,),
    "str": (str,),
    "None": (type(None),),
    "timedelta": (timedelta,),
    "dict": (Mapping,),
    "list[str]": (list, tuple),
}


class Setting(Generic[T]):
    """One key of ``API_ERRORS``: declared once, read as an attribute of :data:`settings`."""

    def __init__(
        self,
        default: Any,
        label: str,
        doc: str,
        *,
        minimum: int | None = None,
        dotted: str | None = None,
        convert: Callable[[Any], T] | None = None,
    ) -> None:
        self.default = default
        self.label = label  # the type as the README shows it, and what the check accepts
        self.types = tuple(t for part in label.split(" | ") for t in _TYPES[part])
        self.doc = doc
        self.minimum = minimum
        self.dotted = dotted  # a dotted path to a callable of this signature
        self.convert = convert
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        SPEC[name] = self

    @overload
    def __get__(self, obj: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object | None, owner: type) -> Setting[T] | T:
        if obj is None:
            return self
        user = getattr(django_settings, "API_ERRORS", None)
        value = user.get(self.name, self.default) if isinstance(user, Mapping) else self.default
        value = vars(obj)[self.name] = self.convert(value) if self.convert else value
        return value

    def valid(self, value: Any) -> bool:
        """What the system check accepts for this key."""
        if not isinstance(value, self.types) or (isinstance(value, bool) and bool not in self.types):
            return False
        if self.minimum is not None:
            if isinstance(value, timedelta):
                return value > timedelta(seconds=self.minimum - 1)
            if isinstance(value, int) and value < self.minimum:
                return False
        if self.dotted is not None and isinstance(value, str):
            try:
                return callable(import_string(value))
            except ImportError:
                return False
        return True

    def hint(self) -> str:
        if self.dotted is not None:
            return f"Expected the dotted path of a {self.dotted}, or None."
        at_least = f" of at least {self.minimum}" if self.minimum is not None else ""
        return f"Expected {self.label}{at_least}."


def _seconds(value: Any) -> timedelta | None:
    return value if value is None or isinstance(value, timedelta) else timedelta(seconds=int(value))


SPEC: dict[str, Setting[Any]] = {}


class Settings:
    """Attribute access to ``API_ERRORS`` with the defaults filled in."""

    ERROR_URI: Setting[str | None] = Setting(
        None,
        "str | None",
        "documentation URL of the codes; `{code}` is replaced, otherwise `#<code>` is appended; "
        "adds `error_uri` to bodies",
    )
    HTML_PATH_PREFIXES: Setting[tuple[str, ...] | None] = Setting(
        None,
        "list[str] | None",
        "where a browser can get Django's HTML error pages: `None`, every path whose request prefers "
        "`text/html` to JSON in `Accept`; a list, only paths under these prefixes",
        convert=lambda value: None if value is None else tuple(value),
    )
    JSON_PATH_PREFIXES: Setting[tuple[str, ...]] = Setting(
        (),
        "list[str]",
        "paths under these prefixes always answer errors in JSON, whatever `Accept` says",
        convert=tuple,
    )
    REQUEST_CONTENT_CODINGS: Setting[frozenset[str]] = Setting(
        (),
        "list[str]",
        'content codings of request bodies your stack decodes before views read them (`["gzip"]`); '
        "`ErrorMiddleware` answers a body in any other `Content-Encoding` with 415 `invalid_content_type`",
        convert=lambda value: frozenset(str(coding).lower() for coding in value),
    )
    DEBUG_TRACEBACK: Setting[bool] = Setting(
        True, "bool", "with `DEBUG=True`, add the traceback to `server_error` bodies"
    )
    REQUEST_ID_HEADER: Setting[str] = Setting(
        "X-Request-ID",
        "str",
        "header read for an incoming request id (reused only if it is 1-200 of `A-Za-z0-9._-`) and sent "
        "back, on every response with `ErrorMiddleware`",
    )
    TRACEPARENT: Setting[bool] = Setting(
        True,
        "bool",
        "without a usable request id header, a valid W3C `traceparent`'s trace id is the request id",
    )
    SENTRY_EVENT_ID: Setting[bool] = Setting(
        False,
        "bool",
        "with sentry-sdk initialised and `ErrorMiddleware` installed, `server_error` bodies carry "
        "the id of Sentry's event as `event_id`",
    )
    CODES: Setting[Mapping[str, Mapping[str, Any]]] = Setting(
        {},
        "dict",
        'your own codes: `{"payment_required": {"status": 402, "description": "...", "action": "..."}}`',
        convert=lambda value: value if isinstance(value, Mapping) else {},
    )
    WWW_AUTHENTICATE: Setting[str] = Setting(
        'Session realm="api"',
        "str",
        "challenge on a 401 when no authenticator offers one (session-only APIs, `session_expired`)",
    )
    FIELD_NAMES: Setting[str | None] = Setting(
        "auto",
        "str | None",
        'the names `details[].field`, `pointer` and a 409\'s `fields` use: `"auto"` (camelCase where '
        'the view uses djangorestframework-camel-case), `"camelCase"`, `None` (the serializer\'s '
        "names), or the dotted path of a `callable(name) -> str`",
        convert=lambda value: str(value) if value else None,
    )
    RETRY_AFTER: Setting[int] = Setting(
        60,
        "int",
        "`Retry-After` seconds when whatever refused the request did not say (DRF's `wait()` gave "
        "none, django-ratelimit's own decorator, a cache outage with fail-closed)",
        minimum=1,
    )
    RATELIMIT_HEADERS: Setting[bool] = Setting(
        True, "bool", "the app's throttles add `RateLimit-Policy` and `RateLimit` headers"
    )
    TRUSTED_PROXIES: Setting[int] = Setting(
        0,
        "int",
        "how many proxies append to `X-Forwarded-For`; `0`: the app's throttles tell clients apart "
        "by `REMOTE_ADDR` only",
        minimum=0,
        convert=lambda value: max(0, int(value)),
    )
    THROTTLE_FAIL_OPEN: Setting[bool] = Setting(
        True,
        "bool",
        "when the throttle's cache is unreachable: `True` lets requests through, `False` answers "
        "429 `usage_limit_exceeded`",
    )
    TOKEN_LIFETIME: Setting[timedelta | None] = Setting(
        None,
        "int | timedelta | None",
        "lifetime (seconds or a `timedelta`, from `created`) of `ExpiringTokenAuthentication` "
        "tokens; `None`: they never expire",
        minimum=1,
        convert=_seconds,
    )
    SCOPES_GETTER: Setting[str | None] = Setting(
        None,
        "str | None",
        "dotted path of `callable(request)` returning the scopes the credentials grant, or `None` "
        "when they carry none; `None`: `permissions.token_scopes`",
        dotted="callable(request)",
    )
    PROBLEM_DETAILS: Setting[bool] = Setting(
        False,
        "bool",
        "answer `application/problem+json` (RFC 9457) unless the client prefers `application/json`; "
        "with `False`, only clients that ask for it get it",
    )
    REQUIRE_IF_MATCH: Setting[bool] = Setting(
        False,
        "bool",
        "views with `ConditionalRequestMixin` answer 428 `precondition_failed` to a `PUT`, `PATCH` "
        "or `DELETE` without `If-Match` (a view's `require_if_match` wins)",
    )
    IF_MATCH_WEAKENED: Setting[bool] = Setting(
        False,
        "bool",
        '`ConditionalRequestMixin` also accepts `W/"x"` in `If-Match` when `"x"` is the current tag: '
        "what a client holds once `GZipMiddleware` or a proxy's compression weakened the strong `ETag` "
        "it was sent (the mixin never sends weak tags itself)",
    )
    BODY_HOOK: Setting[Callable[..., Any] | None] = Setting(
        None,
        "str | None",
        "dotted path of `callable(body, problem, request)` run on every `application/json` error "
        "body (Problem Details documents keep the members RFC 9457 defines); it may "
        "change `body` in place or return a new dict. If it raises, the client gets a minimal "
        "`server_error` body and the failure is logged",
        dotted="callable(body, problem, request)",
        convert=lambda path: import_string(path) if path else None,
    )

    @cached_property
    def request_id_names(self) -> tuple[str, str, str]:
        """``REQUEST_ID_HEADER`` as sent, as Django's header store keys it, and as a ``META`` key."""
        name = self.REQUEST_ID_HEADER
        return name, name.lower(), "HTTP_" + name.upper().replace("-", "_")

    @cached_property
    def default_charset(self) -> str:
        """Django's ``DEFAULT_CHARSET``, read once: each read of Django's settings runs Python code."""
        return str(django_settings.DEFAULT_CHARSET)


settings = Settings()
