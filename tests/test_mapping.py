"""Every row of the error mapping, through real requests, in DRF and plain views."""

import pytest

from tests.conftest import assert_error
from tests.models import Note

pytestmark = pytest.mark.django_db

# name of the raising view -> (status, code, headers the response must carry)
ROWS = {
    "drf_validation": (400, "invalid_request", ()),
    "django_validation": (400, "invalid_request", ()),
    "bad_request": (400, "invalid_request", ()),
    "suspicious": (400, "invalid_request", ()),
    "disallowed_host": (400, "invalid_request", ()),
    "too_many_fields": (400, "invalid_request", ()),
    "too_many_files": (400, "invalid_request", ()),
    "too_big": (413, "invalid_request", ()),
    "unreadable_body": (400, "invalid_request", ()),
    "not_acceptable": (406, "invalid_request", ()),
    "unsupported": (415, "invalid_content_type", ()),
    "not_authenticated": (401, "unauthorized_client", ("WWW-Authenticate",)),
    "authentication_failed": (401, "unauthorized_client", ("WWW-Authenticate",)),
    "session_expired": (401, "session_expired", ("WWW-Authenticate",)),
    "drf_permission": (403, "access_denied", ()),
    "django_permission": (403, "access_denied", ()),
    "insufficient_scope": (403, "insufficient_scope", ("WWW-Authenticate",)),
    "http404": (404, "not_found", ()),
    "drf_not_found": (404, "not_found", ()),
    "get_object_or_404": (404, "not_found", ()),
    "integrity_unique": (409, "conflict", ()),
    "django_unique_together": (409, "conflict", ()),
    "django_unique": (409, "conflict", ()),
    "protected": (409, "conflict", ()),
    "precondition_failed": (412, "precondition_failed", ()),
    "throttled": (429, "usage_limit_exceeded", ("Retry-After",)),
    "throttled_no_wait": (429, "usage_limit_exceeded", ("Retry-After",)),
    "ratelimited": (429, "usage_limit_exceeded", ("Retry-After",)),
    "integrity_other": (500, "server_error", ()),
    "unexpected": (500, "server_error", ()),
}


@pytest.mark.parametrize("kind", ["drf", "plain"])
@pytest.mark.parametrize("name", sorted(ROWS))
def test_row(client, kind, name):
    status, code, headers = ROWS[name]
    response = client.get(f"/{kind}/raise/{name}/")
    assert_error(response, status, code, headers=headers)


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_unique_violation_names_fields(client, kind):
    body = assert_error(client.get(f"/{kind}/raise/integrity_unique/"), 409, "conflict")
    assert body["fields"] == ["owner", "title"]  # the model's names, not the columns


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_protected_delete_names_relation(client, kind):
    body = assert_error(client.get(f"/{kind}/raise/protected/"), 409, "conflict")
    assert body["blocked_by"] == ["tests.Comment"]


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_retry_after_is_whole_seconds(client, kind):
    body = assert_error(client.get(f"/{kind}/raise/throttled/"), 429, "usage_limit_exceeded")
    assert body["retry_after"] == 13
    assert client.get(f"/{kind}/raise/throttled/")["Retry-After"] == "13"


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_insufficient_scope_challenge(client, kind):
    response = client.get(f"/{kind}/raise/insufficient_scope/")
    body = assert_error(response, 403, "insufficient_scope")
    assert body["scope"] == "notes:write notes:read"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:write notes:read"'


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_django_validation_details(client, kind):
    body = assert_error(client.get(f"/{kind}/raise/django_validation/"), 400, "invalid_request")
    fields = {item["field"]: item["code"] for item in body["details"]}
    assert fields["title"] == "max_length"
    assert "Ensure this value has at most 100 characters (it has 200)." in [
        d["message"] for d in body["details"]
    ]


@pytest.mark.parametrize("kind", ["drf", "plain"])
@pytest.mark.parametrize(
    ("name", "fields"), [("django_unique_together", ["owner", "title"]), ("django_unique", ["username"])]
)
def test_full_cleans_unique_check_is_a_conflict_like_the_databases(client, kind, name, fields):
    # full_clean() found the row the INSERT would have collided with: the same
    # 409 as the IntegrityError, not a 400 (a plain view's duplicate got 400).
    body = assert_error(client.get(f"/{kind}/raise/{name}/"), 409, "conflict")
    assert body["fields"] == fields
    assert {item["code"] for item in body["details"]} <= {"unique", "unique_together"}


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_partial_write_rolled_back(client, kind, atomic_requests):
    # ATOMIC_REQUESTS is on: the first row must not survive the failure.
    assert_error(client.get(f"/{kind}/raise/partial_write/"), 500, "server_error")
    assert not Note.objects.filter(title__in=["first", "second"]).exists()


