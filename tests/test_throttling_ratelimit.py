"""django-ratelimit through the app's drop-in decorator: 429 with the real Retry-After."""

import asyncio
import zlib

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.core.cache import cache
from django.http import JsonResponse

from django_api_errors.throttling import ratelimit as app_ratelimit
from tests.asynckit import send
from tests.conftest import assert_error
from tests.throttle_helpers import parse_list

pytestmark = [pytest.mark.urls("tests.throttle_helpers"), pytest.mark.django_db]
GROUPS = {
    "/rl/drf/": "helpers.drf",
    "/rl/cbv/": "helpers.cbv",
    "/rl/fbv/": "helpers.fbv",
    "/rl/adrf/": "helpers.adrf",
    "/rl/acbv/": "helpers.acbv",
    "/rl/afbv/": "helpers.afbv",
    "/rl/adrf-method/": "helpers.adrf-method",  # the decorator on a method, no method_decorator
    "/rl/drf-method/": "helpers.drf-method",
}
PATHS = list(GROUPS)
JITTER = zlib.crc32(b"127.0.0.1") % 60  # django-ratelimit's per-key window offset


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _freeze(monkeypatch, seconds_left):
    # django-ratelimit's windows end at k*60 + JITTER for this client.
    end = 1_800_000_000 - (1_800_000_000 % 60) + JITTER
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: float(end - seconds_left))


@pytest.mark.parametrize("path", PATHS)
def test_retry_after_is_the_time_left_in_the_window(client, monkeypatch, path):
    _freeze(monkeypatch, 17)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    response = client.get(path)
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert response["Retry-After"] == "17"
    assert body["retry_after"] == 17


@pytest.mark.parametrize(("path", "group"), GROUPS.items())
def test_ratelimit_headers_on_success_and_refusal(client, monkeypatch, path, group):
    _freeze(monkeypatch, 17)
    first = client.get(path)
    assert first.status_code == 200
    assert parse_list(first["RateLimit-Policy"]) == {group: {"q": 2, "w": 60}}
    assert parse_list(first["RateLimit"]) == {group: {"a": 1, "w": 17}}
    client.get(path)
    refused = client.get(path)
    assert refused.status_code == 429
    assert parse_list(refused["RateLimit"]) == {group: {"a": 0, "w": 17}}


def test_ratelimit_headers_switch_off(client, settings):
    settings.API_ERRORS = {"RATELIMIT_HEADERS": False}
    response = client.get("/rl/fbv/")
    assert response.status_code == 200 and not response.has_header("RateLimit")


@pytest.mark.parametrize(
    ("rate", "seconds"),
    [("10/m", 60), ("100/5m", 300), ("7/d", 86400), ("3/h", 3600), ((5, 42), 42), ("x", None)],
)
def test_period_of(rate, seconds):
    assert app_ratelimit.period_of(rate) == seconds


def test_callable_rate_is_resolved_once_and_named_by_group(rf):
    calls = []

    def rate(group, request):
        calls.append(group)
        return "5/h"

    view = app_ratelimit.ratelimit(key="ip", rate=rate, group="helpers.callable")(lambda r: JsonResponse({}))
    response = view(rf.get("/"))
    assert calls == ["helpers.callable"]
    assert parse_list(response["RateLimit-Policy"]) == {"helpers.callable": {"q": 5, "w": 3600}}


@pytest.mark.parametrize("path", PATHS)
def test_no_time_left_at_window_edge_still_says_one_second(client, monkeypatch, path):
    _freeze(monkeypatch, 0)
    client.get(path)
    client.get(path)
    response = client.get(path)
    body = assert_error(response, 429, "usage_limit_exceeded")
    assert response["Retry-After"] == "1" and body["retry_after"] == 1


def test_retry_after_of_usage():
    assert app_ratelimit.retry_after({"time_left": 5}) == 5
    assert app_ratelimit.retry_after({"time_left": 0}) == 1
    assert app_ratelimit.retry_after({"time_left": -1}) is None
    assert app_ratelimit.retry_after(None) is None


