"""The request behind a DRF ``Request``, and the request id every error of it shares."""

from __future__ import annotations

import os
import re
from typing import Any

from django_api_errors import conf

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}\Z")
_REQUEST_ID_ATTR = "api_errors_request_id"


def django_request(request: Any) -> Any:
    """The Django ``HttpRequest`` of ``request`` (a DRF ``Request`` wraps one)."""
    return getattr(request, "_request", request)


def new_request_id() -> str:
    """A random version 4 UUID in hex, like ``uuid.uuid4().hex`` without the ``UUID`` object."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    return raw.hex()


def get_request_id(request: Any) -> str:
    """The request's id: a safe incoming ``X-Request-ID``, or a new one.

    Stored on the Django request, so every error of one request shares it.
    """
    inner = django_request(request)
    rid: str | None = getattr(inner, _REQUEST_ID_ATTR, None)
    if rid is None:
        meta = getattr(inner, "META", {})
        header = "HTTP_" + conf.settings.REQUEST_ID_HEADER.upper().replace("-", "_")
        incoming = meta.get(header, "")
        rid = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        try:
            setattr(inner, _REQUEST_ID_ATTR, rid)
        except AttributeError:  # pragma: no cover - exotic request objects
            pass
    return rid
