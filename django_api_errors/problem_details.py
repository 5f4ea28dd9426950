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

from django_api_errors import _accept, codes, conf
from django_api_errors._accept import JSON, PROBLEM_JSON
from django_api_errors._requests import django_request
from django_api_errors.problem import Problem

__all__ = ["JSON", "PROBLEM_JSON", "build_problem_details", "wants_problem_details"]


def wants_problem_details(request: Any) -> bool:
    """True when the error for ``request`` should be ``application/problem+json``."""
    meta = getattr(django_request(request), "META", None) or {}
    default = conf.settings.PROBLEM_DETAILS
    if not default and "+" not in meta.get("HTTP_ACCEPT", ""):
        return False  # The common case costs one substring test; "+json" needs a "+".
    (problem, named), (json, _) = _accept.weights(meta, PROBLEM_JSON, JSON)
    if problem != json:
        return problem > json
    # A tie (no Accept, */*, both refused): the setting decides, or the client named it.
    return default or (named == 2 and problem > 0)


def _type_and_title(problem: Problem, uri: str | None) -> tuple[str, str]:
    """With ``ERROR_URI``, the code's documentation and description; without, ``about:blank`` and the
    status phrase (RFC 9457 §4.2.1), as for a status that only borrows a code (405, 406, 413, 428):
    it is not that code's problem type, so a 428's title does not say the resource changed."""
    entry = codes.get(problem.code) or codes.get(codes.closest(problem.status))
    assert entry is not None  # closest() always names a built-in code.
    if uri and problem.status == entry.status:
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