@pytest.mark.parametrize(("fail_open", "status"), [(True, 200), (False, 429)])
def test_cache_failure_fails_as_configured(client, monkeypatch, settings, fail_open, status):
    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(app_ratelimit, "get_usage", broken)
    settings.API_ERRORS = {"THROTTLE_FAIL_OPEN": fail_open, "RETRY_AFTER": 9}
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == status
        if status == 429:
            assert_error(response, 429, "usage_limit_exceeded")
            assert response["Retry-After"] == "9"


def test_block_false_marks_the_request(client, monkeypatch):
    decorated = app_ratelimit.ratelimit(key="ip", rate="1/m", group="helpers.nonblocking", block=False)
    view = decorated(lambda request: request.limited)
    from django.test import RequestFactory

    factory = RequestFactory()
    assert view(factory.get("/")) is False
    assert view(factory.get("/")) is True


def test_misconfiguration_is_not_swallowed(rf):
    from django.core.exceptions import ImproperlyConfigured

    view = app_ratelimit.ratelimit(rate="1/m", group="helpers.nokey")(lambda request: "ok")
    with pytest.raises(ImproperlyConfigured):
        view(rf.get("/"))


ASYNC_PATHS = ["/rl/adrf/", "/rl/acbv/", "/rl/afbv/", "/rl/adrf-method/"]


@pytest.mark.parametrize("path", ASYNC_PATHS)
def test_async_views_answer_through_the_asgi_handler(monkeypatch, path):
    _freeze(monkeypatch, 17)
    on_loop = []
    count = app_ratelimit.get_usage

    def spy(*args, **kwargs):
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return count(*args, **kwargs)

    monkeypatch.setattr(app_ratelimit, "get_usage", spy)
    first, second, refused = (send("async", "get", path) for _ in range(3))
    assert first.status_code == 200 and first.json()["ok"] is True  # the view ran and was awaited
    assert parse_list(second["RateLimit"]) == {GROUPS[path]: {"a": 0, "w": 17}}
    body = assert_error(refused, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert refused["Retry-After"] == "17" and body["retry_after"] == 17
    assert on_loop == [False, False, False]  # counted in a thread: the sync cache never blocks the loop


def test_block_false_marks_the_request_of_an_async_view(rf):
    async def view(request):
        return request.limited

    decorated = app_ratelimit.ratelimit(key="ip", rate="1/m", group="helpers.anonblocking", block=False)(view)
    assert iscoroutinefunction(decorated)
    assert async_to_sync(decorated)(rf.get("/")) is False
    assert async_to_sync(decorated)(rf.get("/")) is True


def test_misconfiguration_of_an_async_view_is_not_swallowed(rf):
    from django.core.exceptions import ImproperlyConfigured

    async def view(request):
        return "ok"

    with pytest.raises(ImproperlyConfigured):
        async_to_sync(app_ratelimit.ratelimit(rate="1/m", group="helpers.anokey")(view))(rf.get("/"))


def test_views_decorated_from_outside_count_each_on_their_own(rf):
    # django-ratelimit names a group after the function, and every as_view()
    # function has one name: two @api_view views decorated from above shared a count.
    from rest_framework.decorators import api_view
    from rest_framework.response import Response

    def limited(name):
        def view(request):
            return Response({"view": name})

        view.__name__ = name
        return app_ratelimit.ratelimit(key="ip", rate="1/m")(api_view(["GET"])(view))

    first, second = limited("first_view"), limited("second_view")
    assert first(rf.get("/")).status_code == 200
    assert second(rf.get("/")).status_code == 200  # its own count: was refused
    with pytest.raises(app_ratelimit.Ratelimited):
        first(rf.get("/"))


def test_a_request_passed_by_name_is_counted(rf):
    def view(request):
        return JsonResponse({"ok": True})

    decorated = app_ratelimit.ratelimit(key="ip", rate="1/m", group="by-name")(view)
    assert decorated(request=rf.get("/")).status_code == 200
    with pytest.raises(app_ratelimit.Ratelimited):
        decorated(request=rf.get("/"))
