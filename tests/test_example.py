"""The example API's own behaviour through the test client."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from example_project.notes.models import Note
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    call_command("seed_demo", stdout=None)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION="Bearer alice-full")
    return client


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
    [("Bearer alice-expired", "session_expired"), ("Bearer nope", "unauthorized_client"),
     ("Bearer a b", "unauthorized_client"), ("Bearer \u00e9", "unauthorized_client")],
)
def test_token_problems(alice, header, code):
    alice.credentials(HTTP_AUTHORIZATION=header)
    response = alice.get("/api/notes/")
    assert_error(response, 401, code, headers=("WWW-Authenticate",))
    # A refused token says so in the challenge (RFC 6750 §3.1).
    assert response["WWW-Authenticate"] == 'Bearer realm="notes", error="invalid_token"'


def test_patch_cannot_store_a_checklist_item_without_text(alice):
    welcome = Note.objects.get(title="Welcome")
    body = assert_error(alice.patch(f"/api/notes/{welcome.pk}/", {"checklist": [{"text": "a"}, {}]}, format="json"), 400, "invalid_request")
    assert body["details"] == [{"field": "checklist.1.text", "code": "required", "message": "This field is required."}]
    assert alice.patch(f"/api/notes/{welcome.pk}/", {"checklist": [{"text": "a"}]}, format="json").json()["checklist"] == [{"text": "a", "done": False}]
