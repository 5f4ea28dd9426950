"""ErrorMiddleware in an async stack: the same answers as in the sync one, without a thread hop."""

import json

import pytest
from asgiref.sync import SyncToAsync, async_to_sync, iscoroutinefunction
from django.core.handlers.asgi import ASGIHandler
from django.test import AsyncClient, Client, override_settings

from django_api_errors.middleware import ErrorMiddleware

pytestmark = pytest.mark.django_db

# Requests the sync middleware tests make, each answered by the middleware itself.
CASES = [
    ("post", "/plain/get-only/", 405),  # a returned 405, rewritten (Allow kept)
    ("get", "/plain/returns-429-now/", 429),  # a returned 429 with Retry-After: 0
    ("get", "/plain/raise/django_validation/", 400),  # a plain view's exception
    ("get", "/plain/raise/unexpected/", 500),
    ("get", "/middleware/conflict/", 409),  # raised by another middleware
    ("post", "/plain/echo", 308),  # APPEND_SLASH for an unsafe method
]


def _answer(response):
    body = json.loads(response.content) if response.content else None
    if body:
        body.pop("request_id")
    headers = {
        name: response.get(name) for name in ("Allow", "Retry-After", "Location", "Vary", "Cache-Control")
    }
    return response.status_code, body, headers


@pytest.mark.parametrize(("method", "path", "status"), CASES)
def test_async_stack_answers_like_the_sync_one(method, path, status):
    sync = getattr(Client(raise_request_exception=False), method)(path)
    asynchronous = async_to_sync(getattr(AsyncClient(raise_request_exception=False), method))(path)
    assert sync.status_code == status
    assert _answer(asynchronous) == _answer(sync)
    assert asynchronous["X-Request-ID"]


def _chain(handler):
    """Every callable of the handler's middleware chain, outermost first."""
    found, current = [], handler._middleware_chain
    while current is not None and len(found) < 50:
        found.append(current)
        current = getattr(current, "__wrapped__", None) or getattr(current, "get_response", None)
    return found


# Django's own middleware is sync-and-async capable; the suite's recording
# middleware is sync-only, and Django adapts around such a one by design.
ASYNC_STACK = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_api_errors.middleware.ErrorMiddleware",
]


@override_settings(MIDDLEWARE=ASYNC_STACK)
def test_no_sync_to_async_around_error_middleware_under_asgi():
    handler = ASGIHandler()  # loads MIDDLEWARE in async mode
    chain = _chain(handler)
    # sentry-sdk's Django integration (initialised by tests/test_sentry.py) wraps
    # every middleware in a class of the same name; the real one is its _inner.
    ours = [getattr(item, "_inner", item) for item in chain if type(item).__name__ == "ErrorMiddleware"]
    assert len(ours) == 1 and isinstance(ours[0], ErrorMiddleware)
    assert ours[0].async_mode and iscoroutinefunction(ours[0])
    # Django wraps a sync-only middleware in SyncToAsync; ours is never wrapped.
    assert not any(isinstance(item, SyncToAsync) for item in chain)
    assert not any(isinstance(item, SyncToAsync) and item.func is ours[0] for item in chain)


@override_settings(MIDDLEWARE=ASYNC_STACK)
def test_the_async_stack_answers_without_the_sync_middleware():
    response = async_to_sync(AsyncClient(raise_request_exception=False).post)("/plain/get-only/")
    assert response.status_code == 405 and json.loads(response.content)["error"] == "invalid_request"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_async_stack_keeps_a_write_without_its_language_prefix(settings):
    settings.ROOT_URLCONF = "tests.i18n_urls"
    stack = list(settings.MIDDLEWARE)
    stack.insert(
        stack.index("django.middleware.common.CommonMiddleware"), "django.middleware.locale.LocaleMiddleware"
    )
    settings.MIDDLEWARE = stack
    sync = Client().post("/plain/echo/", data=b"x", content_type="text/plain")
    asynchronous = async_to_sync(AsyncClient().post)("/plain/echo/", data=b"x", content_type="text/plain")
    assert sync.status_code == 308
    assert _answer(asynchronous) == _answer(sync)


REDIRECTS = "django.contrib.redirects.middleware.RedirectFallbackMiddleware"


@pytest.mark.parametrize(
    "stack", [[*ASYNC_STACK, REDIRECTS], [REDIRECTS, *ASYNC_STACK]], ids=["below", "above"]
)
@pytest.mark.parametrize(
    ("method", "path", "status", "location"),
    [
        ("post", "/drf/old-echo/", 308, "/drf/echo/"),  # a path the redirects app moved
        ("delete", "/drf/old-echo/", 308, "/drf/echo/"),
        ("post", "/plain/see-other/", 302, "/plain/echo/"),  # a view's own redirect after a write
        ("post", "/nothing/here/", 404, None),
    ],
)
def test_async_stack_asks_the_redirects_app_off_the_event_loop(
    settings, stack, method, path, status, location
):
    # RedirectFallbackMiddleware reads the database, which Django refuses on the
    # event loop (SynchronousOnlyOperation): a 500, after the view's write.
    from django.contrib.redirects.models import Redirect

    Redirect.objects.create(site_id=1, old_path="/drf/old-echo/", new_path="/drf/echo/")
    Redirect.objects.create(
        site_id=1, old_path="/plain/see-other/", new_path="/plain/echo/"
    )  # a leftover row
    settings.MIDDLEWARE = stack
    client = AsyncClient(raise_request_exception=False)
    response = async_to_sync(getattr(client, method))(path, data=b"x", content_type="text/plain")
    assert (response.status_code, response.get("Location")) == (status, location)
    assert response["X-Request-ID"]
