"""The body: request ids, error_uri, custom codes, statuses without a row."""

import json
import os

import pytest
from django.test import RequestFactory, override_settings
from rest_framework import exceptions as drf

from django_api_errors import codes
from django_api_errors._requests import get_request_id
from django_api_errors.exceptions import ApiError, Conflict, UsageLimitExceeded
from django_api_errors.handlers import exception_handler
from tests.conftest import assert_error


def _handle(exc, request=None):
    request = request or RequestFactory().get("/x/")
    return exception_handler(exc, {"request": request, "view": None})


@pytest.mark.parametrize(
    ("incoming", "reused"),
    [
        ("abc-123_X.y", True),
        ("a" * 200, True),
        ("a" * 201, False),
        ("", False),
        ("bad id", False),
        ("x\r\nSet-Cookie: a=b", False),
        ("caf\u00e9", False),
    ],
)
def test_request_id_reused_only_when_safe(incoming, reused):
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=incoming)
    rid = get_request_id(request)
    assert (rid == incoming) is reused
    assert get_request_id(request) == rid  # stable for the request


@override_settings(API_ERRORS={"REQUEST_ID_HEADER": "X-Correlation-ID"})
def test_request_id_header_is_configurable():
    request = RequestFactory().get("/", HTTP_X_CORRELATION_ID="corr-1")
    response = _handle(Conflict(), request)
    assert response["X-Correlation-ID"] == "corr-1"
    assert json.loads(response.content)["request_id"] == "corr-1"


@pytest.mark.parametrize(
    ("setting", "uri"),
    [
        ("https://docs.example.com/errors#{code}", "https://docs.example.com/errors#conflict"),
        ("https://docs.example.com/errors", "https://docs.example.com/errors#conflict"),
        (None, None),
    ],
)
def test_error_uri(setting, uri):
    with override_settings(API_ERRORS={"ERROR_URI": setting}):
        body = json.loads(_handle(Conflict()).content)
    assert body.get("error_uri") == uri


def test_extra_members_and_description():
    body = json.loads(_handle(Conflict("The note is archived.", archived=True)).content)
    assert body["error_description"] == "The note is archived."
    assert body["archived"] is True


def test_extra_members_cannot_replace_documented_ones():
    body = json.loads(_handle(Conflict(error="hijack", request_id="x")).content)
    assert body["error"] == "conflict"
    assert body["request_id"] != "x"


def test_usage_limit_exceeded_retry_after():
    response = _handle(UsageLimitExceeded(retry_after=0.2))
    assert response["Retry-After"] == "1"
    assert json.loads(response.content)["retry_after"] == 1


@override_settings(API_ERRORS={"RETRY_AFTER": 30})
def test_retry_after_fallback_setting():
    assert _handle(drf.Throttled())["Retry-After"] == "30"


def test_registered_code_behaves_like_builtin():
    codes.register("payment_required", 402, "Payment is required.", "Top up.")
    try:

        class PaymentRequired(ApiError):
            default_code = "payment_required"

        assert PaymentRequired.status_code == 402
        response = _handle(PaymentRequired(balance=0))
        body = assert_error(response, 402, "payment_required")
        assert body["balance"] == 0
        assert body["error_description"] == "Payment is required."
        assert_error(_handle(ApiError(code="payment_required")), 402, "payment_required")

        class DrfPayment(drf.APIException):
            status_code = 402
            default_code = "payment_required"
            default_detail = "Pay up."

        assert_error(_handle(DrfPayment()), 402, "payment_required")
    finally:
        codes.unregister("payment_required")


@override_settings(API_ERRORS={"CODES": {"gone_forever": {"status": 410, "description": "It is gone."}}})
def test_code_from_settings():
    body = assert_error(_handle(ApiError(code="gone_forever")), 410, "gone_forever")
    assert body["error_description"] == "It is gone."
    assert "gone_forever" in codes.all_codes()


def test_unknown_code_is_refused():
    with pytest.raises(KeyError):
        ApiError(code="never_registered")
    with pytest.raises(ValueError):
        codes.register("bad", 200, "not an error")
    with pytest.raises(KeyError):
        codes.status_of("never_registered")


@pytest.mark.parametrize(
    ("status", "code"),
    [(402, "invalid_request"), (410, "not_found"), (428, "precondition_failed"), (503, "server_error")],
)
def test_status_without_a_row_takes_closest_code(status, code):
    exc = drf.APIException("Custom wording.")
    exc.status_code = status
    body = assert_error(_handle(exc), status, code)
    assert body["error_description"] == "Custom wording."


def test_subclass_of_a_code_registered_later():
    class Teapot(ApiError):
        default_code = "teapot"

    codes.register("teapot", 418, "I am a teapot.")
    try:
        assert_error(_handle(Teapot()), 418, "teapot")
    finally:
        codes.unregister("teapot")


def test_new_request_ids_are_128_random_bits_in_hex():
    import re

    from django_api_errors._requests import new_request_id

    ids = {new_request_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in ids)
    # Every one of the 32 positions takes more than one value: none is fixed.
    assert all(len({rid[i] for rid in ids}) > 1 for i in range(32))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
# Python 3.12+ warns when forking with threads alive (another test's server may be).
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_never_hands_out_its_parents_ids():
    # Ids come in batches; a worker forked from a server that already made
    # one (gunicorn --preload) must not repeat the ids left in it.
    from django_api_errors._requests import _BATCH, new_request_id

    new_request_id()  # a batch is now held, with ids left in it
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(write, "".join(new_request_id() for _ in range(_BATCH)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    child = {text[i : i + 32] for i in range(0, len(text), 32)}
    parent = {new_request_id() for _ in range(_BATCH)}
    assert len(child) == _BATCH
    assert not child & parent


def test_for_code_keeps_a_lazy_description_lazy():
    from django.utils.functional import Promise

    from django_api_errors.classify import NO_ROUTE
    from django_api_errors.problem import Problem

    assert Problem.for_code("not_found", NO_ROUTE).description is NO_ROUTE
    assert isinstance(Problem.for_code("not_found").description, Promise)
    # An empty text falls back to the code's own wording.
    assert Problem.for_code("not_found", "").description == codes.get("not_found").description


def test_djangos_header_store_still_exists_for_the_constant_fields():
    # _headers.set_ascii writes Vary and Cache-Control straight into
    # ResponseHeaders._store; if Django renames it, the public path is taken.
    from django.http import HttpResponse

    from django_api_errors.responses import cache_safe

    response = HttpResponse()
    assert isinstance(response.headers._store, dict)
    cache_safe(response)
    assert response["vary"] == "Accept, Accept-Language"
    assert response.items() and ("Cache-Control", "no-store") in list(response.items())


def test_constant_headers_without_the_private_store():
    from types import SimpleNamespace

    from django_api_errors._headers import set_ascii

    response = SimpleNamespace(headers={})  # a headers mapping with no _store
    set_ascii(response, (("Vary", "Accept"),))
    assert response.headers == {"Vary": "Accept"}


def test_cache_safe_merges_an_existing_vary():
    from django.http import HttpResponse

    from django_api_errors.responses import cache_safe

    response = HttpResponse()
    response["Vary"] = "Cookie"
    cache_safe(response)
    assert response["Vary"] == "Cookie, Accept, Accept-Language"
    assert response["Cache-Control"] == "no-store"
