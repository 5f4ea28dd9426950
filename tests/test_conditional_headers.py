"""Entity tags and the order of precondition evaluation (RFC 9110 §13.2.2), without a view."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from django_api_errors import checks
from django_api_errors.conditional.preconditions import (
    ANY,
    EntityTag,
    Outcome,
    asserts_state,
    evaluate,
    names_a_version,
    parse_etags,
    representation_tag,
    strong_match,
    version_tag,
    weak_match,
)
from django_api_errors.exceptions import PreconditionRequired

T = 1_700_000_000  # the resource's Last-Modified, in seconds
BEFORE = "Tue, 14 Nov 2023 22:13:19 GMT"  # T - 1
AT = "Tue, 14 Nov 2023 22:13:20 GMT"  # T


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("*", ANY),
        (' "a" ', [EntityTag("a")]),
        ('W/"a"', [EntityTag("a", weak=True)]),
        ('"a","b"', [EntityTag("a"), EntityTag("b")]),
        ('"a" ,\tW/"b"', [EntityTag("a"), EntityTag("b", weak=True)]),
        ('"a",, "b",', [EntityTag("a"), EntityTag("b")]),
        ('"a,b"', [EntityTag("a,b")]),
        ('""', [EntityTag("")]),
        ('"caf\xe9"', [EntityTag("caf\xe9")]),
    ],
)
def test_parse_etags(value, expected):
    assert parse_etags(value) == expected


@pytest.mark.parametrize(
    "value", ["a", '"a', '"a" "b"', '*, "a"', 'w/"a"', '"a"b', ",", "", '"a\x7f"', '"a b"', 'W/ "a"']
)
def test_malformed_etags(value):
    assert parse_etags(value) is None


def test_comparisons():
    tags = [EntityTag("a", weak=True), EntityTag("b")]
    assert weak_match(tags, "a") and weak_match(tags, "b")
    assert not strong_match(tags, "a")
    assert strong_match(tags, "b")
    assert not weak_match(tags, "c")


def _decide(method="GET", last_modified=T, **headers):
    meta = {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    return evaluate(method, meta, "cur", last_modified)


@pytest.mark.parametrize(
    ("method", "headers", "outcome", "header"),
    [
        ("GET", {}, Outcome.PROCEED, ""),
        ("PUT", {"if_match": '"cur"'}, Outcome.PROCEED, ""),
        ("PUT", {"if_match": '"old"', "if_none_match": '"cur"'}, Outcome.FAILED, "If-Match"),
        ("GET", {"if_match": '"cur"', "if_none_match": '"cur"'}, Outcome.NOT_MODIFIED, "If-None-Match"),
        ("PUT", {"if_match": '"cur"', "if_unmodified_since": BEFORE}, Outcome.PROCEED, ""),
        ("PUT", {"if_unmodified_since": BEFORE}, Outcome.FAILED, "If-Unmodified-Since"),
        ("PUT", {"if_unmodified_since": AT}, Outcome.PROCEED, ""),
        ("DELETE", {"if_unmodified_since": "Tuesday"}, Outcome.PROCEED, ""),
        ("GET", {"if_none_match": '"x"', "if_modified_since": AT}, Outcome.PROCEED, ""),
        ("GET", {"if_modified_since": AT}, Outcome.NOT_MODIFIED, "If-Modified-Since"),
        ("HEAD", {"if_modified_since": BEFORE}, Outcome.PROCEED, ""),
        ("PUT", {"if_modified_since": AT}, Outcome.PROCEED, ""),
        ("GET", {"if_none_match": "garbage"}, Outcome.PROCEED, "If-None-Match"),
        ("PATCH", {"if_none_match": "garbage"}, Outcome.FAILED, "If-None-Match"),
        ("PATCH", {"if_none_match": "*"}, Outcome.FAILED, "If-None-Match"),
        # An empty list of tags matches none (RFC 9110 §5.6.1.2, §13.1.1).
        ("GET", {"if_match": "  "}, Outcome.FAILED, "If-Match"),
        ("PUT", {"if_match": ""}, Outcome.FAILED, "If-Match"),
    ],
)
def test_order_of_evaluation(method, headers, outcome, header):
    decision = _decide(method, **headers)
    assert (decision.outcome, decision.header) == (outcome, header)


def test_dates_are_ignored_without_a_modification_time():
    assert _decide("PUT", None, if_unmodified_since=BEFORE).outcome is Outcome.PROCEED
    assert _decide("GET", None, if_modified_since=AT).outcome is Outcome.PROCEED


def test_what_names_a_state():
    assert names_a_version({"HTTP_IF_MATCH": '"a"'})
    assert not names_a_version({"HTTP_IF_MATCH": "*"})
    assert not names_a_version({})
    assert not names_a_version({"HTTP_IF_MATCH": ""})
    assert not asserts_state({"HTTP_IF_MATCH": "", "HTTP_IF_UNMODIFIED_SINCE": AT}, has_last_modified=True)
    assert asserts_state({"HTTP_IF_UNMODIFIED_SINCE": AT}, has_last_modified=True)
    assert not asserts_state({"HTTP_IF_UNMODIFIED_SINCE": AT}, has_last_modified=False)
    assert not asserts_state({"HTTP_IF_MATCH": "*", "HTTP_IF_UNMODIFIED_SINCE": AT}, has_last_modified=True)


def test_representation_tag_follows_the_data_not_the_key_order():
    data = {
        "b": [1, {"when": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)}],
        "a": Decimal("1.50"),
    }
    assert representation_tag(data) == representation_tag(dict(reversed(list(data.items()))))
    assert representation_tag(data) != representation_tag({**data, "a": Decimal("1.51")})


def test_version_tag_names_model_row_and_version():
    tags = {
        version_tag("notes.Note", 1, 1),
        version_tag("notes.Note", 1, 2),
        version_tag("notes.Note", 2, 1),
        version_tag("notes.Comment", 1, 1),
    }
    assert len(tags) == 4
    assert version_tag("notes.Note", 1, 1) == version_tag("notes.Note", "1", "1")


def test_precondition_required_is_428_with_the_closest_code():
    exc = PreconditionRequired()
    assert (exc.status_code, exc.code, PreconditionRequired.status_code) == (428, "precondition_failed", 428)
    assert "If-Match" in str(exc.description)


@pytest.mark.parametrize(("value", "valid"), [(True, True), (False, True), ("yes", False), (1, False)])
def test_require_if_match_setting_is_checked(value, valid):
    with override_settings(API_ERRORS={"REQUIRE_IF_MATCH": value}):
        messages = checks.check_settings()
    assert (messages == []) is valid
    assert all(message.id == "django_api_errors.E002" for message in messages)
