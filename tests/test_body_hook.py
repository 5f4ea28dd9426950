"""API_ERRORS["BODY_HOOK"]: a user's formatter, and what happens when it fails."""

import logging

import pytest
from django.test import override_settings

from django_api_errors.checks import check_settings
from tests.conftest import assert_error, assert_problem

pytestmark = pytest.mark.django_db


def add_support_link(body, problem, request):
    body["support"] = f"https://support.example.com/?rid={body['request_id']}"
    body["status"] = problem.status


def replace_body(body, problem, request):
    return {
        "code": body["error"],
        "request_id": body["request_id"],
        "error": body["error"],
        "error_description": body["error_description"],
    }


def broken_hook(body, problem, request):
    raise RuntimeError("hook exploded")


@pytest.mark.parametrize("kind", ["drf", "plain"])
@override_settings(API_ERRORS={"BODY_HOOK": "tests.test_body_hook.add_support_link"})
def test_hook_adds_members(client, kind):
    body = assert_error(client.get(f"/{kind}/raise/drf_not_found/"), 404, "not_found")
    assert body["support"].endswith(body["request_id"]) and body["status"] == 404


@override_settings(
    API_ERRORS={"BODY_HOOK": "tests.test_body_hook.replace_body", "ERROR_URI": "https://example.com/e#{code}"}
)
def test_hook_may_return_a_new_body(client):
    # The body the hook received had error_uri (ERROR_URI is set); the new one has not.
    body = assert_error(client.get("/drf/raise/precondition_failed/"), 412, "precondition_failed")
    assert body["code"] == "precondition_failed" and "error_uri" not in body


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("drf", "drf_not_found"),
        ("plain", "http404"),
        ("drf", "unexpected"),
        ("plain", "unexpected"),
        ("plain", "integrity_unique"),
    ],
)
@override_settings(API_ERRORS={"BODY_HOOK": "tests.test_body_hook.broken_hook"})
def test_a_failing_hook_still_answers_a_valid_server_error(client, caplog, kind, name):
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/{kind}/raise/{name}/")
    body = assert_error(response, 500, "server_error")
    assert "hook exploded" not in response.content.decode()
    logged = "\n".join((r.getMessage() + (r.exc_text or "")) for r in caplog.records)
    assert "hook exploded" in logged  # the hook's own failure
    original = {
        "drf_not_found": "NotFound",
        "http404": "Http404",
        "unexpected": "ValueError",
        "integrity_unique": "IntegrityError",
    }[name]
    assert original in logged  # and the error it was formatting
    assert body["request_id"] == response["X-Request-ID"]


@override_settings(API_ERRORS={"BODY_HOOK": "tests.test_body_hook.no_such_function"})
def test_unimportable_hook_is_reported_by_checks():
    assert [m.id for m in check_settings()] == ["django_api_errors.E002"]


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_hook_is_not_applied_to_problem_details(client, problem_negotiation, kind):
    with override_settings(API_ERRORS={"BODY_HOOK": "tests.test_body_hook.add_support_link"}):
        problem = client.get(f"/{kind}/raise/drf_not_found/", HTTP_ACCEPT="application/problem+json")
        plain = client.get(f"/{kind}/raise/drf_not_found/")
    body = assert_problem(problem, 404, "not_found")
    assert "support" not in body
    # The same request as JSON does get the hook's member: the hook was active.
    assert assert_error(plain, 404, "not_found")["support"].endswith(plain["X-Request-ID"])


@override_settings(API_ERRORS={"BODY_HOOK": "tests.test_body_hook.broken_hook"})
def test_a_failing_hook_on_a_csrf_failure(caplog):
    from django.test import Client

    with caplog.at_level(logging.ERROR):
        response = Client(enforce_csrf_checks=True).post("/plain/csrf/")
    assert_error(response, 500, "server_error")
    assert any("hook exploded" in (r.exc_text or "") for r in caplog.records)
