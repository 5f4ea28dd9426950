"""Problem Details for HTTP APIs (RFC 9457): the negotiation and the body.

A client that lists ``application/problem+json`` in ``Accept`` (at least as
high as ``application/json``) gets the error as a problem document; with
``API_ERRORS["PROBLEM_DETAILS"] = True`` every client does, unless it prefers
``application/json``.  Status, headers and logging never change.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.utils.encoding import escape_uri_path, force_str

from django_api_errors import codes, conf
from django_api_errors._requests import django_request
from django_api_errors.problem import Problem

__all__ = ["JSON", "PROBLEM_JSON", "build_problem_details", "wants_problem_details"]

PROBLEM_JSON = "application/problem+json"
JSON = "application/json"
# The members RFC 9457 defines, which extension members never replace.
STANDARD_MEMBERS = ("type", "title", "status", "detail", "instance")


def _qualities(accept: str) -> tuple[float | None, float | None]:
    """The q-values ``accept`` gives problem+json and JSON (``None``: not listed)."""
    problem: float | None = None
    json: float | None = None
    for media_range in accept.split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        media_type = media_type.lower()
        if media_type not in (PROBLEM_JSON, JSON):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if media_type == PROBLEM_JSON:
            problem = quality
        else:
            json = quality
    return problem, json


def wants_problem_details(request: Any) -> bool:
    """True when the error for ``request`` should be ``application/problem+json``."""
    meta = getattr(django_request(request), "META", None) or {}
    accept: str = meta.get("HTTP_ACCEPT", "")
    default = conf.settings.PROBLEM_DETAILS
    if not default and "+" not in accept:
        return False  # The common case costs one substring test; "+json" needs a "+".
    problem, json = _qualities(accept)
    if problem is None:
        # JSON named and acceptable wins; otherwise the setting decides.
        return default and not json
    # problem+json named: unless refused, it wins over JSON or ties with it.
    return problem > 0 and (json is None or problem >= json)


def _type_and_title(problem: Problem, uri: str | None) -> tuple[str, str]:
    """With ``ERROR_URI`` the type is the code's documentation and the title its
    description; without, ``about:blank`` and the status phrase (RFC 9457 §4.2.1)."""
    entry = codes.get(problem.code) or codes.get(codes.closest(problem.status))
    assert entry is not None  # closest() always names a built-in code.
    if uri:
        return uri, force_str(entry.description)
    try:
        return "about:blank", HTTPStatus(problem.status).phrase
    except ValueError:  # A registered status HTTP has no phrase for.
        return "about:blank", force_str(entry.description)


def build_problem_details(problem: Problem, request_id: str, request: Any, uri: str | None) -> dict[str, Any]:
    """The RFC 9457 document for ``problem``, with the JSON body's members added."""
    type_uri, title = _type_and_title(problem, uri)
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title,
        "status": problem.status,
        "detail": force_str(problem.description),
        "instance": escape_uri_path(getattr(django_request(request), "path", "") or "/"),
        "error": problem.code,
        "request_id": request_id,
    }
    if problem.details is not None:
        body["details"] = problem.details
    for key, value in problem.extra.items():
        body.setdefault(key, value)
    return body
