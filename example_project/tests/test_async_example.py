"""The example's async comments (an adrf viewset) answer like its sync notes: tokens and scopes."""

import pytest
from django.core.management import call_command

from example_project.notes.models import Note
from tests.asynckit import assert_same_answer, send
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

HEADERS = ("WWW-Authenticate", "Retry-After", "RateLimit", "RateLimit-Policy", "Content-Type")


def _same_answer(sync, asynchronous):
    assert_same_answer(sync, asynchronous, HEADERS)


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=None)


@pytest.mark.parametrize(
    ("key", "status", "code", "challenge"),
    [
        ("alice-expired", 401, "session_expired", 'Bearer realm="notes", error="invalid_token"'),
        ("revoked", 401, "unauthorized_client", 'Bearer realm="notes", error="invalid_token"'),
        (None, 401, "unauthorized_client", 'Bearer realm="notes"'),
    ],
)
def test_example_tokens_on_the_async_comments(seeded, key, status, code, challenge):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    asynchronous = send("async", "get", "/api/comments/", **headers)
    _same_answer(send("sync", "get", "/api/notes/", **headers), asynchronous)
    assert_error(asynchronous, status, code, headers=("WWW-Authenticate",))
    assert asynchronous["WWW-Authenticate"] == challenge


def test_has_scope_on_the_async_comments(seeded):
    comment = Note.objects.get(title="Welcome").comments.get()  # bob's
    note = Note.objects.create(owner=comment.author, title="Bob's")
    asynchronous = send("async", "delete", f"/api/comments/{comment.pk}/", Authorization="Bearer bob-rw")
    _same_answer(
        send("sync", "delete", f"/api/notes/{note.pk}/", Authorization="Bearer bob-rw"), asynchronous
    )
    body = assert_error(asynchronous, 403, "insufficient_scope", headers=("WWW-Authenticate",))
    assert body["scope"] == "notes:delete"
    assert asynchronous["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:delete"'
    assert send("async", "get", "/api/comments/", Authorization="Bearer bob-rw").status_code == 200
