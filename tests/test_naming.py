"""details[].field and pointer in the client's names; query-parameter errors marked.

Through real requests, with the real djangorestframework-camel-case and django-filter.
"""

import pytest
from django.conf import settings
from django.test import override_settings
from djangorestframework_camel_case.util import camelize as package_camelize
from djangorestframework_camel_case.util import underscoreize
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail

from django_api_errors import _details as details
from django_api_errors import _naming
from tests.conftest import assert_error, assert_problem
from tests.naming_views import IGNORING, ProfileSerializer

pytestmark = pytest.mark.django_db

BAD = {
    "firstName": "",
    "homeAddress": {"streetLine1": "x", "zipCode": "12"},
    "contactList": [{"emailAddress": "ok@example.org"}, {"emailAddress": "nope"}],
    "phoneNumbers": ["1", "123456"],
    "extraData": {"a/b~c_d": "x", "someKey": "y"},
}
CAMEL = {
    ("firstName", "/firstName"),
    ("homeAddress.zipCode", "/homeAddress/zipCode"),
    ("contactList.1.emailAddress", "/contactList/1/emailAddress"),
    ("phoneNumbers.1", "/phoneNumbers/1"),
    # DictField keys are the client's too; ~ and / escaped in the pointer (RFC 6901 §3).
    ("extraData.a/b~cD", "/extraData/a~1b~0cD"),
    ("extraData.someKey", "/extraData/someKey"),
}


def paths(body):
    return {(d["field"], d["pointer"]) for d in body["details"]}


