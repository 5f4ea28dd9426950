"""The error responses of each operation, in drf-spectacular's OpenAPI schema.

``REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.schema.AutoSchema"}``,
or mix :class:`ErrorResponsesMixin` into an ``AutoSchema`` of your own.  Each
operation gets the responses :func:`~django_api_errors.openapi._inspection.view_errors`
finds, in ``application/json`` and ``application/problem+json``, all built on
two shared components whose ``error`` enum each response narrows.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent, force_instance, is_serializer

from django_api_errors import _details as details
from django_api_errors import codes, conf
from django_api_errors.openapi import _inspection as inspection
from django_api_errors.problem_details import JSON, PROBLEM_JSON, build_problem_details
from django_api_errors.responses import Details, Problem, build_body, error_uri

ERROR = "ApiError"
DETAIL = "ApiErrorDetail"
PROBLEM = "ProblemDetails"
EXAMPLE_REQUEST_ID = "5f0c3a2e9d7b4c1e8a6f2b3d4c5e6f70"

REQUEST_ID_TEXT = _("The request's id, also in the body as request_id.")
ALLOW_TEXT = _("The methods this path accepts.")


def _string(description: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra, "description": force_str(description)}


def _detail_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "field": _string(
                _(
                    "Dotted path of the field (items.0.name) in the names the client sent; "
                    "null for the whole body."
                ),
                nullable=True,
            ),
            "pointer": _string(
                _('JSON Pointer (RFC 6901) into the request body, e.g. /items/0/name; "" for the whole body.')
            ),
            "in": _string(
                _("Where the error was when not in the body: query (a query parameter)."), enum=["query"]
            ),
            "code": _string(_("Machine-readable reason, e.g. required or max_length.")),
            "message": _string(_("Human-readable message.")),
        },
        "required": ["field", "code", "message"],
    }


def _error_schema(all_codes: list[str], detail_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": force_str(_("The documented error body (OAuth 2.0 error members, RFC 6749 §5.2).")),
        "properties": {
            "error": _string(_("The error code; see the error reference."), enum=all_codes),
            "error_description": _string(_("What went wrong, for people.")),
            "error_uri": _string(_("Documentation of the code."), format="uri"),
            "request_id": _string(REQUEST_ID_TEXT),
            "details": {"type": "array", "items": detail_ref},
        },
        "required": ["error", "error_description", "request_id"],
        "additionalProperties": True,
    }


def _problem_schema(all_codes: list[str], detail_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": force_str(
            _("Problem Details for HTTP APIs (RFC 9457), sent on Accept: application/problem+json.")
        ),
        "properties": {
            "type": _string(
                _("The problem type: the code's documentation, or about:blank."), format="uri-reference"
            ),
            "title": _string(_("Short summary of the problem type.")),
            "status": {"type": "integer", "description": force_str(_("The HTTP status."))},
            "detail": _string(_("What went wrong in this occurrence, for people.")),
            "instance": _string(_("The path of the request."), format="uri-reference"),
            "error": _string(_("The error code; see the error reference."), enum=all_codes),
            "request_id": _string(REQUEST_ID_TEXT),
            "details": {"type": "array", "items": detail_ref},
        },
        "required": ["type", "title", "status", "detail", "instance", "error", "request_id"],
        "additionalProperties": True,
    }


def components(registry: ComponentRegistry) -> tuple[dict[str, Any], dict[str, Any]]:
    """Register the shared error schemas; the refs of the JSON body and the problem."""
    all_codes = sorted(codes.all_codes())

    def register(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name, ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        registry.register_on_missing(component)
        return component.ref

    detail_ref = register(DETAIL, _detail_schema())
    return (
        register(ERROR, _error_schema(all_codes, detail_ref)),
        register(PROBLEM, _problem_schema(all_codes, detail_ref)),
    )


def _narrowed(
    ref: dict[str, Any], status: int, error_codes: list[str], field_codes: list[str] | None, problem: bool
) -> dict[str, Any]:
    properties: dict[str, Any] = {"error": {"type": "string", "enum": error_codes}}
    if problem:
        properties["status"] = {"type": "integer", "enum": [status]}
    if field_codes:
        item = {"type": "object", "properties": {"code": {"type": "string", "enum": field_codes}}}
        properties["details"] = {"type": "array", "items": item}
    return {"allOf": [ref, {"type": "object", "properties": properties}]}


def _example_problem(status: int, code: str, details: Details | None, extra: dict[str, Any]) -> Problem:
    problem = Problem.for_code(code, details=details, extra=dict(extra))
    problem.status = status
    if code == "usage_limit_exceeded":
        problem.extra["retry_after"] = conf.settings.RETRY_AFTER
    return problem


def _examples(
    status: int, error_codes: list[str], details: Details | None, path: str, extra: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    as_json: dict[str, Any] = {}
    as_problem: dict[str, Any] = {}
    request = SimpleNamespace(path=re.sub(r"{[^}/]+}", "1", path))
    for code in error_codes:
        problem = _example_problem(
            status, code, details if code == "invalid_request" else None, extra.get(code, {})
        )
        summary = force_str(problem.description)
        as_json[code] = {"summary": summary, "value": build_body(problem, EXAMPLE_REQUEST_ID)}
        value = build_problem_details(problem, EXAMPLE_REQUEST_ID, request, error_uri(code))
        as_problem[code] = {"summary": summary, "value": value}
    return as_json, as_problem


def _headers(status: int, error_codes: list[str]) -> dict[str, Any]:
    headers: dict[str, Any] = {
        conf.settings.REQUEST_ID_HEADER: {
            "schema": {"type": "string"},
            "description": force_str(REQUEST_ID_TEXT),
        }
    }
    if status == 405:
        headers["Allow"] = {"schema": {"type": "string"}, "description": force_str(ALLOW_TEXT)}
    for code in error_codes:
        entry = codes.get(code)
        for name in entry.headers if entry is not None else ():
            headers.setdefault(name, {"schema": {"type": "string"}})
    return headers


def error_responses(
    registry: ComponentRegistry,
    found: inspection.ViewErrors,
    path: str,
    extra: dict[str, dict[str, Any]] | None = None,
    sample_details: Details | None = None,
) -> dict[str, Any]:
    """The OpenAPI ``responses`` entries for ``found``, keyed by status.

    ``extra``: example members per code; ``sample_details``: example field errors of the 400.
    """
    error_ref, problem_ref = components(registry)
    responses: dict[str, Any] = {}
    for status, error_codes in found.statuses.items():
        field_codes = found.field_codes.get(status)
        details = sample_details if status == 400 else None
        as_json, as_problem = _examples(status, error_codes, details, path, extra or {})
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = str(status)
        responses[str(status)] = {
            "description": f"{phrase}: " + ", ".join(error_codes),
            "headers": _headers(status, error_codes),
            "content": {
                JSON: {
                    "schema": _narrowed(error_ref, status, error_codes, field_codes, False),
                    "examples": as_json,
                },
                PROBLEM_JSON: {
                    "schema": _narrowed(problem_ref, status, error_codes, field_codes, True),
                    "examples": as_problem,
                },
            },
        }
    return responses


def _sample_details(serializer: Any, view: Any = None) -> Details | None:
    """A realistic ``details`` entry: the first required field of the body, missing."""
    for name, item in serializer.fields.items():
        if item.required and not item.read_only and "required" in item.error_messages:
            return [details.entry(name, "required", force_str(item.error_messages["required"]), view)]
    return None


class ErrorResponsesMixin:
    """Adds the documented error responses to each operation of an ``AutoSchema``."""

    view: Any
    method: str
    registry: ComponentRegistry

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(  # type: ignore[misc]
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        serializer = self._body_serializer() if self.method in inspection.BODY_METHODS else None
        detail_route = "{" in path
        found = inspection.view_errors(
            self.view, self.method, detail_route=detail_route, serializer=serializer
        )
        parsers = inspection.view_components(self.view, "get_parsers", "parser_classes")
        extra = {"invalid_content_type": {"supported_media_types": [p.media_type for p in parsers]}}
        sample = _sample_details(serializer, self.view) if serializer is not None else None
        responses = operation.setdefault("responses", {})
        for status, response in error_responses(registry, found, path, extra, sample).items():
            responses.setdefault(status, response)  # an explicit @extend_schema response wins
        return operation

    def _body_serializer(self) -> Any:
        # drf-spectacular has already resolved this for the request body.
        serializer = force_instance(self.get_request_serializer())  # type: ignore[attr-defined,no-untyped-call]
        return serializer if is_serializer(serializer) else None


class AutoSchema(ErrorResponsesMixin, SpectacularAutoSchema):
    """drf-spectacular's ``AutoSchema`` with the documented error responses."""


class ExpiringTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The security scheme of ``ExpiringTokenAuthentication`` and its subclasses."""

    target_class = "django_api_errors.auth.authentication.ExpiringTokenAuthentication"
    match_subclasses = True
    name = "expiringToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        keyword = str(getattr(self.target, "keyword", "Token"))
        if keyword.lower() == "bearer":
            return {"type": "http", "scheme": "bearer"}
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f'A token with the prefix "{keyword} ".',
        }
