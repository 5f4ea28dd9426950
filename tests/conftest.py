import json
import os
import re

import pytest

# DRF copies its settings into class attributes (APIView.throttle_classes,
# GenericAPIView.pagination_class, ...) when these modules are first imported:
# import them under the suite's settings, not inside some test's override_settings.
import rest_framework.generics  # noqa: F401
from django.test import Client
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from tests.servers import postgres_server  # noqa: F401 - session fixtures shared by every module

# CI replays the same examples on every run, so a submission's result does not
# depend on luck; local runs keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

# Strings that must never reach a client with DEBUG=False.  A Python traceback
# starts "Traceback (most recent call last)" (DRF's browsable page has a CSS
# class comment "Generic.Traceback", which is not one).
LEAK_MARKERS = re.compile(
    r"secret-internal-detail|Traceback \(most recent|File \"|/etc/passwd|/work/|/srv/|/usr/lib|site-packages|\.py\b"
    r"|SELECT |INSERT |UPDATE |DELETE FROM|constraint failed|duplicate key|psycopg|sqlite3?\b"
    r"|example-only-not-secret|SECRET_KEY|DATABASES|127\.0\.0\.1:\d{4,5}/\w+\?",
)


def _assert_common(response, status, code, headers, content_type):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == content_type
    body = json.loads(response.content)
    assert body["error"] == code
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,200}", body["request_id"])
    assert response["X-Request-ID"] == body["request_id"]
    for name in headers:
        assert response.has_header(name), name
    assert not LEAK_MARKERS.search(response.content.decode()), response.content
    for name, value in response.items():
        assert not LEAK_MARKERS.search(value), (name, value)
    return body


def assert_error(response, status, code, *, headers=()):
    """The response is the documented error body with ``status`` and ``code``."""
    body = _assert_common(response, status, code, headers, "application/json")
    assert isinstance(body["error_description"], str) and body["error_description"]
    return body


def assert_problem(response, status, code, *, headers=()):
    """The response is an RFC 9457 problem document with ``status`` and ``code``."""
    body = _assert_common(response, status, code, headers, "application/problem+json")
    assert body["status"] == status
    for member in ("type", "title", "detail", "instance"):
        assert isinstance(body[member], str) and body[member], member
    assert "error_description" not in body
    return body


@pytest.fixture(autouse=True)
def _isolated_global_state():
    """Each test starts from the same module state, whatever ran before it (the order is random).

    Registered codes, the settings cache, the active language (LocaleMiddleware
    leaves the request's language active) and the counts of throttles and
    django-ratelimit in the local-memory cache.
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.utils import translation

    from django_api_errors import codes, conf

    registered = dict(codes._registered)
    vars(conf.settings).clear()  # the settings cache (see conf.Setting)
    yield
    codes._registered.clear()
    codes._registered.update(registered)
    vars(conf.settings).clear()  # the settings cache (see conf.Setting)
    translation.deactivate()
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture
def client():
    # Django's client re-raises exceptions it sees through got_request_exception;
    # a real client sees the 500 response, and so should the tests.
    return Client(raise_request_exception=False)


@pytest.fixture
def problem_negotiation(settings, monkeypatch):
    """DRF views negotiate application/problem+json (the README's REST_FRAMEWORK setting).

    APIView reads DEFAULT_CONTENT_NEGOTIATION_CLASS once, when the class is
    defined, so the views already imported get the class too.
    """
    from rest_framework.views import APIView

    from django_api_errors.negotiation import ProblemDetailsNegotiation

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_CONTENT_NEGOTIATION_CLASS": "django_api_errors.negotiation.ProblemDetailsNegotiation",
    }
    monkeypatch.setattr(APIView, "content_negotiation_class", ProblemDetailsNegotiation)


@pytest.fixture
def atomic_requests(monkeypatch):
    """ATOMIC_REQUESTS on the default database, for the tests of rollbacks."""
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)


@pytest.fixture
def api_client():
    return APIClient(raise_request_exception=False)


def pytest_sessionfinish(session, exitstatus):
    """Scan every error response the suite produced for leaked internals."""
    from tests.middleware import RECORDED

    leaks = []
    for path, status, headers, content in RECORDED:
        texts = [content.decode("utf-8", "replace")] + [f"{name}: {value}" for name, value in headers]
        leaks.extend(f"{status} {path}: {text[:200]!r}" for text in texts if LEAK_MARKERS.search(text))
    if leaks:
        print("\nError responses leaked internals:\n" + "\n".join(leaks[:20]))
        session.exitstatus = 1
    elif RECORDED:
        print(f"\nleak scan: {len(RECORDED)} error responses, none leaked internals")


@pytest.fixture(params=["with sentry-sdk", "without sentry-sdk", "without sentry-sdk or RequestIdFilter"])
def middleware_paths(request, monkeypatch):
    """Run a test through each of ErrorMiddleware's sync paths.

    Without sentry-sdk it takes its inlined fast path, which sets the context
    variable only once a RequestIdFilter exists; with it, the one that opens a
    tracker scope.  The test environment installs sentry-sdk.
    """
    from django_api_errors import _requests, _sentry

    if request.param != "with sentry-sdk":
        monkeypatch.setattr(_sentry, "installed", False)
        monkeypatch.setattr(_requests, "in_logs", request.param == "without sentry-sdk")
    return request.param
