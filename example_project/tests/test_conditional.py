"""ConditionalRequestMixin through the example's notes API (seeded, with its tokens and permissions)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from rest_framework.test import APIClient

from example_project.notes.models import Note
from example_project.notes.serializers import NoteSerializer
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

STRONG_TAG = re.compile(r'"[0-9a-f]{16,}"')
FUTURE = "Tue, 01 Jan 2999 00:00:00 GMT"
PAST = "Sat, 01 Jan 2000 00:00:00 GMT"


def _client(token=None):
    client = APIClient(raise_request_exception=False)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def alice():
    call_command("seed_demo", stdout=StringIO())
    return _client("alice-full")


@pytest.fixture
def note(alice):
    response = alice.post("/api/notes/", {"title": "Groceries", "body": "milk"}, format="json")
    return Note.objects.get(pk=response.json()["id"])


@pytest.fixture
def url(note):
    return f"/api/notes/{note.pk}/"


@pytest.fixture
def etag(alice, url):
    return alice.get(url)["ETag"]


def _stored(note):
    note.refresh_from_db()
    return note.title, note.version


# Validators on reads ------------------------------------------------------


def test_object_has_strong_etag_last_modified_and_cache_control(alice, url, note):
    response = alice.get(url)
    assert response.status_code == 200
    assert STRONG_TAG.fullmatch(response["ETag"])
    assert response["Last-Modified"] == http_date(int(note.updated_at.timestamp()))
    assert response["Cache-Control"] == "private, no-cache"


def test_head_carries_the_same_validators(alice, url, etag):
    response = alice.head(url)
    assert response.status_code == 200
    assert response["ETag"] == etag


def test_list_carries_a_collection_etag_that_changes_with_a_member(alice, url, etag):
    before = alice.get("/api/notes/")
    assert STRONG_TAG.fullmatch(before["ETag"])
    assert alice.get("/api/notes/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    alice.patch(url, {"body": "eggs"}, format="json", HTTP_IF_MATCH=etag)
    after = alice.get("/api/notes/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_create_returns_the_etag_of_the_new_object(alice):
    response = alice.post("/api/notes/", {"title": "New"}, format="json")
    assert response.status_code == 201
    assert response["ETag"] == alice.get(f"/api/notes/{response.json()['id']}/")["ETag"]


@pytest.mark.parametrize("form", ["{tag}", "W/{tag}", '"other", {tag}', '"a",,  W/{tag} ,', "*"])
def test_if_none_match_uses_the_weak_comparison(alice, url, etag, form):
    response = alice.get(url, HTTP_IF_NONE_MATCH=form.format(tag=etag))
    assert response.status_code == 304
    assert response["ETag"] == etag


@pytest.mark.parametrize("value", ['"other"', 'W/"other", "more"', "not-a-tag"])
def test_if_none_match_without_a_match_gets_the_full_response(alice, url, value):
    response = alice.get(url, HTTP_IF_NONE_MATCH=value)
    assert response.status_code == 200
    assert response.json()["title"] == "Groceries"


def test_head_answers_304_too(alice, url, etag):
    assert alice.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_modified_since(alice, url, note):
    last_modified = alice.get(url)["Last-Modified"]
    assert alice.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert alice.get(url, HTTP_IF_MODIFIED_SINCE=FUTURE).status_code == 304
    assert alice.get(url, HTTP_IF_MODIFIED_SINCE=PAST).status_code == 200
    assert alice.get(url, HTTP_IF_MODIFIED_SINCE="yesterday").status_code == 200


def test_if_modified_since_is_ignored_with_if_none_match(alice, url):
    assert alice.get(url, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=FUTURE).status_code == 200


def test_if_modified_since_is_ignored_on_writes(alice, url, note):
    response = alice.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MODIFIED_SINCE=FUTURE)
    assert response.status_code == 200
    assert _stored(note) == ("Changed", 2)


def test_conditional_get_reads_the_large_columns_only_for_a_200(alice, url, etag):
    with CaptureQueriesContext(connection) as queries:
        assert alice.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    note_reads = [q["sql"] for q in queries if 'FROM "notes_note"' in q["sql"]]
    assert len(note_reads) == 1
    assert '"notes_note"."version"' in note_reads[0]
    assert '"notes_note"."checklist"' not in note_reads[0] and '"notes_note"."body"' not in note_reads[0]
    response = alice.get(url, HTTP_IF_NONE_MATCH='"other"')
    assert response.status_code == 200
    assert response.json()["body"] == "milk"
    assert response["ETag"] == etag


def test_304_and_412_do_not_serialize_with_a_version_field(alice, url, etag, monkeypatch):
    def refuse(self, instance):
        raise AssertionError("serialized")

    monkeypatch.setattr(NoteSerializer, "to_representation", refuse)
    assert alice.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert_error(
        alice.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH='"stale"'), 412, "precondition_failed"
    )


# If-Match and If-Unmodified-Since on writes --------------------------------


def test_write_with_current_etag_returns_the_new_one(alice, url, etag, note):
    response = alice.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response["ETag"] == alice.get(url)["ETag"]
    assert response["Last-Modified"] == alice.get(url)["Last-Modified"]
    assert _stored(note) == ("Changed", 2)
    response = alice.put(
        url, {"title": "Replaced", "body": ""}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert response.status_code == 200
    assert _stored(note) == ("Replaced", 3)


def test_stale_if_match_is_412_and_writes_nothing(alice, url, etag, note):
    alice.patch(url, {"title": "First"}, format="json", HTTP_IF_MATCH=etag)
    current = alice.get(url)["ETag"]
    for method in (alice.patch, alice.put):
        response = method(url, {"title": "Second"}, format="json", HTTP_IF_MATCH=etag)
        assert_error(response, 412, "precondition_failed", headers=("ETag",))
        assert response["ETag"] == current
    assert_error(alice.delete(url, HTTP_IF_MATCH=etag), 412, "precondition_failed")
    assert _stored(note) == ("First", 2)


def test_delete_with_matching_etag(alice, url, etag, note):
    assert alice.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("form", ["*", "{tag}", '"other", {tag}', '"a" ,{tag}'])
def test_if_match_forms_that_pass(alice, url, etag, form):
    response = alice.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=form.format(tag=etag))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "form", ["W/{tag}", '"other"', "{bare}", "{tag} junk", "{tag}, *", '{tag}, "unclosed', "{tag};"]
)
def test_if_match_weak_other_or_malformed_fails(alice, url, etag, note, form):
    value = form.format(tag=etag, bare=etag.strip('"'))
    response = alice.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=value)
    assert_error(response, 412, "precondition_failed")
    assert _stored(note) == ("Groceries", 1)


def test_preconditions_come_before_the_body(alice, url, etag):
    broken = b'{"title": '
    response = alice.generic("PATCH", url, broken, content_type="application/json", HTTP_IF_MATCH='"stale"')
    assert_error(response, 412, "precondition_failed")
    response = alice.generic("PATCH", url, broken, content_type="application/json", HTTP_IF_MATCH=etag)
    assert_error(response, 400, "invalid_request")
    response = alice.patch(url, {"title": ""}, format="json", HTTP_IF_MATCH=etag)
    assert_error(response, 400, "invalid_request")


def test_if_unmodified_since(alice, url, note):
    last_modified = alice.get(url)["Last-Modified"]
    body = assert_error(
        alice.patch(url, {"title": "A"}, format="json", HTTP_IF_UNMODIFIED_SINCE=PAST),
        412,
        "precondition_failed",
    )
    assert "If-Unmodified-Since" in body["error_description"]
    assert _stored(note) == ("Groceries", 1)
    response = alice.patch(url, {"title": "B"}, format="json", HTTP_IF_UNMODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    response = alice.patch(url, {"title": "C"}, format="json", HTTP_IF_UNMODIFIED_SINCE="not a date")
    assert response.status_code == 200
    assert _stored(note) == ("C", 3)


def test_if_unmodified_since_is_ignored_with_if_match(alice, url, etag):
    response = alice.patch(
        url, {"title": "A"}, format="json", HTTP_IF_MATCH=etag, HTTP_IF_UNMODIFIED_SINCE=PAST
    )
    assert response.status_code == 200


@pytest.mark.parametrize("form", ["*", "{tag}", "W/{tag}", "malformed"])
def test_if_none_match_on_writes_is_412(alice, url, etag, note, form):
    response = alice.patch(url, {"title": "A"}, format="json", HTTP_IF_NONE_MATCH=form.format(tag=etag))
    assert_error(response, 412, "precondition_failed")
    assert _stored(note) == ("Groceries", 1)


def test_if_none_match_with_another_tag_lets_the_write_through(alice, url, etag):
    response = alice.patch(
        url, {"title": "A"}, format="json", HTTP_IF_MATCH=etag, HTTP_IF_NONE_MATCH='"other"'
    )
    assert response.status_code == 200


def test_if_match_on_get(alice, url, etag):
    assert alice.get(url, HTTP_IF_MATCH=etag).status_code == 200
    assert_error(alice.get(url, HTTP_IF_MATCH='"stale"'), 412, "precondition_failed")


# When preconditions are ignored --------------------------------------------


def test_missing_object_stays_404(alice):
    assert_error(alice.patch("/api/notes/999999/", {}, format="json", HTTP_IF_MATCH='"x"'), 404, "not_found")
    assert_error(alice.get("/api/notes/999999/", HTTP_IF_NONE_MATCH="*"), 404, "not_found")


def test_authentication_and_permissions_come_first(alice, url, note):
    assert_error(_client().patch(url, {}, format="json", HTTP_IF_MATCH='"x"'), 401, "unauthorized_client")
    assert_error(_client("bob-rw").patch(url, {}, format="json", HTTP_IF_MATCH='"x"'), 403, "access_denied")
    assert_error(_client("alice-rw").delete(url, HTTP_IF_MATCH='"x"'), 403, "insufficient_scope")
    assert Note.objects.filter(pk=note.pk).exists()


def test_options_ignores_preconditions(alice, url):
    response = alice.options(url, HTTP_IF_MATCH='"stale"', HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 200


# 428 ------------------------------------------------------------------------


def test_shared_notes_require_if_match(alice, note, etag):
    url = f"/api/shared-notes/{note.pk}/"
    for value in (None, "*"):
        headers = {"HTTP_IF_MATCH": value} if value else {}
        body = assert_error(
            alice.patch(url, {"title": "A"}, format="json", **headers), 428, "precondition_failed"
        )
        assert "If-Match" in body["error_description"]
        assert_error(alice.delete(url, **headers), 428, "precondition_failed")
    assert _stored(note) == ("Groceries", 1)
    assert alice.get(url).status_code == 200
    assert alice.patch(url, {"title": "A"}, format="json", HTTP_IF_MATCH=etag).status_code == 200


def test_require_if_match_setting(alice, url, etag):
    with override_settings(API_ERRORS={"REQUIRE_IF_MATCH": True}):
        response = alice.patch(url, {"title": "A"}, format="json")
        assert_error(response, 428, "precondition_failed")
        assert not response.has_header("ETag")  # the client must read the resource first
        assert alice.patch(url, {"title": "A"}, format="json", HTTP_IF_MATCH=etag).status_code == 200


def test_require_if_match_still_lets_404_through(alice):
    assert_error(alice.patch("/api/shared-notes/999999/", {}, format="json"), 404, "not_found")
