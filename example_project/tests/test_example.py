"""The example API's own behaviour through the test client."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from example_project.notes.models import Note
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_duplicate_title_is_a_conflict(alice):
    assert alice.post("/api/notes/", {"title": "Same"}, format="json").status_code == 201
    body = assert_error(alice.post("/api/notes/", {"title": "Same"}, format="json"), 409, "conflict")
    assert body["details"][0]["code"] == "unique"
    assert Note.objects.filter(title="Same").count() == 1


def test_note_with_comments_cannot_be_deleted(alice):
    welcome = Note.objects.get(title="Welcome")
    body = assert_error(alice.delete(f"/api/notes/{welcome.pk}/"), 409, "conflict")
    assert body["blocked_by"] == ["notes.Comment"]
    assert Note.objects.filter(pk=welcome.pk).exists()


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer alice-expired", "session_expired"),
        ("Bearer nope", "unauthorized_client"),
        ("Bearer a b", "unauthorized_client"),
        ("Bearer \u00e9", "unauthorized_client"),
    ],
)
def test_token_problems(alice, header, code):
    alice.credentials(HTTP_AUTHORIZATION=header)
    response = alice.get("/api/notes/")
    assert_error(response, 401, code, headers=("WWW-Authenticate",))
    # A refused token says so in the challenge (RFC 6750 §3.1).
    assert response["WWW-Authenticate"] == 'Bearer realm="notes", error="invalid_token"'


def test_partial_update_cannot_store_a_checklist_item_without_text(alice):
    welcome = Note.objects.get(title="Welcome")
    response = alice.patch(f"/api/notes/{welcome.pk}/", {"checklist": [{"done": True}]}, format="json")
    body = assert_error(response, 400, "invalid_request")
    assert body["details"] == [
        {
            "field": "checklist.0.text",
            "pointer": "/checklist/0/text",
            "code": "required",
            "message": "This field is required.",
        }
    ]
    response = alice.patch(f"/api/notes/{welcome.pk}/", {"checklist": [{"text": "milk"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["checklist"] == [{"text": "milk", "done": False}]


def test_only_the_author_changes_a_comment(alice):
    comment = Note.objects.get(title="Welcome").comments.get()  # written by bob
    assert_error(alice.delete(f"/api/comments/{comment.pk}/"), 403, "access_denied")
    assert_error(
        alice.patch(f"/api/comments/{comment.pk}/", {"text": "mine"}, format="json"), 403, "access_denied"
    )
    bob = APIClient(raise_request_exception=False)
    bob.credentials(HTTP_AUTHORIZATION="Bearer bob-rw")
    assert bob.patch(f"/api/comments/{comment.pk}/", {"text": "edited"}, format="json").status_code == 200


def test_statistics_work_for_a_user_with_comments(alice):
    response = alice.get("/api/stats/")
    assert response.status_code == 200
    assert response.json()["notes"] >= 1


def text_of(note_id, token=None, method="get"):
    client = APIClient(raise_request_exception=False)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return getattr(client, method)(f"/api/notes/{note_id}/text/")


def test_note_text_asks_what_the_notes_api_asks(alice):
    """The plain text view shows a note to nobody the notes API would refuse."""
    from example_project.notes.models import ApiToken

    welcome = Note.objects.get(title="Welcome")
    write_only = ApiToken.objects.create(
        key="alice-write-only",
        user=welcome.owner,
        scopes="notes:write",
        expires=timezone.now() + timedelta(days=1),
    )
    for path in (f"/api/notes/{welcome.pk}/", f"/api/notes/{welcome.pk}/text/"):
        anonymous = APIClient(raise_request_exception=False).get(path)
        body = assert_error(anonymous, 401, "unauthorized_client", headers=("WWW-Authenticate",))
        assert anonymous["WWW-Authenticate"] == 'Bearer realm="notes"'
        assert welcome.body not in json.dumps(body)

    for token, status, code in [
        (write_only.key, 403, "insufficient_scope"),
        ("alice-expired", 401, "session_expired"),
        ("no-such-token", 401, "unauthorized_client"),
    ]:
        refused = text_of(welcome.pk, token)
        assert_error(refused, status, code, headers=("WWW-Authenticate",))
        assert refused.status_code == text_of(welcome.pk, token).status_code
        assert welcome.body.encode() not in refused.content
    assert text_of(welcome.pk, write_only.key)["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", scope="notes:read"'
    )

    shown = text_of(welcome.pk, "bob-rw")
    assert shown.status_code == 200
    assert shown.json() == {"title": "Welcome", "body": welcome.body}
    assert_error(text_of(999999999, "alice-rw"), 404, "not_found")
    assert_error(text_of(welcome.pk, "alice-rw", method="post"), 405, "invalid_request", headers=("Allow",))


def test_camel_case_notes_name_fields_as_sent(alice):
    payload = {"title": "", "checklist": [{"done": True}], "labels": {"dueDate": "x" * 31}}
    body = assert_error(alice.post("/api/camel-notes/", payload, format="json"), 400, "invalid_request")
    assert {(d["field"], d["pointer"]) for d in body["details"]} == {
        ("title", "/title"),
        ("checklist.0.text", "/checklist/0/text"),
        ("labels.dueDate", "/labels/dueDate"),
    }
    created = alice.post(
        "/api/camel-notes/", {"title": "Camel", "labels": {"dueDate": "soon"}}, format="json"
    )
    assert created.status_code == 201
    assert "ownerName" in created.json()


def test_camel_case_notes_mark_filter_errors_as_query(alice):
    body = assert_error(alice.get("/api/camel-notes/?updated_after=yesterday"), 400, "invalid_request")
    assert body["details"] == [
        {"field": "updated_after", "in": "query", "code": "invalid", "message": "Enter a valid date/time."}
    ]
    assert alice.get("/api/camel-notes/?updated_after=2020-01-01T00:00:00Z").status_code == 200


def test_comment_filter_errors_are_marked_query(alice):
    body = assert_error(alice.get("/api/comment-refs/?note=0"), 400, "invalid_request")
    assert [(d["field"], d["in"]) for d in body["details"]] == [("note", "query")]
