"""Every field error, at any depth, becomes one entry of ``details``."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework.exceptions import ErrorDetail

from django_api_errors import _details as details
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_nested_serializers_lists_and_dicts(api_client):
    payload = {
        "customer": "",
        "items": [{"name": "ok", "qty": 1}, {"qty": 0}, {"name": "", "qty": "x"}],
        "tags": ["ok", "toolong"],
        "meta": {"a": 1, "b": "nope"},
        "address": "not-a-dict",
    }
    body = assert_error(api_client.post("/drf/orders/", payload, format="json"), 400, "invalid_request")
    got = {(d["field"], d["code"]) for d in body["details"]}
    assert got == {
        ("customer", "blank"),
        ("items.1.name", "required"),
        ("items.1.qty", "min_value"),
        ("items.2.name", "blank"),
        ("items.2.qty", "invalid"),
        ("tags.1", "max_length"),
        ("meta.b", "invalid"),
        ("address", "not_a_dict"),
    }
    assert all(isinstance(d["message"], str) and d["message"] for d in body["details"])


def test_non_field_errors_have_null_field(api_client):
    payload = {"customer": "nobody", "items": [], "tags": [], "meta": {}}
    body = assert_error(api_client.post("/drf/orders/", payload, format="json"), 400, "invalid_request")
    assert body["details"] == [
        {"field": None, "pointer": "", "code": "invalid", "message": "Orders need a real customer."}
    ]


def test_wrong_top_level_type(api_client):
    body = assert_error(api_client.post("/drf/orders/", [1, 2], format="json"), 400, "invalid_request")
    assert body["details"][0]["field"] is None


def test_nested_non_field_errors_stay_on_their_path():
    detail = {"items": [{}, {"non_field_errors": [ErrorDetail("bad pair", code="invalid")]}]}
    assert details.from_drf(detail) == [
        {"field": "items.1", "pointer": "/items/1", "code": "invalid", "message": "bad pair"}
    ]


def test_plain_strings_get_code_invalid():
    assert details.from_drf(["oops"]) == [
        {"field": None, "pointer": "", "code": "invalid", "message": "oops"}
    ]


def test_django_validation_error_shapes():
    error = ValidationError(
        {
            "title": [ValidationError("Too long (%(n)s).", code="max_length", params={"n": 5})],
            NON_FIELD_ERRORS: [ValidationError("Bad pair.", code="pair")],
        }
    )
    assert details.from_django(error) == [
        {"field": "title", "pointer": "/title", "code": "max_length", "message": "Too long (5)."},
        {"field": None, "pointer": "", "code": "pair", "message": "Bad pair."},
    ]
    assert details.from_django(ValidationError(["a", "b"])) == [
        {"field": None, "pointer": "", "code": "invalid", "message": "a"},
        {"field": None, "pointer": "", "code": "invalid", "message": "b"},
    ]


def test_thousand_errors_all_reported(api_client):
    payload = {"customer": "x", "items": [{"qty": 0}] * 500, "tags": [], "meta": {}}
    body = assert_error(api_client.post("/drf/orders/", payload, format="json"), 400, "invalid_request")
    assert len(body["details"]) == 1000


def test_a_message_outside_a_list_is_one_entry():
    detail = {"title": ErrorDetail("Too long.", code="max_length"), "items": [{"qty": "Too few."}]}
    assert details.from_drf(detail) == [
        {"field": "title", "pointer": "/title", "code": "max_length", "message": "Too long."},
        {"field": "items.0.qty", "pointer": "/items/0/qty", "code": "invalid", "message": "Too few."},
    ]
    assert details.from_drf("Just text.") == [
        {"field": None, "pointer": "", "code": "invalid", "message": "Just text."}
    ]


def test_a_list_mixing_messages_and_objects():
    detail = {"f": [ErrorDetail("first", code="a"), {"x": [ErrorDetail("inner", code="b")]}], "g": ["last"]}
    assert details.from_drf(detail) == [
        {"field": "f", "pointer": "/f", "code": "a", "message": "first"},
        {"field": "f.1.x", "pointer": "/f/1/x", "code": "b", "message": "inner"},
        {"field": "g", "pointer": "/g", "code": "invalid", "message": "last"},
    ]
