"""The example's bearer tokens: a subclass of ExpiringTokenAuthentication with its own model, expiry and scopes."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from example_project.notes.models import ApiToken, Note
from tests.authkit import log_in
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(raise_request_exception=False)


def get(api, path, header=None):
    if header is not None:
        api.credentials(HTTP_AUTHORIZATION=header)
    return api.get(path)


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=None)


@pytest.mark.parametrize(
    ("key", "code"), [("alice-expired", "session_expired"), ("revoked", "unauthorized_client")]
)
def test_example_bearer_tokens(api, seeded, key, code):
    response = get(api, "/api/notes/", f"Bearer {key}")
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"] == 'Bearer realm="notes", error="invalid_token"'


def test_example_missing_scope(api, seeded):
    note = Note.objects.get(title="Welcome")
    response = get(api, "/api/notes/", "Bearer alice-rw")
    assert response.status_code == 200
    response = api.delete(f"/api/notes/{note.pk}/")
    body = assert_error(response, 403, "insufficient_scope", headers=("WWW-Authenticate",))
    assert body["scope"] == "notes:delete"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:delete"'


def test_example_scopes_do_not_limit_sessions(seeded):
    # A session is the user themself, not a token acting for them.
    client = APIClient(raise_request_exception=False)
    log_in(client, password="alice-password", path="/api/auth/login/")
    created = client.post("/api/notes/", {"title": "by session"}, format="json")
    assert created.status_code == 201, created.content
    assert client.delete(f"/api/notes/{created.json()['id']}/").status_code == 204


def test_example_token_expiring_now(api, seeded):
    ApiToken.objects.filter(key="alice-rw").update(expires=timezone.now() + timedelta(minutes=5))
    assert get(api, "/api/notes/", "Bearer alice-rw").status_code == 200
    with freeze_time(timezone.now() + timedelta(minutes=6)):
        assert_error(get(api, "/api/notes/", "Bearer alice-rw"), 401, "session_expired")
