"""Rendering a :class:`~django_api_errors.problem.Problem` as the documented response."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.encoding import force_str

from django_api_errors import _headers, conf
from django_api_errors._requests import get_request_id, new_request_id
from django_api_errors.problem import Problem
from django_api_errors.problem_details import PROBLEM_JSON, build_problem_details, wants_problem_details

__all__ = ["build_body", "cache_safe", "error_uri", "minimal_response", "render"]

_R = TypeVar("_R", bound=HttpResponseBase)
_VARY = ("Accept", "Accept-Language")
_CACHE_SAFE = (("Vary", ", ".join(_VARY)), ("Cache-Control", "no-store"))


def error_uri(code: str) -> str | None:
    """Where ``code`` is documented, from ``API_ERRORS["ERROR_URI"]``."""
    base = conf.settings.ERROR_URI
    if not base:
        return None
    if "{code}" in base:
        return base.replace("{code}", code)
    return f"{base}#{code}"


def build_body(problem: Problem, request_id: str) -> dict[str, Any]:
    """The documented JSON body: ``error``, ``error_description``, ... then extra members."""
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
    response = cache_safe(HttpResponse(MINIMAL_BODY, status=500, content_type="application/json"))
    try:
        rid = get_request_id(request) if request is not None else new_request_id()
        response.content = _dumps({**_FALLBACK, "request_id": rid})
        response[conf.settings.REQUEST_ID_HEADER] = rid
    except Exception:  # pragma: no cover - the fallback of the fallback
        pass
    return response


def cache_safe(response: _R) -> _R:
    """Keep shared caches from storing an error or serving it in another format.

    404 and 405 are cacheable by default (RFC 9110 §15.1), and the body's
    format follows ``Accept`` and its text ``Accept-Language`` (§12.5.5).
    """
    if response.has_header("Vary"):
        patch_vary_headers(response, _VARY)
        response.headers["Cache-Control"] = "no-store"
    else:  # the usual case, a response built here
        _headers.set_ascii(response, _CACHE_SAFE)
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
    return cache_safe(response)
