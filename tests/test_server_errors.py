"""Server errors: generic bodies, logged with the request id, trackers notified."""

import json
import logging

import pytest
from django.core.signals import got_request_exception
from django.test import override_settings

from django_api_errors import responses
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_seen():
    seen = []

    def receiver(sender, request, **kwargs):
        seen.append(request.path)

    got_request_exception.connect(receiver)
    yield seen
    got_request_exception.disconnect(receiver)


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_logged_once_with_traceback_and_request_id(client, caplog, signals_seen, kind):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/{kind}/raise/unexpected/", HTTP_X_REQUEST_ID="req-42")
    assert_error(response, 500, "server_error")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert "req-42" in records[0].getMessage()
    assert records[0].exc_info is not None and records[0].exc_info[0] is ValueError
    assert signals_seen == [f"/{kind}/raise/unexpected/"]


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_client_errors_are_not_logged_as_server_errors(client, caplog, kind):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert_error(client.get(f"/{kind}/raise/integrity_unique/"), 409, "conflict")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("kind", ["drf", "plain"])
@override_settings(DEBUG=True)
def test_debug_shows_traceback_in_json(client, kind):
    response = client.get(f"/{kind}/raise/unexpected/")
    if kind == "plain":
        # Django's own technical 500 page answers plain views under DEBUG.
        assert response.status_code == 500
        return
    body = json.loads(response.content)
    assert body["error"] == "server_error"
    assert any("ValueError" in line for line in body["traceback"])


@override_settings(DEBUG=True, API_ERRORS={"DEBUG_TRACEBACK": False})
def test_debug_traceback_can_be_turned_off(client):
    body = json.loads(client.get("/drf/raise/unexpected/").content)
    assert "traceback" not in body


@pytest.mark.parametrize("kind", ["drf", "plain"])
def test_formatting_failure_still_answers_json(client, monkeypatch, caplog, kind):
    def broken(problem, request_id):
        raise RuntimeError("formatter exploded")

    monkeypatch.setattr(responses, "build_body", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/{kind}/raise/drf_not_found/")
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["error"] == "server_error"
    assert body["request_id"] == response["X-Request-ID"]
    assert "formatter exploded" not in response.content.decode()
    assert any("formatter exploded" in (r.exc_text or "") for r in caplog.records)


def test_minimal_response_without_request():
    response = responses.minimal_response()
    assert json.loads(response.content)["error"] == "server_error"


def test_fallback_body_says_what_the_table_says():
    # The fallback copies the table's wording so that it needs no lookup; keep them equal.
    from django.utils import translation

    from django_api_errors import codes

    entry = codes.get("server_error")
    response = responses.minimal_response()
    with translation.override("en"):
        assert json.loads(responses.MINIMAL_BODY)["error_description"] == str(entry.description)
    assert response.status_code == entry.status
