"""The request id: chosen once (X-Request-ID, traceparent, or new), sent on every response."""

import asyncio
import json
import re

import pytest
from django.http import HttpResponse
from django.test import AsyncClient, RequestFactory, override_settings

from django_api_errors._requests import current_request_id, get_request_id, trace_id
from django_api_errors.middleware import ErrorMiddleware
from example_project import settings as example_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("middleware_paths")]

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize(
    "value",
    [
        TRACEPARENT,
        f"00-{TRACE}-00f067aa0ba902b7-00",  # not sampled: still a trace
    ],
)
def test_a_valid_traceparent_gives_its_trace_id(value):
    assert trace_id(value) == TRACE


@pytest.mark.parametrize(
    "value",
    [
        f"00-{'0' * 32}-00f067aa0ba902b7-01",  # all-zero trace id
        f"00-{TRACE}-{'0' * 16}-01",  # all-zero parent id
        f"ff-{TRACE}-00f067aa0ba902b7-01",  # version ff is invalid
        f"01-{TRACE}-00f067aa0ba902b7-01",  # only version 00 is read
        f"00-{TRACE.upper()}-00f067aa0ba902b7-01",  # uppercase hex
        f"00-{TRACE[:-1]}-00f067aa0ba902b7-01",  # short trace id
        f"00-{TRACE}-00f067aa0ba902b-01",  # short parent id
        f"00-{TRACE}-00f067aa0ba902b7-1",  # short flags
        f"00-{TRACE}-00f067aa0ba902b7-01-extra",
        f"00-{TRACE}-00f067aa0ba902b7-01\n",
        f"00_{TRACE}_00f067aa0ba902b7_01",
        f"00-{TRACE}-00f067aa0ba902b7-01, 00-{TRACE}-00f067aa0ba902b8-01",  # two headers joined
        f"00-{TRACE[:-1]}g-00f067aa0ba902b7-01",  # not hex
        "",
    ],
)
def test_an_invalid_traceparent_is_ignored(value):
    assert trace_id(value) is None


def rid_of(**meta):
    return get_request_id(RequestFactory().get("/", **meta))


def test_choice_of_the_id():
    assert rid_of(HTTP_X_REQUEST_ID="client-7.a_b") == "client-7.a_b"
    # A usable X-Request-ID wins over traceparent.
    assert rid_of(HTTP_X_REQUEST_ID="client-7", HTTP_TRACEPARENT=TRACEPARENT) == "client-7"
    # An unsafe one is not used: the trace id is.
    assert rid_of(HTTP_X_REQUEST_ID="bad id<script>", HTTP_TRACEPARENT=TRACEPARENT) == TRACE
    assert rid_of(HTTP_TRACEPARENT=TRACEPARENT) == TRACE
    fresh = rid_of(HTTP_TRACEPARENT=f"00-{'0' * 32}-00f067aa0ba902b7-01")
    assert HEX32.fullmatch(fresh) and fresh != "0" * 32
    with override_settings(API_ERRORS={"TRACEPARENT": False}):
        fresh = rid_of(HTTP_TRACEPARENT=TRACEPARENT)
        assert HEX32.fullmatch(fresh) and fresh != TRACE


def test_the_id_is_chosen_once_per_request():
    request = RequestFactory().get("/")
    assert get_request_id(request) == get_request_id(request)
    assert get_request_id(request) != get_request_id(RequestFactory().get("/"))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/plain/get-only/", 200),
        ("get", "/trace/sync/", 200),
        ("get", "/trace/async/", 200),
        ("post", "/plain/get-only/", 405),
        ("get", "/nowhere/", 404),
        ("get", "/drf/raise/unexpected/", 500),
        ("get", "/plain/raise/unexpected/", 500),
    ],
)
def test_every_response_carries_the_id(client, method, path, status):
    response = getattr(client, method)(path, HTTP_TRACEPARENT=TRACEPARENT)
    assert response.status_code == status
    assert response["X-Request-ID"] == TRACE
    if status >= 400:
        assert json.loads(response.content)["request_id"] == TRACE


