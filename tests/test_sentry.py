"""The real sentry-sdk, initialised with an in-memory transport: no network.

Each request's events carry the ``request_id`` tag; with ``SENTRY_EVENT_ID``
the 500 body names the event; nothing of the exception reaches the body.
"""

import json

import pytest
from django.test import override_settings

from tests.conftest import LEAK_MARKERS, assert_error

sentry_sdk = pytest.importorskip("sentry_sdk")
from sentry_sdk.integrations.django import DjangoIntegration  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

pytestmark = pytest.mark.django_db


class MemoryTransport(Transport):
    """Keeps every envelope the SDK would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [e.get_event() for e in self.envelopes if e.get_event() is not None]


@pytest.fixture
def sentry():
    transport = MemoryTransport()
    sentry_sdk.init(
        # The DSN is never contacted: the transport keeps the envelopes.
        dsn="http://public@127.0.0.1:9/1",
        transport=transport,
        default_integrations=False,
        integrations=[DjangoIntegration()],
    )
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.parametrize("path", ["/drf/raise/unexpected/", "/plain/raise/unexpected/"])
def test_the_event_of_a_500_carries_the_request_id_tag(client, sentry, path):
    response = client.get(path)
    body = assert_error(response, 500, "server_error")
    (event,) = sentry.events()
    assert event["tags"]["request_id"] == body["request_id"] == response["X-Request-ID"]
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert "secret-internal-detail" in exception["value"]
    assert "event_id" not in body  # off by default
    assert not LEAK_MARKERS.search(response.content.decode())


@pytest.mark.parametrize("path", ["/drf/raise/unexpected/", "/plain/raise/unexpected/"])
@override_settings(API_ERRORS={"SENTRY_EVENT_ID": True})
def test_the_500_body_names_the_event(client, sentry, path):
    response = client.get(path, HTTP_X_REQUEST_ID="support-quotes-this")
    body = assert_error(response, 500, "server_error")
    (event,) = sentry.events()
    assert body["event_id"] == event["event_id"]
    assert event["tags"]["request_id"] == "support-quotes-this"
    assert "secret-internal-detail" not in response.content.decode()


@override_settings(API_ERRORS={"SENTRY_EVENT_ID": True})
def test_an_event_of_an_earlier_request_is_never_named(client, sentry):
    client.get("/drf/raise/unexpected/")
    assert len(sentry.events()) == 1
    # A 500 the tracker does not capture (initialised again without the Django
    # integration): the last event id is the earlier request's, and must not appear.
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn="http://public@127.0.0.1:9/1", transport=sentry, default_integrations=False)
    assert sentry_sdk.last_event_id() == sentry.events()[0]["event_id"]
    response = client.get("/drf/raise/unexpected/")
    body = assert_error(response, 500, "server_error")
    assert len(sentry.events()) == 1
    assert "event_id" not in body


def test_the_tag_names_each_request_and_ends_with_it(client, sentry):
    client.get("/drf/raise/unexpected/", HTTP_X_REQUEST_ID="first")
    client.get("/drf/raise/unexpected/", HTTP_X_REQUEST_ID="second")
    sentry_sdk.capture_message("outside any request")
    tags = [event.get("tags", {}).get("request_id") for event in sentry.events()]
    assert tags == ["first", "second", None]


def test_client_errors_send_no_event(client, sentry):
    response = client.get("/drf/raise/http404/")
    assert response.status_code == 404
    assert sentry.events() == []
    assert "event_id" not in json.loads(response.content)


@override_settings(API_ERRORS={"SENTRY_EVENT_ID": True})
def test_without_an_initialised_sdk_the_body_names_no_event(client):
    assert not sentry_sdk.is_initialized()
    body = assert_error(client.get("/drf/raise/unexpected/"), 500, "server_error")
    assert "event_id" not in body


def test_a_failing_tracker_leaves_no_request_named(monkeypatch, sentry):
    from django.test import RequestFactory

    from django_api_errors import _sentry
    from django_api_errors._requests import current_request_id
    from django_api_errors.middleware import ErrorMiddleware

    def broken(request, request_id):
        raise RuntimeError("tracker down")

    monkeypatch.setattr(_sentry, "enter", broken)
    with pytest.raises(RuntimeError, match="tracker down"):
        ErrorMiddleware(lambda request: None)(RequestFactory().get("/"))
    assert current_request_id.get() is None