def test_explicit_atomic_block_rolled_back(client):
    assert_error(client.get("/plain/atomic/"), 500, "server_error")
    assert Note.objects.count() == 0


def test_unknown_route(client):
    assert_error(client.get("/no/such/route/"), 404, "not_found")


def test_error_in_middleware(client):
    assert_error(client.get("/middleware/boom/"), 500, "server_error")


def test_disallowed_host_from_common_middleware(client):
    # CommonMiddleware asks for the host; Django answers through handler400.
    assert_error(client.get("/drf/orders/", HTTP_HOST="evil.example.com"), 400, "invalid_request")


def test_method_not_allowed_keeps_allow(api_client):
    response = api_client.delete("/drf/orders/")
    assert_error(response, 405, "invalid_request", headers=("Allow",))
    assert "POST" in response["Allow"]


def test_malformed_json(api_client):
    response = api_client.post("/drf/orders/", b'{"customer": ', content_type="application/json")
    assert_error(response, 400, "invalid_request")


def test_invalid_utf8_json(api_client):
    response = api_client.post("/drf/orders/", b'{"customer": "\xff\xfe"}', content_type="application/json")
    assert_error(response, 400, "invalid_request")


def test_json_nested_too_deep(api_client):
    depth = 100_000
    response = api_client.post("/drf/orders/", b"[" * depth + b"]" * depth, content_type="application/json")
    assert_error(response, 400, "invalid_request")


def test_unsupported_media_type_lists_supported(api_client):
    response = api_client.post("/drf/orders/", b"<order/>", content_type="application/xml")
    body = assert_error(response, 415, "invalid_content_type")
    assert "application/json" in body["supported_media_types"]
    assert "Accept-Patch" not in response  # only a PATCH's 415 names it


def test_an_unsupported_patch_document_gets_accept_patch(api_client):
    response = api_client.patch("/drf/echo/", b"{}", content_type="application/merge-patch+json")
    body = assert_error(response, 415, "invalid_content_type")
    assert response["Accept-Patch"] == ", ".join(body["supported_media_types"])
    assert "application/json" in body["supported_media_types"]


def test_body_without_content_type(api_client):
    response = api_client.generic("POST", "/drf/orders/", b'{"customer": "x"}', content_type="")
    assert_error(response, 415, "invalid_content_type")


def test_not_acceptable_through_negotiation(api_client):
    response = api_client.post("/drf/orders/", {}, format="json", HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "invalid_request")


def test_session_only_api_answers_401_not_403(api_client):
    # DRF would answer 403: SessionAuthentication has no challenge of its own.
    response = api_client.get("/drf/session/")
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == 'Session realm="api"'


def test_csrf_failure_in_drf_session_view(django_user_model):
    from rest_framework.test import APIClient

    user = django_user_model.objects.create_user("carol", password="pw")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    body = assert_error(client.post("/drf/session/", {}, format="json"), 403, "access_denied")
    assert "CSRF" in body["error_description"]


def test_csrf_failure_in_plain_view():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = assert_error(client.post("/plain/csrf/"), 403, "access_denied")
    assert "CSRF" in body["error_description"]


@pytest.mark.parametrize("path", ["/drf/ratelimited/", "/plain/ratelimited-cbv/", "/plain/ratelimited-fbv/"])
def test_django_ratelimit_answers_429(client, path):
    from django.core.cache import cache

    cache.clear()
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    response = client.get(path)
    assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("integrity_unique", 409, "conflict"),
        ("django_validation", 400, "invalid_request"),
        ("session_expired", 401, "session_expired"),
        ("unexpected", 500, "server_error"),
    ],
)
def test_plain_views_without_the_middleware(client, settings, name, status, code):
    # handler500 still finds the documented code of the exception in flight.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ErrorMiddleware")]
    response = client.get(f"/plain/raise/{name}/")
    assert_error(response, status, code)
    if status == 401:
        assert response["WWW-Authenticate"] == 'Session realm="api"'


def test_parse_errors_do_not_quote_the_parser(api_client):
    body = b'{"n": ' + b"9" * 5000 + b"}"
    response = api_client.post("/drf/orders/", body, content_type="application/json")
    payload = assert_error(response, 400, "invalid_request")
    assert "4300" not in payload["error_description"]
    assert "set_int_max_str_digits" not in response.content.decode()
