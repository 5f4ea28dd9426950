"""The example API's OpenAPI schema: the errors each operation documents."""

import json

import pytest
from django.test import override_settings
from drf_spectacular.validation import validate_schema

from tests.schema_helpers import assert_examples_match, error_codes

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"400", "401", "403", "404", "405", "406", "409", "412", "415", "428", "429", "500"}


def _schema(client, **headers):
    response = client.get("/api/schema/", {"format": "json"}, **headers)
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    return schema


@pytest.fixture
def schema(client):
    return _schema(client)


def _errors(schema, route, method):
    responses = schema["paths"][route][method]["responses"]
    return {status: response for status, response in responses.items() if status in ERROR_STATUSES}


def _codes(schema, route, method):
    return {
        status: error_codes(schema, response) for status, response in _errors(schema, route, method).items()
    }


def test_shared_components(schema):
    components = schema["components"]["schemas"]
    assert components["ApiError"]["required"] == ["error", "error_description", "request_id"]
    assert set(components["ProblemDetails"]["required"]) >= {"type", "title", "status", "detail", "instance"}
    assert components["ApiErrorDetail"]["properties"]["field"]["nullable"] is True


def test_every_operation_documents_its_errors_in_both_media_types(schema):
    operations = [(route, method) for route, item in schema["paths"].items() for method in item]
    assert len(operations) > 10
    for route, method in operations:
        errors = _errors(schema, route, method)
        assert {"400", "405", "406", "500"} <= set(errors), (route, method)
        for status, response in errors.items():
            assert set(response["content"]) == {"application/json", "application/problem+json"}
            assert "X-Request-ID" in response["headers"]
            problem = response["content"]["application/problem+json"]["schema"]["allOf"][1]
            assert problem["properties"]["status"]["enum"] == [int(status)]
            assert_examples_match(schema, response)


def test_note_detail_operations(schema):
    patch = _codes(schema, "/api/notes/{id}/", "patch")
    assert patch == {
        "400": ["invalid_request"],
        "401": ["unauthorized_client", "session_expired"],
        "403": ["access_denied", "insufficient_scope"],
        "404": ["not_found"],
        "405": ["invalid_request"],
        "406": ["invalid_request"],
        "409": ["conflict"],  # unique title per owner, or a write without If-Match losing a race
        "412": ["precondition_failed"],  # ConditionalRequestMixin: If-Match no longer matches
        "415": ["invalid_content_type"],
        "428": ["precondition_failed"],  # only where If-Match is required
        "500": ["server_error"],
    }
    assert "409" in _codes(schema, "/api/notes/{id}/", "delete")  # comments protect a note
    assert "415" not in _codes(schema, "/api/notes/{id}/", "delete")


def test_list_and_comment_operations(schema):
    listing = _codes(schema, "/api/notes/", "get")
    assert not {"404", "409", "415", "429"} & set(listing)
    assert "409" not in _codes(schema, "/api/comments/{id}/", "delete")  # nothing protects a comment
    assert _codes(schema, "/api/comment-refs/", "get")["404"] == ["not_found"]  # a page that does not exist
    assert _codes(schema, "/api/comment-refs/{ref}/", "get")["404"] == ["not_found"]
    for route in ("/api/search/", "/api/stats/"):
        errors = _errors(schema, route, "get")
        assert error_codes(schema, errors["429"]) == ["usage_limit_exceeded"]
        assert "Retry-After" in errors["429"]["headers"]


def test_headers(schema):
    errors = _errors(schema, "/api/notes/{id}/", "put")
    assert "WWW-Authenticate" in errors["401"]["headers"]
    assert "Allow" in errors["405"]["headers"]


def test_field_error_codes_of_the_body(schema):
    response = _errors(schema, "/api/notes/", "post")["400"]
    for media_type in response["content"]:
        narrowed = response["content"][media_type]["schema"]["allOf"][1]["properties"]
        field_codes = narrowed["details"]["items"]["properties"]["code"]["enum"]
        assert {"required", "blank", "max_length", "invalid", "not_a_list", "not_a_dict"} <= set(field_codes)
    example = response["content"]["application/json"]["examples"]["invalid_request"]["value"]
    assert example["details"] == [
        {"field": "title", "code": "required", "message": "This field is required."}
    ]
    conflict = _errors(schema, "/api/notes/", "post")["409"]["content"]["application/json"]["schema"]
    assert conflict["allOf"][1]["properties"]["details"]["items"]["properties"]["code"]["enum"] == ["unique"]


def test_unsupported_media_type_example_names_the_parsers(schema):
    response = _errors(schema, "/api/notes/", "post")["415"]
    example = response["content"]["application/json"]["examples"]["invalid_content_type"]["value"]
    assert example["supported_media_types"] == ["application/json"]


@override_settings(API_ERRORS={"CODES": {"gone_forever": {"status": 410, "description": "It is gone."}}})
def test_user_codes_are_in_the_shared_enum(client):
    schema = _schema(client)
    enum = schema["components"]["schemas"]["ErrorEnum"]["enum"]
    assert "gone_forever" in enum and "server_error" in enum


def test_problem_example_without_error_uri(client):
    with override_settings(API_ERRORS={}):
        schema = _schema(client)
    response = _errors(schema, "/api/notes/{id}/", "get")["404"]
    example = response["content"]["application/problem+json"]["examples"]["not_found"]["value"]
    assert example["type"] == "about:blank"
    assert example["title"] == "Not Found"
    assert example["instance"] == "/api/notes/1/"


def test_example_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", "example_project.urls", "--file", str(out)
    )
    assert "ProblemDetails:" in out.read_text()


@pytest.mark.parametrize(("keyword", "kind"), [("Token", "apiKey"), ("Bearer", "http")])
def test_expiring_token_security_scheme(keyword, kind):
    from django_api_errors.auth.authentication import ExpiringTokenAuthentication
    from django_api_errors.openapi.schema import ExpiringTokenScheme

    auth = type("Auth", (ExpiringTokenAuthentication,), {"keyword": keyword})
    definition = ExpiringTokenScheme(auth).get_security_definition(None)
    assert definition["type"] == kind
    if kind == "apiKey":
        assert definition["name"] == "Authorization" and keyword in definition["description"]
