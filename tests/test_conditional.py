"""ConditionalRequestMixin on the views of tests/conditional_views.py, through real requests."""

import re

import pytest
from rest_framework.test import APIClient

from django_api_errors.conditional.preconditions import version_tag
from tests.conditional_views import HOOKS
from tests.conftest import assert_error
from tests.models import Note

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
def open_note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    return Note.objects.create(owner=owner, title="Open", body="x", checklist=[{"text": "a", "done": False}])


def _stored(note):
    note.refresh_from_db()
    return note.title, note.version


# If-None-Match and If-Modified-Since on GET/HEAD ---------------------------


def test_not_modified_has_no_body_and_the_headers_of_the_200(open_note):
    client = _client()
    full = client.get(f"/conditional/versioned/{open_note.pk}/")
    response = client.get(f"/conditional/versioned/{open_note.pk}/", HTTP_IF_NONE_MATCH=full["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert not response.has_header("Content-Type")
    assert "Accept" in full["Vary"].split(", ")  # DRF's; LocaleMiddleware adds Accept-Language
    for name in ("ETag", "Cache-Control", "Vary", "Last-Modified"):
        assert response[name] == full[name], name


def test_if_unmodified_since_is_ignored_without_a_modification_time(open_note):
    client = _client()
    response = client.patch(
        f"/conditional/hashed/{open_note.pk}/", {"title": "A"}, format="json", HTTP_IF_UNMODIFIED_SINCE=PAST
    )
    assert response.status_code == 200
    assert not response.has_header("Last-Modified")
    response = client.patch(
        f"/conditional/hashed-dated/{open_note.pk}/",
        {"title": "B"},
        format="json",
        HTTP_IF_UNMODIFIED_SINCE=PAST,
    )
    assert_error(response, 412, "precondition_failed")


def test_method_not_allowed_comes_first(open_note):
    response = _client().delete(f"/conditional/no-delete/{open_note.pk}/", HTTP_IF_MATCH='"x"')
    assert_error(response, 405, "invalid_request", headers=("Allow",))


# The hash fallback ----------------------------------------------------------


def test_hash_fallback(open_note):
    client = _client()
    url = f"/conditional/hashed/{open_note.pk}/"
    etag = client.get(url)["ETag"]
    assert STRONG_TAG.fullmatch(etag)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    response = client.patch(url, {"checklist": [{"text": "b"}]}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] == client.get(url)["ETag"] != etag
    assert_error(
        client.patch(url, {"title": "late"}, format="json", HTTP_IF_MATCH=etag), 412, "precondition_failed"
    )
    assert client.delete(url, HTTP_IF_MATCH=response["ETag"]).status_code == 204


def test_hash_fallback_row_deleted_before_the_lock(open_note, monkeypatch):
    from tests.conditional_views import HashedNotes

    original = HashedNotes.get_object

    def get_then_lose(self):
        instance = original(self)
        Note.objects.filter(pk=instance.pk).delete()
        return instance

    monkeypatch.setattr(HashedNotes, "get_object", get_then_lose)
    assert_error(_client().patch(f"/conditional/hashed/{open_note.pk}/", {}, format="json"), 404, "not_found")


# A write between the precondition check and the write ----------------------


@pytest.fixture
def interloper():
    """Another client's write, landing while the request validates its body.

    It runs inside the request's transaction, so the request's rollback
    undoes it too: these tests check the answer, the races check the rows.
    """
    actions = []
    HOOKS.append(lambda instance: actions and actions.pop()(instance))
    yield actions
    HOOKS.clear()


def _other_write(instance):
    Note.objects.filter(pk=instance.pk).update(version=instance.version + 1, title="Theirs")


def test_version_changed_before_the_write_is_412(open_note, interloper):
    client = _client()
    url = f"/conditional/versioned/{open_note.pk}/"
    etag = client.get(url)["ETag"]
    interloper.append(_other_write)
    response = client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)
    assert_error(response, 412, "precondition_failed", headers=("ETag",))
    assert response["ETag"] == f'"{version_tag("tests.Note", open_note.pk, 2)}"' != etag


def test_version_changed_before_an_unconditional_write_is_409(open_note, interloper):
    interloper.append(_other_write)
    response = _client().patch(f"/conditional/versioned/{open_note.pk}/", {"title": "Mine"}, format="json")
    assert_error(response, 409, "conflict")


def test_version_changed_with_if_unmodified_since_is_412(open_note, interloper):
    interloper.append(_other_write)
    url = f"/conditional/versioned/{open_note.pk}/"
    response = _client().patch(url, {"title": "Mine"}, format="json", HTTP_IF_UNMODIFIED_SINCE=FUTURE)
    body = assert_error(response, 412, "precondition_failed")
    assert "If-Unmodified-Since" in body["error_description"]


def test_row_deleted_before_the_write_is_404(open_note, interloper):
    interloper.append(lambda instance: Note.objects.filter(pk=instance.pk).delete())
    url = f"/conditional/versioned/{open_note.pk}/"
    response = _client().patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH="*")
    assert_error(response, 404, "not_found")


def test_paginated_prefetched_list_without_cache_control(open_note):
    client = _client()
    Note.objects.create(owner=open_note.owner, title="Second")
    first = client.get("/conditional/paged/")
    assert first.json()["count"] == 2
    assert not first.has_header("Cache-Control")
    assert client.get("/conditional/paged/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/conditional/paged/?page=2")["ETag"] != first["ETag"]
    response = client.patch(
        f"/conditional/paged/{open_note.pk}/",
        {"title": "A"},
        format="json",
        HTTP_IF_MATCH=client.get(f"/conditional/paged/{open_note.pk}/")["ETag"],
    )
    assert response.status_code == 200
    assert client.get("/conditional/paged/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_create_without_a_model_instance_has_no_etag():
    response = _client().post("/conditional/echo/", {"text": "hi"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"text": "hi"}
    assert not response.has_header("ETag")
