"""The error responses of each operation, in drf-spectacular's OpenAPI schema.

``REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.schema.AutoSchema"}``,
or mix :class:`ErrorResponsesMixin` into an ``AutoSchema`` of your own.  Each
operation gets the responses :func:`~django_api_errors.openapi._inspection.view_errors`
finds, in ``application/json`` and ``application/problem+json``, by ``$ref``
to one named schema per code (:mod:`~django_api_errors.openapi._components`),
and the conditional-request and rate-limit headers of :mod:`~django_api_errors.openapi._contract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any

from django.apps import apps as django_apps
from django.utils.encoding import force_str
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry, force_instance, is_serializer
from rest_framework import serializers

from django_api_errors import _details as details
from django_api_errors import conf
from django_api_errors.openapi import _contract as contract
from django_api_errors.openapi import _inspection as inspection
from django_api_errors.openapi._components import Components
from django_api_errors.problem import Details, Problem
from django_api_errors.problem_details import JSON, PROBLEM_JSON, build_problem_details
from django_api_errors.responses import build_body, error_uri
from django_api_errors.serializers import StrictFieldsMixin

EXAMPLE_REQUEST_ID = "5f0c3a2e9d7b4c1e8a6f2b3d4c5e6f70"

ADRF_ACTIONS = {"alist": "list", "acreate": "create"}


def _content(
    schemas: Components,
    status: int,
    error_codes: list[str],
    path: str,
    extra: dict[str, Any],
    sample: Details | None,
) -> dict[str, Any]:
    """Both media types, the one a client gets without asking (``Accept: */*``) first.

    Generators parse a response by its first media type; listing them in the
    server's order keeps a generated client reading the body it gets.
    """
    as_json: dict[str, Any] = {}
    as_problem: dict[str, Any] = {}
    request = SimpleNamespace(path=re.sub(r"{[^}/]+}", "1", path))
    for code in error_codes:
        details = sample if status == 400 and code == "invalid_request" else None
        problem = Problem.for_code(code, details=details, extra=dict(extra.get(code, {})))
        problem.status = status
        if code == "usage_limit_exceeded":
            problem.wait(None)
        summary = force_str(problem.description)
        as_json[code] = {"summary": summary, "value": build_body(problem, EXAMPLE_REQUEST_ID)}
        value = build_problem_details(problem, EXAMPLE_REQUEST_ID, request, error_uri(code))
        as_problem[code] = {"summary": summary, "value": value}
    content = {
        JSON: {"schema": schemas.error_schema(error_codes), "examples": as_json},
        PROBLEM_JSON: {"schema": dict(schemas.problem), "examples": as_problem},
    }
    order = (PROBLEM_JSON, JSON) if conf.settings.PROBLEM_DETAILS else (JSON, PROBLEM_JSON)
    return {media_type: content[media_type] for media_type in order}


def _description(status: int, error_codes: list[str], field_codes: list[str] | None) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = str(status)
    text = f"{phrase}: " + ", ".join(error_codes)
    if field_codes:
        text += ". details[].code: " + ", ".join(field_codes)
    return text


def error_responses(
    registry: ComponentRegistry,
    found: inspection.ViewErrors | Mapping[int, Sequence[str]],
    path: str,
    extra: dict[str, dict[str, Any]] | None = None,
    sample_details: Details | None = None,
    throttled: bool = False,
    method: str = "",
) -> dict[str, Any]:
    """The OpenAPI ``responses`` entries for ``found``, keyed by status.

    ``found``: what :func:`~django_api_errors.openapi._inspection.view_errors`
    found, or ``{status: [code, ...]}`` for a view drf-spectacular cannot see
    (a plain Django view, added by a postprocessing hook).  ``extra``: example
    members per code; ``sample_details``: example field errors of the 400;
    ``throttled``: 429s carry the rate-limit fields; ``method``: the
    operation's (a PATCH's 415 names ``Accept-Patch``).
    """
    if not isinstance(found, inspection.ViewErrors):
        found = inspection.ViewErrors(statuses={status: list(codes) for status, codes in found.items()})
    schemas = Components(registry)
    return {
        str(status): {
            "description": _description(status, error_codes, found.field_codes.get(status)),
            "headers": contract.error_headers(status, error_codes, throttled, method),
            "content": _content(schemas, status, error_codes, path, extra or {}, sample_details),
        }
        for status, error_codes in found.statuses.items()
    }


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
        throttled = inspection.sends_ratelimit_headers(self.view)
        responses = operation.setdefault("responses", {})
        self._add_contract(operation, responses, detail_route, throttled)
        found_responses = error_responses(registry, found, path, extra, sample, throttled, self.method)
        for status, response in found_responses.items():
            responses.setdefault(status, response)  # an explicit @extend_schema response wins
        return operation

    def _add_contract(
        self, operation: dict[str, Any], responses: dict[str, Any], detail_route: bool, throttled: bool
    ) -> None:
        """Conditional request headers and 304, validators and rate-limit fields on successes."""
        conditional = inspection.conditional(self.view, self.method, detail_route=detail_route)
        params = operation.setdefault("parameters", [])
        taken = {(p.get("in"), p.get("name", "").lower()) for p in params if isinstance(p, dict)}
        for param in contract.parameters(conditional, self.method, detail_route):
            if ("header", param["name"].lower()) not in taken:
                params.append(param)
        if not params:
            del operation["parameters"]
        for status, response in responses.items():
            if not (isinstance(response, dict) and str(status).startswith("2")):
                continue
            headers = response.setdefault("headers", {})
            if conditional is not None and str(status) in ("200", "201"):
                headers.update(contract.validator_headers(conditional))
            if throttled:
                headers.update(contract.ratelimit_headers())
            if not headers:
                del response["headers"]
        if conditional is not None and self.method in ("GET", "HEAD"):
            responses.setdefault("304", contract.not_modified(conditional))

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[misc]
        # A CharField that trims and refuses blanks refuses "   " too (400 "blank"):
        # minLength 1 alone would let a schema-valid request be refused.  This is
        # drf-spectacular's (private) per-field hook; if it goes, the pattern goes
        # and tests/test_openapi.py's test_request_strings_... says so.
        if direction == "request" and isinstance(field, serializers.CharField):
            refuses_blank = not field.allow_blank and field.trim_whitespace
            if refuses_blank and isinstance(schema, dict) and schema.get("type") == "string":
                schema.setdefault("pattern", r"\S")
        return schema

    def _map_serializer(self, serializer: Any, direction: str, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)  # type: ignore[misc]
        # A StrictFieldsMixin serializer refuses keys it has no field for: say so
        # (drf-spectacular's private hook, guarded as the one above).
        strict = isinstance(force_instance(serializer), StrictFieldsMixin)  # type: ignore[no-untyped-call]
        if strict and isinstance(schema, dict) and schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
        return schema

    def _body_serializer(self) -> Any:
        # drf-spectacular has already resolved this for the request body.
        serializer = force_instance(self.get_request_serializer())  # type: ignore[attr-defined,no-untyped-call]
        return serializer if is_serializer(serializer) else None


class AutoSchema(ErrorResponsesMixin, SpectacularAutoSchema):
    """drf-spectacular's ``AutoSchema`` with the documented error responses."""

    # drf-spectacular tells a list (an array) and a create (201) by DRF's
    # action names; adrf's async viewsets name them "alist" and "acreate".
    # Its private hooks, guarded: without them tests/test_openapi.py fails.

    def _is_list_view(self, serializer: Any = None) -> bool:
        with _as_drf_action(self.view):
            return bool(super()._is_list_view(serializer))

    def _is_create_operation(self) -> bool:
        with _as_drf_action(self.view):
            return bool(super()._is_create_operation())


@contextmanager
def _as_drf_action(view: Any) -> Iterator[None]:
    """While inside, an adrf action of ``view`` goes by its DRF name."""
    action = getattr(view, "action", None)
    if action not in ADRF_ACTIONS:
        yield
        return
    view.action = ADRF_ACTIONS[action]
    try:
        yield
    finally:
        view.action = action


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


class JWTScheme(SimpleJWTScheme):  # type: ignore[no-untyped-call]
    """simplejwt's security scheme (``jwtAuth``) for the app's ``JWTAuthentication`` and its subclasses.

    drf-spectacular matches simplejwt's classes exactly, so without this a
    view using the app's class had no security scheme, and a warning.
    """

    target_class = "django_api_errors.auth.contrib.simplejwt.JWTAuthentication"
    match_subclasses = True
    optional = True  # without the jwt extra the class cannot be imported: no warning for that


# The toolkit's models cannot be imported outside INSTALLED_APPS (drf-spectacular would warn).
if django_apps.apps_ready and django_apps.is_installed("oauth2_provider"):

    class OAuth2Scheme(DjangoOAuthToolkitScheme):  # type: ignore[no-untyped-call]
        """django-oauth-toolkit's security scheme (``oauth2``) for the app's ``OAuth2Authentication``."""

        target_class = "django_api_errors.auth.contrib.oauth2.OAuth2Authentication"
        match_subclasses = True
