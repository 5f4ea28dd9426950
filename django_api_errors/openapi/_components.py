"""The named error schemas: one per documented code, on a shared ``ApiError`` base.

Client generators turn each named schema into one type, so every operation
refers to these by ``$ref`` (a ``oneOf`` where a status has several codes)
instead of describing its errors inline.

The server sends these members as named here, whatever the views' renderer
does to their own bodies (djangorestframework-camel-case), so each schema is
handed out as a copy: a postprocessing hook that rewrites the registry's
schemas in place (drf-spectacular's ``camelize_serializer_fields``) then
leaves the document's error schemas as they are.  Their enums are named
components of their own, so that no hook needs to rewrite them either
(``postprocess_schema_enums`` would otherwise name one).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent
from drf_spectacular.settings import spectacular_settings

from django_api_errors import codes

ERROR = "ApiError"
DETAIL = "ApiErrorDetail"
PROBLEM = "ProblemDetails"
CODE_ENUM = "ErrorCode"
DETAIL_IN = "ApiErrorDetailIn"
RESERVED = frozenset({ERROR, DETAIL, PROBLEM, CODE_ENUM, DETAIL_IN})

REQUEST_ID_TEXT = _("The request's id, also in the X-Request-ID header.")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null: ``nullable`` in OpenAPI 3.0, a type list in 3.1 (which dropped it)."""
    if str(spectacular_settings.OAS_VERSION).startswith("3.0"):
        return {**schema, "nullable": True}
    return {**schema, "type": [schema["type"], "null"]}


def _string(description: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra, "description": force_str(description)}


def _strings(description: Any) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": force_str(description)}


# The members a built-in code adds to the body (classify.py and exceptions.py
# set them), and which of those it always sends.
# TODO(core): belongs in the table of codes, next to each code's headers.
MEMBERS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "insufficient_scope": (
        {"scope": _string(_("The scopes the action requires, space-separated (RFC 6750 §3.1)."))},
        (),
    ),
    "usage_limit_exceeded": (
        {
            "retry_after": {
                "type": "integer",
                "minimum": 1,
                "description": force_str(_("Seconds to wait before retrying; the same as Retry-After.")),
            }
        },
        ("retry_after",),
    ),
    "invalid_content_type": (
        {"supported_media_types": _strings(_("The media types this endpoint accepts."))},
        (),
    ),
    "conflict": (
        {
            "fields": _strings(_("The fields whose values must be unique.")),
            "blocked_by": _strings(_("The models (app_label.Model) whose rows prevent the delete.")),
        },
        (),
    ),
}


def all_members() -> dict[str, Any]:
    return {name: schema for own, _required in MEMBERS.values() for name, schema in own.items()}


def component_name(code: str) -> str:
    """``not_found`` -> ``NotFoundError``; ``server_error`` -> ``ServerError``."""
    name = "".join(part[:1].upper() + part[1:] for part in code.replace("-", "_").split("_") if part)
    name = name if name.endswith("Error") else f"{name}Error"
    return name if name not in RESERVED else f"{name}Code"


def _detail_schema(in_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": force_str(_("One field error of the request.")),
        "properties": {
            "field": _nullable(
                _string(
                    _("The field's path (items.0.name) in the client's names; null for the whole request.")
                )
            ),
            "code": _string(_("Machine-readable reason, e.g. required or max_length.")),
            "message": _string(_("Human-readable message.")),
            "pointer": _string(_("The field as a JSON Pointer (RFC 6901) into the request body.")),
            "in": {
                "allOf": [in_ref],
                "description": force_str(_("Where the field was sent when not in the body, e.g. query.")),
            },
        },
        "required": ["field", "code", "message"],
    }


def _common(code_ref: dict[str, Any], detail_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "error": {**code_ref, "description": force_str(_("The error code; see the error reference."))},
        "request_id": _string(REQUEST_ID_TEXT),
        "details": {"type": "array", "items": detail_ref},
    }


def _error_schema(code_ref: dict[str, Any], detail_ref: dict[str, Any]) -> dict[str, Any]:
    common = _common(code_ref, detail_ref)
    return {
        "type": "object",
        "description": force_str(_("The documented error body (OAuth 2.0 error members, RFC 6749 §5.2).")),
        "properties": {
            "error": common["error"],
            "error_description": _string(_("What went wrong, for people.")),
            "error_uri": _string(_("Documentation of the code."), format="uri"),
            "request_id": common["request_id"],
            "details": common["details"],
        },
        "required": ["error", "error_description", "request_id"],
    }


def _problem_schema(code_ref: dict[str, Any], detail_ref: dict[str, Any]) -> dict[str, Any]:
    common = _common(code_ref, detail_ref)
    return {
        "type": "object",
        "description": force_str(
            _("Problem Details for HTTP APIs (RFC 9457), with the error body's members as extensions.")
        ),
        "properties": {
            "type": _string(
                _("The problem type: the code's documentation, or about:blank."), format="uri-reference"
            ),
            "title": _string(_("Short summary of the problem type.")),
            "status": {"type": "integer", "description": force_str(_("The HTTP status."))},
            "detail": _string(_("What went wrong in this occurrence, for people.")),
            "instance": _string(_("The path of the request."), format="uri-reference"),
            **common,
            **all_members(),
        },
        "required": ["type", "title", "status", "detail", "instance", "error", "request_id"],
    }


def _code_schema(code: str, error_ref: dict[str, Any], enum_ref: dict[str, Any]) -> dict[str, Any]:
    own, required = MEMBERS.get(code, ({}, ()))
    narrowed: dict[str, Any] = {
        "type": "object",
        "properties": {"error": enum_ref, **own},
        "required": ["error", *required],
    }
    schema: dict[str, Any] = {"allOf": [error_ref, narrowed]}
    if (entry := codes.get(code)) is not None:
        schema["description"] = f"{code} ({entry.status}): {force_str(entry.description)}"
    return schema


class _AsSent(ResolvedComponent):
    """A component whose schema each reader gets a copy of (see the module's docstring)."""

    @property
    def schema(self) -> Any:
        return copy.deepcopy(self._schema)

    @schema.setter
    def schema(self, value: Any) -> None:
        self._schema = value


class Components:
    """The refs of the registered error schemas."""

    def __init__(self, registry: ComponentRegistry) -> None:
        self.registry = registry
        all_codes = sorted(codes.all_codes())
        code_ref = self._register(CODE_ENUM, {"type": "string", "enum": all_codes})
        in_ref = self._register(DETAIL_IN, {"type": "string", "enum": ["query"]})
        detail_ref = self._register(DETAIL, _detail_schema(in_ref))
        self.error = self._register(ERROR, _error_schema(code_ref, detail_ref))
        self.problem = self._register(PROBLEM, _problem_schema(code_ref, detail_ref))
        self.by_code: dict[str, dict[str, Any]] = {}
        for code in all_codes:
            name = component_name(code)
            enum_ref = self._register(f"{name}Code", {"type": "string", "enum": [code]})
            self.by_code[code] = self._register(name, _code_schema(code, self.error, enum_ref))

    def _register(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = _AsSent(name, ResolvedComponent.SCHEMA, schema=schema, object=name)  # type: ignore[no-untyped-call]
        self.registry.register_on_missing(component)
        return dict(component.ref)

    def error_schema(self, error_codes: list[str]) -> dict[str, Any]:
        """A ``$ref`` to the code's schema, or a ``oneOf`` of them."""
        refs = [self.by_code[code] for code in error_codes]
        return refs[0] if len(refs) == 1 else {"oneOf": refs}
