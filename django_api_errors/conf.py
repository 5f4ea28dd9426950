"""The app's settings: one dict, ``API_ERRORS``, read when used.

Values are cached per key, and the cache is cleared on ``setting_changed``,
so ``override_settings`` just works and the error path pays a dict lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

# name -> (default, accepted types).  The system checks validate against it.
SPEC: dict[str, tuple[Any, tuple[type, ...]]] = {
    # Where each code is documented: "https://example.com/errors#{code}".
    # Without "{code}", "#<code>" is appended.  None leaves error_uri out.
    "ERROR_URI": (None, (str, type(None))),
    # Paths under these prefixes get Django's HTML error pages when the
    # client's Accept header asks for text/html.  Empty: JSON everywhere.
    "HTML_PATH_PREFIXES": ((), (list, tuple)),
    # With DEBUG=True, a server_error body carries the traceback.
    "DEBUG_TRACEBACK": (True, (bool,)),
    # The header that carries the request id in and out.
    "REQUEST_ID_HEADER": ("X-Request-ID", (str,)),
    # Your own codes: {"payment_required": {"status": 402, "description": "..."}}
    "CODES": ({}, (Mapping,)),
    # The challenge sent on a 401 when the authenticator has none of its own.
    "WWW_AUTHENTICATE": ('Session realm="api"', (str,)),
    # Retry-After (seconds) when whatever refused the request did not say.
    "RETRY_AFTER": (60, (int,)),
    # The app's throttles add RateLimit-Policy and RateLimit header fields.
    "RATELIMIT_HEADERS": (True, (bool,)),
    # How many proxies in front of the app append to X-Forwarded-For.  0:
    # clients are told apart by REMOTE_ADDR alone.
    "TRUSTED_PROXIES": (0, (int,)),
    # When the throttle's cache is unreachable: True lets requests through,
    # False refuses them with 429 usage_limit_exceeded.
    "THROTTLE_FAIL_OPEN": (True, (bool,)),
    # How long a token of authentication.ExpiringTokenAuthentication lives
    # (seconds or a timedelta, from its creation).  None: tokens never expire.
    "TOKEN_LIFETIME": (None, (int, timedelta, type(None))),
    # Dotted path of a callable(request) -> iterable of scopes, or None when
    # the credentials carry no scopes.  None: permissions.token_scopes.
    "SCOPES_GETTER": (None, (str, type(None))),
    # Answer application/problem+json (RFC 9457) unless the client prefers
    # application/json.  False: only clients that ask for it get it.
    "PROBLEM_DETAILS": (False, (bool,)),
    # Views with ConditionalRequestMixin answer 428 to writes without If-Match.
    "REQUIRE_IF_MATCH": (False, (bool,)),
    # Dotted path of callable(body, problem, request) -> dict | None, run on
    # every JSON error body to add or rename members.  If it raises, the client
    # gets a minimal server_error body and both errors are logged.
    "BODY_HOOK": (None, (str, type(None))),
    # The names details[].field and pointer use: "auto" (camelCase where the
    # view uses djangorestframework-camel-case), "camelCase", None (the
    # serializer's names), or the dotted path of a callable(name) -> str.
    "FIELD_NAMES": ("auto", (str, type(None))),
}
DEFAULTS: dict[str, Any] = {name: default for name, (default, _) in SPEC.items()}
_cache: dict[str, Any] = {}


def _clear_cache(*, setting: str, **kwargs: Any) -> None:
    if setting == "API_ERRORS":
        _cache.clear()


setting_changed.connect(_clear_cache)


class Settings:
    """Attribute access to ``API_ERRORS`` with the defaults filled in."""

    @property
    def user(self) -> Mapping[str, Any]:
        value = getattr(django_settings, "API_ERRORS", None)
        return value if isinstance(value, Mapping) else {}

    def _get(self, name: str) -> Any:
        try:
            return _cache[name]
        except KeyError:
            value = _cache[name] = self.user.get(name, DEFAULTS[name])
            return value

    @property
    def ERROR_URI(self) -> str | None:
        return self._get("ERROR_URI")  # type: ignore[no-any-return]

    @property
    def HTML_PATH_PREFIXES(self) -> list[str]:
        return list(self._get("HTML_PATH_PREFIXES"))

    @property
    def DEBUG_TRACEBACK(self) -> bool:
        return bool(self._get("DEBUG_TRACEBACK"))

    @property
    def REQUEST_ID_HEADER(self) -> str:
        return str(self._get("REQUEST_ID_HEADER"))

    @property
    def CODES(self) -> Mapping[str, Mapping[str, Any]]:
        value = self._get("CODES")
        return value if isinstance(value, Mapping) else {}

    @property
    def WWW_AUTHENTICATE(self) -> str:
        return str(self._get("WWW_AUTHENTICATE"))

    @property
    def RETRY_AFTER(self) -> int:
        return int(self._get("RETRY_AFTER"))

    @property
    def RATELIMIT_HEADERS(self) -> bool:
        return bool(self._get("RATELIMIT_HEADERS"))

    @property
    def TRUSTED_PROXIES(self) -> int:
        return max(0, int(self._get("TRUSTED_PROXIES")))

    @property
    def THROTTLE_FAIL_OPEN(self) -> bool:
        return bool(self._get("THROTTLE_FAIL_OPEN"))

    @property
    def TOKEN_LIFETIME(self) -> timedelta | None:
        value = self._get("TOKEN_LIFETIME")
        if value is None or isinstance(value, timedelta):
            return value
        return timedelta(seconds=int(value))

    @property
    def SCOPES_GETTER(self) -> str | None:
        value = self._get("SCOPES_GETTER")
        return str(value) if value else None

    @property
    def PROBLEM_DETAILS(self) -> bool:
        return bool(self._get("PROBLEM_DETAILS"))

    @property
    def BODY_HOOK(self) -> Callable[..., Any] | None:
        try:
            return _cache["BODY_HOOK()"]  # type: ignore[no-any-return]
        except KeyError:
            path = self._get("BODY_HOOK")
            hook = _cache["BODY_HOOK()"] = import_string(path) if path else None
            return hook

    @property
    def REQUIRE_IF_MATCH(self) -> bool:
        return bool(self._get("REQUIRE_IF_MATCH"))

    @property
    def FIELD_NAMES(self) -> str | None:
        value = self._get("FIELD_NAMES")
        return str(value) if value else None


settings = Settings()
