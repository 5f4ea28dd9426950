"""The app's settings: one dict, ``API_ERRORS``, with the defaults filled in.

The dict is looked up once and kept until ``setting_changed`` names it, so
``override_settings`` just works and a project without ``API_ERRORS`` does not
pay for Django's failed settings lookup on every error response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.dispatch import receiver

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
}
DEFAULTS: dict[str, Any] = {name: default for name, (default, _) in SPEC.items()}


class Settings:
    """Attribute access to ``API_ERRORS`` with the defaults filled in."""

    def __init__(self) -> None:
        self._user: Mapping[str, Any] | None = None

    @property
    def user(self) -> Mapping[str, Any]:
        user = self._user
        if user is None:
            value = getattr(django_settings, "API_ERRORS", None)
            user = self._user = value if isinstance(value, Mapping) else {}
        return user

    def reload(self) -> None:
        """Forget the cached ``API_ERRORS``; the next read looks it up again."""
        self._user = None

    def _get(self, name: str) -> Any:
        return self.user.get(name, DEFAULTS[name])

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


settings = Settings()


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "API_ERRORS":
        settings.reload()
