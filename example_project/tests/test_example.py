"""The example API's own behaviour through the test client."""

import pytest
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
        {"field": "checklist.0.text", "code": "required", "message": "This field is required."}
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
