"""Generating and reading OpenAPI schemas in tests."""

import copy

import jsonschema
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def schema_for(*routes):
    """The validated schema of ``routes``: ``(route, view)`` pairs."""
    patterns = [path(route, view) for route, view in routes]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    validate_schema(schema)
    return schema


def responses(schema, route, method):
    return schema["paths"][route][method]["responses"]


def resolve(schema, node):
    """``node`` with every ``$ref`` inlined and OpenAPI's ``nullable`` spelled as JSON Schema."""
    if isinstance(node, list):
        return [resolve(schema, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return resolve(schema, copy.deepcopy(schema["components"]["schemas"][name]))
    node = {key: resolve(schema, value) for key, value in node.items()}
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    return node


def component(schema, ref):
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def code_of(schema, ref):
    """The one code a per-code error component (``{"$ref": ...}``) stands for."""
    narrowed = component(schema, ref)["allOf"][1]
    (code,) = component(schema, narrowed["properties"]["error"])["enum"]
    return code


def error_refs(response, media_type="application/json"):
    """The ``$ref``s an error response's schema is made of (one, or a ``oneOf``)."""
    node = response["content"][media_type]["schema"]
    return [node] if "$ref" in node else node["oneOf"]


def error_codes(schema, response, media_type="application/json"):
    """The codes an error response documents, in order."""
    return [code_of(schema, ref) for ref in error_refs(response, media_type)]


def assert_examples_match(schema, response):
    for media_type, content in response["content"].items():
        resolved = resolve(schema, content["schema"])
        assert content["examples"], media_type
        for example in content["examples"].values():
            jsonschema.validate(example["value"], resolved)
