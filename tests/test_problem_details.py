"""RFC 9457 Problem Details: negotiation, members, and every path that renders errors."""

import json
import logging

import pytest
from django.test import RequestFactory, override_settings

from django_api_errors import codes
from django_api_errors.exceptions import ApiError, Conflict
from django_api_errors.handlers import exception_handler
from django_api_errors.problem_details import wants_problem_details
from tests.conftest import assert_error, assert_problem
from tests.test_mapping import ROWS

PROBLEM = "application/problem+json"
rf = RequestFactory()
pytestmark = pytest.mark.usefixtures("problem_negotiation")


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        ("", False, False),
        ("*/*", False, False),
        ("application/json", False, False),
        (PROBLEM, False, True),
        (f"application/json, {PROBLEM}", False, True),
        (f"{PROBLEM};q=0.5, application/json", False, False),
        (f"application/json;q=0.4, {PROBLEM};q=0.9", False, True),
        (f"{PROBLEM};q=0", False, False),
        (f"{PROBLEM};q=oops", False, False),
        ("APPLICATION/PROBLEM+JSON ; Q=1", False, True),
        (f"{PROBLEM};level=1", False, True),
        ("application/vnd.problem+json", False, False),
        ("application/xhtml+xml, */*", False, False),
        ("", True, True),
        ("*/*", True, True),
        ("application/json", True, False),
        ("application/json;q=0", True, True),
        (f"{PROBLEM};q=0, application/json", True, False),
        (f"application/json, {PROBLEM}", True, True),
    ],
)
def test_negotiation(accept, default, expected):
    with override_settings(API_ERRORS={"PROBLEM_DETAILS": default}):
        assert wants_problem_details(rf.get("/", HTTP_ACCEPT=accept)) is expected


def test_request_without_meta_gets_json():
    assert wants_problem_details(None) is False


def _handle(exc, path="/notes/7/", accept=PROBLEM):
    return exception_handler(exc, {"request": rf.get(path, HTTP_ACCEPT=accept), "view": None})


@override_settings(API_ERRORS={})
def test_members_without_error_uri():
    body = assert_problem(_handle(Conflict("The note is archived.", archived=True)), 409, "conflict")
    assert body["type"] == "about:blank"
    assert body["title"] == "Conflict"
    assert body["detail"] == "The note is archived."
    assert body["instance"] == "/notes/7/"
    assert body["archived"] is True


@override_settings(API_ERRORS={"ERROR_URI": "https://docs.example.com/errors#{code}"})
def test_type_is_the_error_uri_and_title_the_code_description():
    body = assert_problem(_handle(Conflict("The note is archived.")), 409, "conflict")
    assert body["type"] == "https://docs.example.com/errors#conflict"
    assert body["title"] == str(codes.get("conflict").description)
    assert "error_uri" not in body


@override_settings(API_ERRORS={})
def test_extra_members_cannot_replace_standard_ones():
    body = assert_problem(_handle(Conflict(type="x", status=200, instance="y", error="z")), 409, "conflict")
    assert (body["type"], body["status"], body["instance"]) == ("about:blank", 409, "/notes/7/")


def test_instance_is_an_escaped_path():
    body = assert_problem(_handle(Conflict(), path="/notes/caf\u00e9 x/"), 409, "conflict")
    assert body["instance"] == "/notes/caf%C3%A9%20x/"


def test_status_without_a_phrase_takes_the_code_description():
    codes.register("client_closed", 499, "The client went away.")
    try:
        body = assert_problem(_handle(ApiError(code="client_closed")), 499, "client_closed")
        assert body["title"] == "The client went away."
    finally:
        codes.unregister("client_closed")


def _same_but_media_type(json_response, problem_response):
    ignored = {"Content-Type", "Content-Length", "X-Request-ID"}
    assert json_response.status_code == problem_response.status_code
    assert {k: v for k, v in json_response.items() if k not in ignored} == {
        k: v for k, v in problem_response.items() if k not in ignored
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["drf", "plain"])
@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_row_in_both_media_types(client, kind, name, atomic_requests):
    # Each request writes rows: ATOMIC_REQUESTS rolls the first back before the second.
    status, code, headers = ROWS[name]
    as_json = client.get(f"/{kind}/raise/{name}/")
    as_problem = client.get(f"/{kind}/raise/{name}/", HTTP_ACCEPT=PROBLEM)
    assert_error(as_json, status, code, headers=headers)
    body = assert_problem(as_problem, status, code, headers=headers)
    _same_but_media_type(as_json, as_problem)
    assert set(json.loads(as_json.content)) - {"error_description", "error_uri"} <= set(body)


@pytest.mark.django_db
def test_field_errors_are_kept(api_client):
    response = api_client.post("/drf/orders/", {"items": [{"qty": 0}]}, format="json", HTTP_ACCEPT=PROBLEM)
    body = assert_problem(response, 400, "invalid_request")
    assert {item["field"] for item in body["details"]} >= {"customer", "items.0.name", "items.0.qty"}


@pytest.mark.django_db
@override_settings(API_ERRORS={"PROBLEM_DETAILS": True})
def test_setting_makes_it_the_default(client):
    assert_problem(client.get("/no/such/route/"), 404, "not_found")
    assert_problem(client.get("/middleware/boom/"), 500, "server_error")
    assert_error(client.get("/no/such/route/", HTTP_ACCEPT="application/json"), 404, "not_found")


@pytest.mark.django_db
def test_server_errors_are_logged_the_same(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        body = assert_problem(client.get("/drf/raise/unexpected/", HTTP_ACCEPT=PROBLEM), 500, "server_error")
    assert body["request_id"] in caplog.text
    assert "secret-internal-detail" in caplog.text  # logged, never answered


def test_csrf_failure_view():
    from django_api_errors.views import csrf_failure

    body = assert_problem(
        csrf_failure(rf.post("/form/", HTTP_ACCEPT=PROBLEM), "no cookie"), 403, "access_denied"
    )
    assert "CSRF" in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "status", "content_type"),
    [
        (PROBLEM, 200, "application/json"),
        (f"{PROBLEM}, application/json;q=0.5", 200, "application/json"),
        (f"{PROBLEM}, text/csv", 406, PROBLEM),
        ("text/csv", 406, "application/json"),
        ("", 406, "application/json"),
    ],
)
def test_problem_json_does_not_make_successes_unacceptable(api_client, accept, status, content_type):
    api_client.force_authenticate(user=_user())
    response = api_client.get("/drf/session/", HTTP_ACCEPT=accept)
    assert response.status_code == status
    assert response["Content-Type"] == content_type


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="carol")[0]
