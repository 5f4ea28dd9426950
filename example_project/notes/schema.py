"""How the example's token authentication and its plain Django views appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.plumbing import ResolvedComponent

from django_api_errors.openapi import error_responses


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "example_project.notes.authentication.ApiTokenAuthentication"
    name = "bearerAuth"
    priority = 1  # before the app's generic scheme for ExpiringTokenAuthentication

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `manage.py seed_demo`, e.g. `alice-full`.",
        }


RATELIMIT = {
    "RateLimit": {
        "schema": {"type": "string"},
        "description": "The quota left: a requests within w seconds.",
    },
    "RateLimit-Policy": {"schema": {"type": "string"}, "description": "The quota: q requests per w seconds."},
}

# drf-spectacular sees DRF views only; the example's two plain Django views
# (GET and HEAD) are described here, with the same error schemas.
PLAIN_VIEWS = {
    "/api/ping/": {
        "operationId": "ping",
        "summary": "A plain Django view, limited per client address by django-ratelimit.",
        "component": ("Pong", {"pong": {"type": "boolean"}}),
        "security": [{}],
        "parameters": [],
        "errors": {
            400: ["invalid_request"],
            405: ["invalid_request"],
            429: ["usage_limit_exceeded"],
            500: ["server_error"],
        },
    },
    "/api/notes/{id}/text/": {
        "operationId": "notes_text",
        "summary": "A plain Django view that serves a note's title and body, with the notes API's "
        "authentication and notes:read scope: unknown ids are 404.",
        "component": ("NoteText", {"title": {"type": "string"}, "body": {"type": "string"}}),
        "security": [{"bearerAuth": []}],
        "parameters": [
            {"in": "path", "name": "id", "required": True, "schema": {"type": "integer", "minimum": 0}}
        ],
        "errors": {
            400: ["invalid_request"],
            401: ["session_expired", "unauthorized_client"],
            403: ["access_denied", "insufficient_scope"],
            404: ["not_found"],
            405: ["invalid_request"],
            500: ["server_error"],
        },
    },
}


def document_plain_views(result, generator, request, public):
    """A postprocessing hook: adds the plain views, then names enums as drf-spectacular does."""
    for path, spec in PLAIN_VIEWS.items():
        name, properties = spec["component"]
        schema = {"type": "object", "properties": properties, "required": list(properties)}
        # The enum hook below rebuilds the components from the registry.
        component = ResolvedComponent(name, ResolvedComponent.SCHEMA, schema=schema, object=name)
        generator.registry.register_on_missing(component)
        throttled = 429 in spec["errors"]
        ok = {
            "description": "",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        if throttled:
            ok["headers"] = RATELIMIT
        errors = error_responses(generator.registry, spec["errors"], path, throttled=throttled)
        operation = {
            "operationId": spec["operationId"],
            "summary": spec["summary"],
            "tags": ["plain-views"],
            "security": spec["security"],
            "responses": {"200": ok, **errors},
        }
        if spec["parameters"]:
            operation["parameters"] = spec["parameters"]
        result["paths"][path] = {"get": operation}
    return postprocess_schema_enums(result, generator, request=request, public=public)