def test_a_new_id_on_a_success_matches_nothing_else(client):
    first = client.get("/plain/get-only/")["X-Request-ID"]
    second = client.get("/plain/get-only/")["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second) and first != second


@override_settings(API_ERRORS={"REQUEST_ID_HEADER": "Request-Id"})
def test_the_header_setting_names_the_header_read_and_sent(client):
    response = client.get("/plain/get-only/", HTTP_REQUEST_ID="abc-1")
    assert response["Request-Id"] == "abc-1"
    assert not response.has_header("X-Request-ID")


def test_the_id_is_named_only_while_the_request_is_handled(client, middleware_paths):
    assert current_request_id.get() is None
    client.get("/plain/get-only/")
    assert current_request_id.get() is None
    client.get("/drf/raise/unexpected/")  # a view that raised
    assert current_request_id.get() is None
    seen = []

    def raising(request):
        seen.append(current_request_id.get())
        raise KeyError("through the middleware")

    with pytest.raises(KeyError):
        ErrorMiddleware(raising)(RequestFactory().get("/", HTTP_X_REQUEST_ID="in-scope"))
    # Named in the context variable for log records, unless no RequestIdFilter exists to read it.
    assert seen == [None if middleware_paths.endswith("RequestIdFilter") else "in-scope"]
    assert current_request_id.get() is None


def test_a_request_id_filter_makes_the_middleware_name_the_id(monkeypatch):
    from django_api_errors import _requests, _sentry
    from django_api_errors.logging import RequestIdFilter

    monkeypatch.setattr(_sentry, "installed", False)
    monkeypatch.setattr(_requests, "in_logs", False)
    seen = []

    def view(request):
        seen.append(current_request_id.get())
        return HttpResponse(status=204)

    middleware = ErrorMiddleware(view)
    first = middleware(RequestFactory().get("/"))
    RequestIdFilter()
    second = middleware(RequestFactory().get("/"))
    assert seen == [None, second["X-Request-ID"]]
    assert HEX32.fullmatch(first["X-Request-ID"])
    assert current_request_id.get() is None


def test_without_a_log_filter_errors_still_share_the_header_id(client, monkeypatch):
    from django_api_errors import _requests, _sentry

    monkeypatch.setattr(_sentry, "installed", False)
    monkeypatch.setattr(_requests, "in_logs", False)
    for path, status in (("/drf/raise/http404/", 404), ("/drf/raise/unexpected/", 500), ("/nowhere/", 404)):
        response = client.get(path)
        assert response.status_code == status
        assert HEX32.fullmatch(response["X-Request-ID"])
        assert json.loads(response.content)["request_id"] == response["X-Request-ID"]


def test_async_middleware_sends_the_id_and_resets_it():
    seen = []

    async def view(request):
        seen.append(current_request_id.get())
        return HttpResponse(status=204)

    middleware = ErrorMiddleware(view)
    assert middleware.async_mode
    response = asyncio.run(middleware(RequestFactory().get("/", HTTP_TRACEPARENT=TRACEPARENT)))
    assert response.status_code == 204
    assert response["X-Request-ID"] == TRACE and seen == [TRACE]
    assert current_request_id.get() is None


# Every middleware of the example is sync-and-async capable: under ASGI the
# whole chain runs on the event loop, as in production.
ASYNC_STACK = override_settings(MIDDLEWARE=example_settings.MIDDLEWARE)


@ASYNC_STACK
def test_under_asgi_concurrent_requests_keep_their_own_ids():
    async def both():
        client = AsyncClient()
        return await asyncio.gather(
            client.get("/trace/async/", headers={"X-Request-ID": "first"}),
            client.get("/trace/async/", headers={"X-Request-ID": "second"}),
            client.get("/nowhere/", headers={"traceparent": TRACEPARENT}),
        )

    first, second, missing = asyncio.run(both())
    assert (first.status_code, first["X-Request-ID"]) == (200, "first")
    assert (second.status_code, second["X-Request-ID"]) == (200, "second")
    assert missing.status_code == 404
    assert missing["X-Request-ID"] == json.loads(missing.content)["request_id"] == TRACE


def test_without_sentry_sdk_the_id_is_still_sent(client, monkeypatch):
    from django_api_errors import _sentry

    monkeypatch.setattr(_sentry, "installed", False)
    response = client.get("/plain/get-only/", HTTP_X_REQUEST_ID="no-tracker")
    assert response["X-Request-ID"] == "no-tracker"
    assert current_request_id.get() is None