def rendered_paths(errors, prefix=()):
    """The dotted paths of an error dict as the package's renderer would send it."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from rendered_paths(value, (*prefix, str(key)))
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str):
        for index, item in enumerate(errors):
            yield from rendered_paths(item, (*prefix, str(index)))
    elif errors:
        yield ".".join(prefix)


@pytest.mark.parametrize("url", ["camel", "parser-only"])
def test_camel_case_paths_at_every_depth(api_client, url):
    body = assert_error(api_client.post(f"/naming/{url}/", BAD, format="json"), 400, "invalid_request")
    assert paths(body) == CAMEL


def test_same_paths_as_the_packages_renderer(api_client):
    # What DRF's own handler would answer through CamelCaseJSONRenderer, path for path.
    body = assert_error(api_client.post("/naming/camel/", BAD, format="json"), 400, "invalid_request")
    serializer = ProfileSerializer(data=underscoreize(BAD))
    assert not serializer.is_valid()
    assert {d["field"] for d in body["details"]} == set(rendered_paths(package_camelize(serializer.errors)))


def test_renderer_alone_is_enough(api_client):
    body = assert_error(api_client.post("/naming/renderer-only/", {}, format="json"), 400, "invalid_request")
    assert {"firstName", "homeAddress", "contactList"} <= {d["field"] for d in body["details"]}


def test_views_without_the_package_keep_serializer_names(api_client):
    body = assert_error(
        api_client.post("/naming/plain/", underscoreize(BAD), format="json"), 400, "invalid_request"
    )
    assert paths(body) == {
        ("first_name", "/first_name"),
        ("home_address.zip_code", "/home_address/zip_code"),
        ("contact_list.1.email_address", "/contact_list/1/email_address"),
        ("phone_numbers.1", "/phone_numbers/1"),
        ("extra_data.a/b~c_d", "/extra_data/a~1b~0c_d"),
        ("extra_data.some_key", "/extra_data/some_key"),
    }


def test_nested_non_field_errors_take_the_enclosing_camel_path(api_client):
    payload = {**BAD, "homeAddress": {"streetLine1": "nowhere", "zipCode": "12345"}}
    body = assert_error(api_client.post("/naming/camel/", payload, format="json"), 400, "invalid_request")
    entry = next(d for d in body["details"] if d["code"] == "invalid" and d["message"] == "No such address.")
    assert (entry["field"], entry["pointer"]) == ("homeAddress", "/homeAddress")


def test_ignore_fields_and_ignore_keys_as_the_renderer(api_client):
    # ignore_keys: "home_address" keeps its name, what is below is renamed;
    # ignore_fields: "extra_data" is renamed, what is below is not.
    payload = {**BAD, "home_address": {"streetLine1": "x", "zipCode": "12"}}
    del payload["homeAddress"]
    body = assert_error(api_client.post("/naming/ignoring/", payload, format="json"), 400, "invalid_request")
    got = paths(body)
    assert ("home_address.zipCode", "/home_address/zipCode") in got
    assert ("extraData.a/b~c_d", "/extraData/a~1b~0c_d") in got
    assert ("contactList.1.emailAddress", "/contactList/1/emailAddress") in got
    serializer = ProfileSerializer(data={"home_address": {"zip_code": "1"}, "extra_data": {"a_b": "x"}})
    assert not serializer.is_valid()
    rendered = set(rendered_paths(package_camelize(serializer.errors, **IGNORING)))
    assert {"home_address.zipCode", "extraData.a_b"} <= rendered


def test_unique_conflict_names_camel_fields(api_client):
    from django.contrib.auth import get_user_model

    from tests.models import ApiToken

    user = get_user_model().objects.create(username="u")
    ApiToken.objects.create(key="taken", user=user)
    good = {
        "firstName": "Ada",
        "homeAddress": {"streetLine1": "x", "zipCode": "12345"},
        "contactList": [],
        "phoneNumbers": [],
        "extraData": {},
    }
    body = assert_error(
        api_client.post("/naming/camel/", {**good, "tokenKey": "taken"}, format="json"), 409, "conflict"
    )
    assert body["fields"] == ["tokenKey"]
    assert paths(body) == {("tokenKey", "/tokenKey")}


def test_integrity_error_fields_and_django_validation_error(api_client):
    body = assert_error(
        api_client.post("/naming/model-errors/", {"duplicate": 1}, format="json"), 409, "conflict"
    )
    assert body["fields"] == ["owner", "title"]
    body = assert_error(api_client.post("/naming/model-errors/", {}, format="json"), 400, "invalid_request")
    assert body["details"] == [
        {
            "field": "homeEmail",
            "pointer": "/homeEmail",
            "code": "invalid",
            "message": "Enter a valid email address.",
        },
        {"field": None, "pointer": "", "code": "invalid", "message": "Bad pair."},
    ]


def test_problem_details_carry_the_pointers(api_client, problem_negotiation):
    response = api_client.post("/naming/camel/", BAD, format="json", HTTP_ACCEPT="application/problem+json")
    body = assert_problem(response, 400, "invalid_request")
    assert paths(body) == CAMEL


# -- the setting ---------------------------------------------------------------


@override_settings(API_ERRORS={"FIELD_NAMES": None})
def test_setting_none_turns_it_off(api_client):
    body = assert_error(api_client.post("/naming/camel/", BAD, format="json"), 400, "invalid_request")
    assert ("first_name", "/first_name") in paths(body)
    assert ("home_address.zip_code", "/home_address/zip_code") in paths(body)


@override_settings(API_ERRORS={"FIELD_NAMES": "camelCase"})
def test_setting_camel_case_without_the_package(api_client):
    body = assert_error(
        api_client.post("/naming/plain/", {"first_name": ""}, format="json"), 400, "invalid_request"
    )
    assert ("firstName", "/firstName") in paths(body)


@override_settings(API_ERRORS={"FIELD_NAMES": "tests.naming_views.shout"})
def test_setting_a_callable(api_client):
    body = assert_error(
        api_client.post("/naming/plain/", {"first_name": ""}, format="json"), 400, "invalid_request"
    )
    assert ("FIRST_NAME", "/FIRST_NAME") in paths(body)
    assert ("HOME_ADDRESS", "/HOME_ADDRESS") in paths(body)


def test_the_choice_is_cached_per_view_class_and_cleared_with_the_settings(api_client):
    from tests.naming_views import CamelView

    api_client.post("/naming/camel/", {}, format="json")
    assert _naming._body[CamelView] is not None
    with override_settings(API_ERRORS={"FIELD_NAMES": None}):
        assert CamelView not in _naming._body
        api_client.post("/naming/camel/", {}, format="json")
        assert _naming._body[CamelView] is None


@given(st.text(alphabet="aZ_1/~.", max_size=12))
def test_camelize_is_the_packages(key):
    assert _naming.camelize(key) == next(iter(package_camelize({key: 1})))


@given(st.lists(st.text(alphabet="ab~/0", max_size=4), min_size=1, max_size=3))
def test_pointer_resolves_to_the_key(keys):
    # The pointer, unescaped per RFC 6901 §4, leads back to the same keys.
    detail = ErrorDetail("bad", code="invalid")
    for key in reversed(keys):
        detail = {key: detail}
    (entry,) = details.from_drf(detail)
    tokens = entry["pointer"].split("/")[1:]
    assert [t.replace("~1", "/").replace("~0", "~") for t in tokens] == keys


# -- where the error was ---------------------------------------------------------


def query_entries(body):
    assert all("pointer" not in d for d in body["details"])
    return {(d["field"], d["in"]) for d in body["details"]}


def test_django_filter_errors_are_marked_query(api_client):
    body = assert_error(api_client.get("/naming/notes/?min_version=abc"), 400, "invalid_request")
    # The URL's own name: the camel-case parser does not touch the query string.
    assert query_entries(body) == {("min_version", "query")}


def test_pagination_errors_are_marked_query(api_client):
    body = assert_error(api_client.get("/naming/notes/?page_size=x"), 400, "invalid_request")
    assert query_entries(body) == {("page_size", "query")}


def test_serializer_of_query_params_is_marked_query(api_client):
    body = assert_error(api_client.get("/naming/search/?max_results=99"), 400, "invalid_request")
    assert query_entries(body) == {("search_term", "query"), ("max_results", "query")}


def test_the_same_serializer_on_the_body_is_not(api_client):
    response = api_client.post("/naming/search/?max_results=1", {"maxResults": 99}, format="json")
    body = assert_error(response, 400, "invalid_request")
    assert all("in" not in d for d in body["details"])
    assert paths(body) == {("searchTerm", "/searchTerm"), ("maxResults", "/maxResults")}


@override_settings(
    MIDDLEWARE=[*settings.MIDDLEWARE, "djangorestframework_camel_case.middleware.CamelCaseMiddleWare"]
)
def test_query_names_are_camel_with_the_packages_middleware(api_client):
    body = assert_error(api_client.get("/naming/notes/?minVersion=abc"), 400, "invalid_request")
    assert query_entries(body) == {("minVersion", "query")}
    body = assert_error(api_client.get("/naming/search/?maxResults=99"), 400, "invalid_request")
    assert query_entries(body) == {("searchTerm", "query"), ("maxResults", "query")}


# -- OpenAPI ---------------------------------------------------------------------


def test_openapi_detail_schema_and_camel_example():
    from tests.naming_views import CamelCreateView, PlainView
    from tests.schema_helpers import resolve, responses, schema_for

    class PlainCreateView(CamelCreateView):
        parser_classes = PlainView.parser_classes
        renderer_classes = PlainView.renderer_classes

    schema = schema_for(("camel/", CamelCreateView.as_view()), ("plain/", PlainCreateView.as_view()))
    detail = schema["components"]["schemas"]["ApiErrorDetail"]["properties"]
    assert {"field", "pointer", "in", "code", "message"} <= set(detail)
    assert resolve(schema, detail["in"])["allOf"][0]["enum"] == ["query"]
    for route, name in (("/camel/", "firstName"), ("/plain/", "first_name")):
        example = responses(schema, route, "post")["400"]["content"]["application/json"]["examples"]
        assert example["invalid_request"]["value"]["details"] == [
            {"field": name, "pointer": f"/{name}", "code": "required", "message": "This field is required."}
        ]


CAMELIZE = "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields"


def test_drf_spectacular_camelize_hook_leaves_the_error_schemas_as_sent(api_client):
    # The hook camelizes every registered schema in place; error bodies stay snake_case
    # (error_description, request_id), so a generated client would fail to read any error.
    from drf_spectacular.settings import patched_settings

    from tests.naming_views import CamelCreateView
    from tests.schema_helpers import assert_examples_match, responses, schema_for

    hooks = ["drf_spectacular.hooks.postprocess_schema_enums", CAMELIZE]
    with patched_settings({"POSTPROCESSING_HOOKS": hooks}):
        schema = schema_for(("camel/", CamelCreateView.as_view()))
    components = schema["components"]["schemas"]
    assert "firstName" in components["Profile"]["properties"]  # the hook ran on the view's own schema
    assert {"error_description", "request_id"} <= set(components["ApiError"]["required"])
    assert "retry_after" in components["ProblemDetails"]["properties"]
    assert "requestId" not in str(components)
    sent = api_client.post("/naming/camel/", {}, format="json").json()
    assert set(components["ApiError"]["required"]) <= set(sent)
    assert_examples_match(schema, responses(schema, "/camel/", "post")["400"])


def test_what_is_read_from_djangorestframework_camel_case_is_still_there():
    # _naming reads these; a release that renames one fails here by name.
    from djangorestframework_camel_case import middleware, parser, render
    from djangorestframework_camel_case.settings import api_settings

    assert isinstance(render.CamelCaseJSONRenderer.json_underscoreize, dict)
    assert isinstance(parser.CamelCaseJSONParser.json_underscoreize, dict)
    assert {"ignore_fields", "ignore_keys"} <= set(api_settings.JSON_UNDERSCOREIZE)
    assert middleware.CamelCaseMiddleWare.__module__.startswith(_naming._PACKAGE)


@override_settings(API_ERRORS={"FIELD_NAMES": "tests.naming_views.shout"})
def test_a_callable_leaves_query_names_alone(api_client):
    body = assert_error(api_client.get("/naming/search/?max_results=99"), 400, "invalid_request")
    assert query_entries(body) == {("search_term", "query"), ("max_results", "query")}


@override_settings(API_ERRORS={"FIELD_NAMES": "camelCase"})
def test_camel_case_style_without_the_package_installed(api_client, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "djangorestframework_camel_case.settings", None)  # import fails
    body = assert_error(
        api_client.post("/naming/plain/", {"first_name": ""}, format="json"), 400, "invalid_request"
    )
    assert ("firstName", "/firstName") in paths(body)


def test_django_validation_error_keys_are_escaped():
    from django.core.exceptions import ValidationError

    (entry,) = details.from_django(ValidationError({"a/b~c": ["Bad."]}))
    assert (entry["field"], entry["pointer"]) == ("a/b~c", "/a~1b~0c")
