"""RequestIdFilter: every record written while a request is handled names its id."""

import asyncio
import json
import logging

import pytest
from django.test import AsyncClient, RequestFactory, override_settings

from django_api_errors._requests import bind, get_request_id, unbind
from django_api_errors.logging import RequestIdFilter
from example_project import settings as example_settings
from tests import trace_views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("middleware_paths")]


class Records(logging.Handler):
    """Keeps (logger, message, request_id) of every record, after the filter ran."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.seen = []

    def emit(self, record):
        self.seen.append((record.name, record.getMessage(), record.request_id))

    def ids(self, message):
        return [rid for _, text, rid in self.seen if text == message]


@pytest.fixture
def records():
    handler = Records()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def record(**attributes):
    made = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    made.__dict__.update(attributes)
    return made


def test_outside_a_request_the_id_is_a_dash():
    seen = record()
    assert RequestIdFilter().filter(seen) is True
    assert seen.request_id == "-"


def test_while_a_request_is_bound_any_record_gets_the_id():
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="scoped-1")
    token = bind(request)
    try:
        seen = record()
        RequestIdFilter().filter(seen)
    finally:
        unbind(request, token)
    assert seen.request_id == "scoped-1"
    after = record()
    RequestIdFilter().filter(after)
    assert after.request_id == "-"


def test_django_request_records_name_their_request():
    # django.request writes its 4xx warnings after the middleware returned:
    # the record's request names the id.
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="attached-2")
    get_request_id(request)
    seen = record(request=request)
    RequestIdFilter().filter(seen)
    assert seen.request_id == "attached-2"
    unnamed = record(request=RequestFactory().get("/"))  # a request that never got an id
    RequestIdFilter().filter(unnamed)
    assert unnamed.request_id == "-"


def test_views_and_djangos_warnings_name_the_id(client, records):
    client.get("/trace/sync/?n=s", HTTP_X_REQUEST_ID="sync-1")
    client.get("/trace/async/?n=a", HTTP_X_REQUEST_ID="async-1")
    client.get("/nowhere/", HTTP_X_REQUEST_ID="missing-1")
    client.get("/drf/raise/http404/", HTTP_X_REQUEST_ID="drf-404")
    client.get("/drf/raise/unexpected/", HTTP_X_REQUEST_ID="boom-1")
    # A JSON error a plain view returns is kept as it is; Django's warning still names the id.
    kept = client.get("/plain/returns-json-400/")
    assert records.ids("sync view s") == ["sync-1"]
    assert records.ids("async view a") == ["async-1"]
    assert records.ids("Not Found: /nowhere/") == ["missing-1"]
    assert records.ids("Not Found: /drf/raise/http404/") == ["drf-404"]
    assert records.ids("Internal Server Error: /drf/raise/unexpected/ (request id boom-1)") == ["boom-1"]
    assert records.ids("Bad Request: /plain/returns-json-400/") == [kept["X-Request-ID"]]
    logging.getLogger("tests.trace").info("after the requests")
    assert records.ids("after the requests") == ["-"]


def test_a_view_that_logs_then_fails_names_one_id_throughout(client, records):
    # No incoming id: the new one in the view's log line is the one of the error body and header.
    for kind in ("sync", "async"):
        response = client.get(f"/trace/{kind}/?n=f&fail=1")
        assert response.status_code == 500
        rid = json.loads(response.content)["request_id"]
        assert response["X-Request-ID"] == rid
        assert records.ids(f"{kind} view f") == [rid]


@override_settings(MIDDLEWARE=example_settings.MIDDLEWARE)
def test_concurrent_async_requests_never_see_each_others_id(records):
    trace_views.meeting.__init__()

    async def both():
        client = AsyncClient()
        return await asyncio.gather(
            client.get("/trace/async-meet/?n=1", headers={"X-Request-ID": "req-1"}),
            client.get("/trace/async-meet/?n=2", headers={"X-Request-ID": "req-2"}),
        )

    responses = asyncio.run(both())
    assert [r.status_code for r in responses] == [200, 200]
    # Both requests logged "before" ahead of either "after": they overlapped, on one thread.
    order = [text for name, text, _ in records.seen if name == "tests.trace"]
    assert sorted(order[:2]) == ["before 1", "before 2"] and sorted(order[2:]) == ["after 1", "after 2"]
    for n in ("1", "2"):
        assert records.ids(f"before {n}") == records.ids(f"after {n}") == [f"req-{n}"]
