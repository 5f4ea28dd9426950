"""The example API's OpenAPI schema: the errors each operation documents."""

import json

import pytest
from django.test import override_settings
from drf_spectacular.validation import validate_schema

from django_api_errors import codes
from django_api_errors.openapi._components import component_name
from tests.schema_helpers import assert_examples_match, code_of, error_codes, error_refs

pytestmark = pytest.mark.django_db

ERROR_STATUSES = {"400", "401", "403", "404", "405", "406", "409", "412", "413", "415", "428", "429", "500"}


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


def _operations(schema):
    return [(route, method, op) for route, item in schema["paths"].items() for method, op in item.items()]


def test_shared_components(schema):
    components = schema["components"]["schemas"]
    assert components["ApiError"]["required"] == ["error", "error_description", "request_id"]
    assert components["ApiError"]["properties"]["error"]["$ref"] == "#/components/schemas/ErrorCode"
    assert set(components["ErrorCode"]["enum"]) == set(codes.all_codes())
    problem = components["ProblemDetails"]
    assert set(problem["required"]) >= {"type", "title", "status", "detail", "instance", "error"}
    assert problem["properties"]["retry_after"]["type"] == "integer"
    assert problem["properties"]["supported_media_types"]["items"] == {"type": "string"}
    detail = components["ApiErrorDetail"]["properties"]
    assert detail["field"]["nullable"] is True
    assert detail["pointer"]["type"] == "string"
    where = detail["in"]
    ref = where.get("$ref") or where.get("allOf", [{}])[0].get("$ref")
    if ref:  # drf-spectacular names enums as components (InEnum)
        where = components[ref.rsplit("/", 1)[1]]
    assert where["enum"] == ["query"], where
    assert components["ApiErrorDetail"]["required"] == ["field", "code", "message"]


def test_one_named_schema_per_code_on_the_shared_base(schema):
    components = schema["components"]["schemas"]
    for code in codes.all_codes():
        name = component_name(code)
        base, narrowed = components[name]["allOf"]
        assert base == {"$ref": "#/components/schemas/ApiError"}
        assert code_of(schema, {"$ref": f"#/components/schemas/{name}"}) == code
        assert "error" in narrowed["required"]
    own = {
        "InsufficientScopeError": {"scope": "string"},
        "UsageLimitExceededError": {"retry_after": "integer"},
        "InvalidContentTypeError": {"supported_media_types": "array"},
        "ConflictError": {"fields": "array", "blocked_by": "array"},
    }
    for name, members in own.items():
        properties = components[name]["allOf"][1]["properties"]
        assert {member: properties[member]["type"] for member in members} == members
    assert components["UsageLimitExceededError"]["allOf"][1]["required"] == ["error", "retry_after"]
    assert component_name("server_error") == "ServerError"


def test_every_operation_refers_to_the_named_schemas(schema):
    operations = _operations(schema)
    assert len(operations) > 10
    for route, method, operation in operations:
        errors = _errors(schema, route, method)
        # A plain Django view negotiates nothing: no 406.
        always = (
            {"400", "405", "500"} if operation["tags"] == ["plain-views"] else {"400", "405", "406", "500"}
        )
        assert always <= set(errors), (route, method)
        for status, response in errors.items():
            assert list(response["content"]) == ["application/json", "application/problem+json"]
            assert response["headers"]["X-Request-ID"]["required"] is True
            refs = error_refs(response)
            assert all(set(ref) == {"$ref"} for ref in refs), (route, method, status)  # nothing inline
            problem = response["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/ProblemDetails"}
            assert_examples_match(schema, response)


def test_problem_details_first_when_the_server_answers_with_it(client, alice):
    """The first media type of each error is what a client sending Accept: */* gets."""
    for setting, first in ((False, "application/json"), (True, "application/problem+json")):
        with override_settings(API_ERRORS={"PROBLEM_DETAILS": setting}):
            schema = _schema(client)
            answer = alice.get("/api/notes/999999/", HTTP_ACCEPT="*/*")
        assert answer.status_code == 404 and answer["Content-Type"] == first
        for route, method, _operation in _operations(schema):
            for response in _errors(schema, route, method).values():
                assert next(iter(response["content"])) == first


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
        "413": ["invalid_request"],  # a body over DATA_UPLOAD_MAX_MEMORY_SIZE
        "415": ["invalid_content_type"],
        "500": ["server_error"],
    }
    assert _codes(schema, "/api/shared-notes/{id}/", "patch")["428"] == ["precondition_failed"]
    assert "409" in _codes(schema, "/api/notes/{id}/", "delete")  # comments protect a note
    assert not {"413", "415"} & set(_codes(schema, "/api/notes/{id}/", "delete"))


