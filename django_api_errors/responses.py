"""Building the documented error body and its response."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.encoding import force_str

from django_api_errors import codes, conf
from django_api_errors.problem_details import PROBLEM_JSON, build_problem_details, wants_problem_details

logger = logging.getLogger("django_api_errors")

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}\Z")
_REQUEST_ID_ATTR = "api_errors_request_id"

Details = list[dict[str, Any]]


@dataclass
class Problem:
    """One error, classified: what the body and the headers will say."""

    code: str
    status: int
    description: codes.Text
    details: Details | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_code(cls, code: str, description: codes.Text | None = None, **kwargs: Any) -> Problem:
        """A problem with ``code``'s status and, unless given, its wording."""
        entry = codes.get(code)
        if entry is None:
            raise KeyError(f"unknown error code {code!r}")
        # Not ``description or ...``: the truth test of a lazy text translates it.
        if description is None or (isinstance(description, str) and not description):
            description = entry.description
        return cls(code, entry.status, description, **kwargs)


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


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
    django_request = getattr(request, "_request", request)
    rid: str | None = getattr(django_request, _REQUEST_ID_ATTR, None)
    if rid is None:
        meta = getattr(django_request, "META", {})
        incoming = meta.get(_meta_key(conf.settings.REQUEST_ID_HEADER), "")
        rid = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        try:
            setattr(django_request, _REQUEST_ID_ATTR, rid)
        except AttributeError:  # pragma: no cover - exotic request objects
            pass
    return rid


def error_uri(code: str) -> str | None:
    base = conf.settings.ERROR_URI
    if not base:
        return None
    if "{code}" in base:
        return base.replace("{code}", code)
    return f"{base}#{code}"


def build_body(problem: Problem, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": problem.code,
        "error_description": force_str(problem.description),
    }
    uri = error_uri(problem.code)
    if uri:
        body["error_uri"] = uri
    body["request_id"] = request_id
    if problem.details is not None:
        body["details"] = problem.details
    for key, value in problem.extra.items():
        body.setdefault(key, value)
    return body


# One encoder for every body: json.dumps() builds a new one per call for
# any options but the defaults.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=force_str)


def _dumps(body: Mapping[str, Any]) -> bytes:
    return _ENCODER.encode(body).encode()


# The last resort when building a body failed: plain English, no table lookup,
# no translation, so nothing here can fail again.
_FALLBACK = {"error": "server_error", "error_description": "The server failed to handle the request."}
MINIMAL_BODY = json.dumps(_FALLBACK, separators=(",", ":")).encode()


def minimal_response(request: Any = None) -> HttpResponse:
    """A valid ``server_error`` answer that cannot fail to build."""
    response = HttpResponse(MINIMAL_BODY, status=500, content_type="application/json")
    try:
        rid = get_request_id(request) if request is not None else new_request_id()
        response.content = _dumps({**_FALLBACK, "request_id": rid})
        response[conf.settings.REQUEST_ID_HEADER] = rid
    except Exception:  # pragma: no cover - the fallback of the fallback
        pass
    return response


def render(problem: Problem, request: Any) -> HttpResponse:
    """The response for ``problem``: JSON, or Problem Details when negotiated."""
    rid = get_request_id(request)
    if wants_problem_details(request):
        body = build_problem_details(problem, rid, request, error_uri(problem.code))
        content_type = PROBLEM_JSON
    else:
        body = build_body(problem, rid)
        content_type = "application/json"
        hook = conf.settings.BODY_HOOK
        if hook is not None:
            body = hook(body, problem, request) or body
    response = HttpResponse(_dumps(body), status=problem.status, content_type=content_type)
    for name, value in problem.headers.items():
        response[name] = value
    response[conf.settings.REQUEST_ID_HEADER] = rid
    return response


def safe_render(
    problem: Problem, request: HttpRequest | Any, exc: BaseException | None = None
) -> HttpResponse:
    """:func:`render`, falling back to a minimal body if formatting fails.

    Both the formatting failure and ``exc``, the error being answered, are logged.
    """
    try:
        return render(problem, request)
    except Exception:
        logger.exception("Formatting a %s error failed", problem.code)
        if exc is not None:
            logger.error("The %s error being formatted", problem.code, exc_info=exc)
        return minimal_response(request)
