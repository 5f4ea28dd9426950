"""ErrorMiddleware rewrites error responses that plain views return."""

import json

import pytest
from django.test import override_settings

from tests.conftest import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("middleware_paths")]


def test_method_not_allowed_from_a_plain_view(client):
    response = client.post("/plain/get-only/")
    assert_error(response, 405, "invalid_request", headers=("Allow",))
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_returned_bad_request_loses_its_text(client):
    assert_error(client.get("/plain/returns-400/"), 400, "invalid_request")


def test_returned_429_gets_retry_after(client):
    response = client.get("/plain/returns-429/")
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert response["Retry-After"] == "60"
    assert body["retry_after"] == 60


def test_returned_401_gets_a_challenge_and_keeps_cookies(client):
    response = client.get("/plain/returns-401/")
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert response.cookies["hint"].value == "1"


def test_json_error_responses_are_left_alone(client):
    response = client.get("/plain/returns-json-400/")
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "the view's own JSON"}


def test_successful_responses_are_left_alone(client):
    response = client.get("/plain/get-only/")
    assert json.loads(response.content) == {"ok": True}


@pytest.mark.django_db
@override_settings(API_ERRORS={"HTML_PATH_PREFIXES": ["/plain/"]})
def test_html_paths_keep_their_pages(client):
    response = client.post("/plain/get-only/", HTTP_ACCEPT="text/html")
    assert response.status_code == 405
    assert not response["Content-Type"].startswith("application/json")


def test_returned_429_keeps_its_retry_after(client):
    response = client.get("/plain/returns-429-wait/")
    body = assert_error(response, 429, "usage_limit_exceeded")
    assert response["Retry-After"] == "7" and body["retry_after"] == 7


def test_a_returned_retry_after_of_zero_becomes_at_least_one(client):
    response = client.get("/plain/returns-429-now/")
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert response["Retry-After"] == "1"
    assert body["retry_after"] == 1


# Unsafe methods are never redirected into a GET -----------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_request_without_its_slash_gets_308(client, settings, method, debug):
    settings.DEBUG = debug
    response = getattr(client, method)("/plain/echo?x=1", data=b'{"a": 1}', content_type="application/json")
    assert response.status_code == 308
    assert response["Location"] == "/plain/echo/?x=1"


def test_safe_request_keeps_djangos_redirect(client):
    response = client.get("/plain/echo")
    assert response.status_code == 301
    assert response["Location"] == "/plain/echo/"


def test_308_followed_repeats_the_write_once(client):
    response = client.post("/drf/echo", data={"title": "kept"}, content_type="application/json", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/drf/echo/", 308)]
    assert json.loads(response.content) == {"data": {"title": "kept"}}


def test_a_path_that_matches_nothing_even_with_a_slash_is_404(client):
    assert_error(client.post("/nothing/here"), 404, "not_found")


def _placed(stack, middleware, where):
    """``stack`` with ``middleware`` above ErrorMiddleware (where Django's docs put it) or below."""
    stack = list(stack)
    above = stack.index("django.middleware.common.CommonMiddleware")
    stack.insert(above if where == "above" else len(stack), middleware)
    return stack


@pytest.fixture(params=["above", "below"])
def i18n_site(request, settings):
    """An API under ``i18n_patterns``: LocaleMiddleware redirects a path without its language."""
    settings.ROOT_URLCONF = "tests.i18n_urls"
    settings.MIDDLEWARE = _placed(
        settings.MIDDLEWARE, "django.middleware.locale.LocaleMiddleware", request.param
    )


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/drf/echo/?x=1", "/drf/echo?x=1"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_request_without_its_language_prefix_gets_308(
    client, settings, i18n_site, method, path, debug
):
    settings.DEBUG = debug
    response = getattr(client, method)(path, data=b'{"a": 1}', content_type="application/json")
    assert response.status_code == 308  # Django: 302, which clients repeat as a GET
    assert response["Location"] == "/en/drf/echo/?x=1"
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}
    assert response["X-Request-ID"]


def test_308_to_the_language_prefix_followed_repeats_the_write(client, i18n_site):
    response = client.post("/drf/echo/", data={"title": "kept"}, content_type="application/json", follow=True)
    assert response.redirect_chain == [("/en/drf/echo/", 308)]
    assert response.status_code == 200
    assert json.loads(response.content) == {"data": {"title": "kept"}}


def test_the_prefix_follows_the_clients_language(client, settings, i18n_site):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    response = client.post("/plain/echo/", data=b"x", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="fr")
    assert (response.status_code, response["Location"]) == (308, "/fr/plain/echo/")


def test_a_views_own_redirect_into_the_prefixed_paths_is_left_alone(client, i18n_site):
    # LocaleMiddleware would send this path to the same place; the view made the write and its 302.
    response = client.post("/drf/moved/", data=b"x", content_type="text/plain")
    assert (response.status_code, response["Location"]) == (302, "/en/drf/moved/")


def test_safe_request_keeps_the_locale_redirect(client, i18n_site):
    response = client.get("/drf/echo/")
    assert (response.status_code, response["Location"]) == (302, "/en/drf/echo/")


def test_without_locale_middleware_a_path_without_its_language_is_404(client, settings):
    settings.ROOT_URLCONF = "tests.i18n_urls"
    assert_error(client.post("/drf/echo/", data={}, content_type="application/json"), 404, "not_found")


def test_an_unknown_path_under_i18n_patterns_is_still_404(client, i18n_site):
    assert_error(client.post("/en/nothing/", data={}, content_type="application/json"), 404, "not_found")
    assert_error(client.post("/nothing/", data={}, content_type="application/json"), 404, "not_found")