def _parameters(schema, route, method):
    found = schema["paths"][route][method].get("parameters", [])
    return {p["name"]: p for p in found if p["in"] == "header"}


def test_conditional_requests(schema):
    read = schema["paths"]["/api/notes/{id}/"]["get"]
    # A read evaluates If-Match and If-Unmodified-Since too (412), as the server does.
    conditions = {"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"}
    assert set(_parameters(schema, "/api/notes/{id}/", "get")) == conditions
    assert set(read["responses"]["304"]["headers"]) == {"ETag", "Last-Modified", "Cache-Control"}
    assert "content" not in read["responses"]["304"]
    assert read["responses"]["200"]["headers"]["ETag"]["required"] is True
    assert set(_parameters(schema, "/api/notes/", "get")) == {
        "If-None-Match",
        "If-Match",
    }  # a list has no date
    # A POST's preconditions are compared with the collection's ETag.
    assert set(_parameters(schema, "/api/notes/", "post")) == {"If-Match", "If-None-Match"}
    assert "304" in schema["paths"]["/api/notes/"]["get"]["responses"]
    for method in ("put", "patch", "delete"):
        optional = _parameters(schema, "/api/notes/{id}/", method)
        assert set(optional) == {"If-Match", "If-Unmodified-Since"}
        assert optional["If-Match"]["required"] is False
        assert _parameters(schema, "/api/shared-notes/{id}/", method)["If-Match"]["required"] is True
    assert "ETag" in schema["paths"]["/api/notes/{id}/"]["patch"]["responses"]["200"]["headers"]
    assert "ETag" in schema["paths"]["/api/notes/"]["post"]["responses"]["201"]["headers"]
    # Comments (an async viewset) have hashed ETags and no modification date.
    assert set(_parameters(schema, "/api/comments/{id}/", "patch")) == {"If-Match"}
    assert set(_parameters(schema, "/api/comments/{id}/", "get")) == {"If-None-Match", "If-Match"}
    assert "304" in schema["paths"]["/api/comments/{id}/"]["get"]["responses"]
    assert not _parameters(schema, "/api/comment-refs/{ref}/", "get")  # not a conditional view
    assert "304" not in schema["paths"]["/api/comment-refs/{ref}/"]["get"]["responses"]


def test_list_and_comment_operations(schema):
    listing = _codes(schema, "/api/notes/", "get")
    assert not {"404", "409", "413", "415", "429"} & set(listing)
    assert "409" not in _codes(schema, "/api/comments/{id}/", "delete")  # nothing protects a comment
    assert "412" in _codes(schema, "/api/comments/{id}/", "delete")  # the async viewset's If-Match
    assert _codes(schema, "/api/comment-refs/", "get")["404"] == ["not_found"]  # a page that does not exist
    assert _codes(schema, "/api/comment-refs/{ref}/", "get")["404"] == ["not_found"]


