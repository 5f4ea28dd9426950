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


def error_codes(schema, response, media_type="application/json"):
    """The ``error`` enum a response narrows the shared component to."""
    narrowed = response["content"][media_type]["schema"]["allOf"][1]
    return narrowed["properties"]["error"]["enum"]


def assert_examples_match(schema, response):
    for media_type, content in response["content"].items():
        resolved = resolve(schema, content["schema"])
        assert content["examples"], media_type
        for example in content["examples"].values():
            jsonschema.validate(example["value"], resolved)