# Exceptions, with DEBUG on and off -------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_a_plain_view_500_is_documented_and_logged_once(client, settings, caplog, debug):
    settings.DEBUG = debug
    response = client.get("/plain/raise/unexpected/")
    body = assert_error(response, 500, "server_error") if not debug else json.loads(response.content)
    assert response.status_code == 500 and body["error"] == "server_error"
    assert ("traceback" in body) is debug
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert body["request_id"] in errors[0].getMessage()


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_error_raised_in_a_middleware_keeps_its_body(client, settings, caplog, debug):
    settings.DEBUG = debug
    response = client.get("/middleware/conflict/")
    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["error"] == "conflict" and body["archived"] is True
    assert body["error_description"] == "Raised by a middleware."
    assert len([r for r in caplog.records if r.name == "django.request"]) == 1


def test_djangos_logged_flag_still_exists():
    # middleware marks a rewritten response as logged through this private
    # attribute of django.utils.log; if Django renames it, errors log twice.
    from django.http import HttpResponse
    from django.utils.log import log_response

    from django_api_errors import _logging

    response = HttpResponse(status=418)
    log_response("%s", "x", response=response)
    assert getattr(response, _logging.LOGGED_FLAG) is True


@override_settings(DEBUG=True)
def test_a_browser_keeps_djangos_debug_page(client):
    response = client.get("/plain/raise/unexpected/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


# django.contrib.redirects: a path that moved --------------------------------


@pytest.fixture(params=["above", "below"])
def moved(request, settings):
    """``/drf/old-echo/`` moved to ``/drf/echo/`` in the redirects app."""
    from django.contrib.redirects.models import Redirect

    settings.MIDDLEWARE = _placed(
        settings.MIDDLEWARE, "django.contrib.redirects.middleware.RedirectFallbackMiddleware", request.param
    )
    Redirect.objects.create(site_id=1, old_path="/drf/old-echo/", new_path="/drf/echo/")
    # A leftover row where a view now lives: its own redirect must not be taken for the row's.
    Redirect.objects.create(site_id=1, old_path="/plain/see-other/", new_path="/plain/echo/")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_request_to_a_moved_path_gets_308(client, moved, method):
    response = getattr(client, method)("/drf/old-echo/", data=b'{"a": 1}', content_type="application/json")
    assert (response.status_code, response["Location"]) == (308, "/drf/echo/")  # Django: 301, then a GET
    assert response["X-Request-ID"]


def test_308_to_a_moved_path_followed_repeats_the_write(client, moved):
    response = client.post(
        "/drf/old-echo/", data={"title": "kept"}, content_type="application/json", follow=True
    )
    assert response.redirect_chain == [("/drf/echo/", 308)]
    assert json.loads(response.content) == {"data": {"title": "kept"}}


def test_safe_request_to_a_moved_path_keeps_djangos_301(client, moved):
    response = client.get("/drf/old-echo/")
    assert (response.status_code, response["Location"]) == (301, "/drf/echo/")


def test_a_view_redirecting_a_write_is_left_alone(client, moved):
    # Post/Redirect/Get: a view's own 302 after a write is meant to be followed with a GET.
    response = client.post("/plain/see-other/", data=b"x", content_type="text/plain")
    assert (response.status_code, response["Location"]) == (302, "/plain/echo/")


def test_a_path_that_is_gone_answers_a_documented_410(client, settings):
    from django.contrib.redirects.models import Redirect

    # At the end of MIDDLEWARE, where Django's docs add it.
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    ]
    Redirect.objects.create(site_id=1, old_path="/drf/gone/", new_path="")
    for method in ("get", "post", "delete"):
        assert_error(getattr(client, method)("/drf/gone/"), 410, "not_found")


# Django's ConditionalGetMiddleware below ErrorMiddleware (check W009) ------


@pytest.fixture
def conditional_get(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.http.ConditionalGetMiddleware"]


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({"HTTP_IF_MATCH": '"stale"'}, "If-Match"),
        ({"HTTP_IF_UNMODIFIED_SINCE": "Mon, 01 Jan 2001 00:00:00 GMT"}, "If-Unmodified-Since"),
    ],
)
def test_conditional_get_412_is_documented_and_names_its_header(client, conditional_get, headers, says):
    body = assert_error(client.get("/plain/dated/", **headers), 412, "precondition_failed")
    assert says in body["error_description"]
    assert ("If-Match" in body["error_description"]) is (says == "If-Match")


def test_a_412_with_two_preconditions_names_neither(client, conditional_get):
    # Either may have failed: no header is named wrongly.
    both = {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 01 Jan 2001 00:00:00 GMT", "HTTP_IF_NONE_MATCH": '"other"'}
    body = assert_error(client.get("/plain/dated/", **both), 412, "precondition_failed")
    assert "If-Unmodified-Since" not in body["error_description"]
    assert "If-None-Match" not in body["error_description"]


def test_conditional_get_304_carries_the_request_id(client, conditional_get):
    etag = client.get("/plain/dated/")["ETag"]
    response = client.get("/plain/dated/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Request-ID"]


def test_a_failing_fallback_leaves_the_answer_as_it_was(client, monkeypatch, caplog):
    from django_api_errors import _redirects

    class Broken:
        def process_response(self, request, response):
            raise RuntimeError("no such table: django_redirect")

    monkeypatch.setattr(_redirects, "fallbacks", lambda stack: (Broken(),))
    assert_error(client.post("/nothing/here/", data=b"x", content_type="text/plain"), 404, "not_found")
    assert "Broken failed on /nothing/here/" in caplog.text


def test_a_fallback_django_left_out_is_left_out(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.middleware.UnusedRedirects"]
    response = client.post("/plain/see-other/", data=b"x", content_type="text/plain")
    assert (response.status_code, response["Location"]) == (302, "/plain/echo/")
    assert_error(client.post("/nothing/here/"), 404, "not_found")