def test_throttled_operations(schema):
    for route in ("/api/search/", "/api/comment-search/", "/api/stats/"):  # the second is async (adrf)
        responses = schema["paths"][route]["get"]["responses"]
        assert error_codes(schema, responses["429"]) == ["usage_limit_exceeded"]
        headers = responses["429"]["headers"]
        assert headers["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
        assert headers["Retry-After"]["required"] is True
        assert {"RateLimit", "RateLimit-Policy"} <= set(headers)
        assert {"RateLimit", "RateLimit-Policy"} <= set(responses["200"]["headers"])
    assert "RateLimit" not in schema["paths"]["/api/comments/"]["get"]["responses"]["200"].get("headers", {})


@pytest.mark.parametrize("route", ["/api/search/", "/api/comment-search/"])
def test_the_search_term_has_the_limit_the_view_enforces(schema, alice, route):
    # A generated client knows a 101-character q is a 400 before it sends one.
    (q,) = [p for p in schema["paths"][route]["get"]["parameters"] if p["name"] == "q"]
    limit = q["schema"]["maxLength"]
    assert alice.get(route, {"q": "a" * limit}).status_code == 200
    over = alice.get(route, {"q": "a" * (limit + 1)})
    assert (over.status_code, over.json()["details"][0]["code"]) == (400, "max_length")


@override_settings(API_ERRORS={"RATELIMIT_HEADERS": False})
def test_no_rate_limit_fields_when_they_are_not_sent(client):
    responses = _schema(client)["paths"]["/api/search/"]["get"]["responses"]
    assert "RateLimit" not in responses["429"]["headers"]
    assert "headers" not in responses["200"]


def test_headers(schema):
    errors = _errors(schema, "/api/notes/{id}/", "put")
    assert "WWW-Authenticate" in errors["401"]["headers"]
    assert "Allow" in errors["405"]["headers"]
    assert errors["415"]["headers"]["Accept-Encoding"]["schema"] == {"type": "string"}
    assert "Accept-Patch" not in errors["415"]["headers"]  # a PUT
    patch = _errors(schema, "/api/notes/{id}/", "patch")["415"]["headers"]
    assert patch["Accept-Patch"]["schema"] == {"type": "string"}
    assert "ETag" in errors["412"]["headers"]


def test_field_error_codes_of_the_body(schema):
    response = _errors(schema, "/api/notes/", "post")["400"]
    listed = response["description"].split("details[].code: ")[1].split(", ")
    assert {"required", "blank", "max_length", "invalid", "not_a_list", "not_a_dict"} <= set(listed)
    example = response["content"]["application/json"]["examples"]["invalid_request"]["value"]
    assert example["details"] == [
        {"field": "title", "pointer": "/title", "code": "required", "message": "This field is required."}
    ]
    conflict = _errors(schema, "/api/notes/", "post")["409"]
    assert conflict["description"].endswith("details[].code: unique")


def test_unsupported_media_type_example_names_the_parsers(schema):
    response = _errors(schema, "/api/notes/", "post")["415"]
    example = response["content"]["application/json"]["examples"]["invalid_content_type"]["value"]
    assert example["supported_media_types"] == ["application/json"]


@override_settings(API_ERRORS={"CODES": {"gone_forever": {"status": 410, "description": "It is gone."}}})
def test_user_codes_are_in_the_shared_enum(client):
    schema = _schema(client)
    enum = schema["components"]["schemas"]["ErrorCode"]["enum"]
    assert "gone_forever" in enum and "server_error" in enum
    assert code_of(schema, {"$ref": "#/components/schemas/GoneForeverError"}) == "gone_forever"


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


def test_async_list_is_documented_as_a_list(schema):
    # adrf names the actions "alist" and "acreate": AutoSchema._is_list_view and
    # _is_create_operation (private hooks of drf-spectacular) must still see them.
    ok = schema["paths"]["/api/comments/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["type"] == "array"
    assert ok["items"] == {"$ref": "#/components/schemas/Comment"}
    created = schema["paths"]["/api/comments/"]["post"]["responses"]
    assert "201" in created and "200" not in created
    assert "412" in _codes(schema, "/api/comments/", "get")  # If-Match compared with the list's ETag
    assert "409" not in _codes(
        schema, "/api/comments/{id}/", "patch"
    )  # hashed ETags: locked rows lose no race


def test_request_strings_that_refuse_blanks_need_a_non_blank_character(schema):
    components = schema["components"]["schemas"]
    note = components["NoteRequest"]["properties"]
    assert (note["title"]["minLength"], note["title"]["pattern"]) == (1, r"\S")  # "   " is blank too
    assert note["labels"]["additionalProperties"]["pattern"] == r"\S"
    assert "pattern" not in note["body"]  # blank bodies are fine
    assert "pattern" not in components["LoginRequest"]["properties"]["password"]  # not trimmed
    assert "pattern" not in components["Note"]["properties"]["title"]  # responses are not requests


def test_nullable_field_in_openapi_3_0_and_3_1():
    """OpenAPI 3.1 dropped ``nullable``: the detail's ``field`` says null its own way in each."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import patched_settings

    from django_api_errors.openapi._components import _detail_schema

    assert (
        _detail_schema({"$ref": "#/components/schemas/ApiErrorDetailIn"})["properties"]["field"]["nullable"]
        is True
    )
    with patched_settings({"OAS_VERSION": "3.1.0"}):
        field = _detail_schema({"$ref": "#/components/schemas/ApiErrorDetailIn"})["properties"]["field"]
        assert field["type"] == ["string", "null"] and "nullable" not in field
        document = SchemaGenerator().get_schema(request=None, public=True)
        assert document["openapi"] == "3.1.0"
        validate_schema(document)  # against the OpenAPI 3.1 JSON schema
        detail = document["components"]["schemas"]["ApiErrorDetail"]["properties"]["field"]
        assert detail["type"] == ["string", "null"]
