"""Behind GZipMiddleware: the ETag a client holds is weak, If-Match and IF_MATCH_WEAKENED, W007."""

import pytest
from django.conf import settings
from django.test import override_settings

from django_api_errors.conditional import preconditions
from django_api_errors.conditional.checks import check_weakened_etags
from tests.asynckit import send
from tests.conftest import assert_error
from tests.models import Note

pytestmark = pytest.mark.django_db

GZIP = "django.middleware.gzip.GZipMiddleware"
COMPRESSED = override_settings(MIDDLEWARE=[GZIP, *settings.MIDDLEWARE])


@pytest.fixture
def note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    # Over 200 bytes, so that GZipMiddleware compresses the representation.
    return Note.objects.create(owner=owner, title="Open", body="x" * 300, checklist=[])


def _weak_etag(kind, path):
    read = send(kind, "get", path, Accept_Encoding="gzip")
    assert read.status_code == 200 and read["Content-Encoding"] == "gzip"
    assert read["ETag"].startswith('W/"')  # GZipMiddleware weakened the mixin's strong tag
    return read["ETag"]


def _stored(note):
    note.refresh_from_db()
    return note.title, note.version


@COMPRESSED
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("validator", ["versioned", "hashed"])
def test_the_weakened_etag_fails_if_match_by_default(note, kind, validator):
    # RFC 9110 §13.1.1: If-Match compares strongly; W007 tells the project.
    path = f"/conditional/{'async/' if kind == 'async' else ''}{validator}/{note.pk}/"
    tag = _weak_etag(kind, path)
    response = send(kind, "patch", path, {"title": "Mine"}, IF_MATCH=tag)
    body = assert_error(response, 412, "precondition_failed")
    assert _stored(note) == ("Open", 1)
    # Nothing changed: the 412 says what to send instead of "has changed" (a
    # client re-reading through the compressor would get the weak tag again).
    assert "without W/" in body["error_description"]
    assert response["ETag"] == tag.removeprefix("W/")


@COMPRESSED
@override_settings(API_ERRORS={"IF_MATCH_WEAKENED": True})
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("validator", ["versioned", "hashed"])
def test_with_if_match_weakened_the_weakened_current_etag_passes(note, kind, validator):
    path = f"/conditional/{'async/' if kind == 'async' else ''}{validator}/{note.pk}/"
    tag = _weak_etag(kind, path)
    response = send(kind, "patch", path, {"title": "Mine"}, IF_MATCH=tag, Accept_Encoding="gzip")
    assert response.status_code == 200, response.content
    assert _stored(note)[0] == "Mine"
    # The tag it held is now stale: the same If-Match is refused, and nothing is written.
    again = send(kind, "patch", path, {"title": "Lost update"}, IF_MATCH=tag)
    assert "has changed" in assert_error(again, 412, "precondition_failed")["error_description"]
    assert _stored(note)[0] == "Mine"
    # A weak tag that names no current version still fails.
    other = send(kind, "delete", path, IF_MATCH='W/"0123456789abcdef0123"')
    assert_error(other, 412, "precondition_failed")


def test_if_match_passes_follows_the_setting(settings):
    weak, strong = [preconditions.EntityTag("a", weak=True)], [preconditions.EntityTag("a")]
    assert preconditions.if_match_passes(strong, "a")
    assert not preconditions.if_match_passes(weak, "a")
    settings.API_ERRORS = {"IF_MATCH_WEAKENED": True}
    assert preconditions.if_match_passes(weak, "a")
    assert not preconditions.if_match_passes(weak, "b")
    assert not preconditions.if_match_passes([preconditions.EntityTag("b", weak=True)], "a")


def test_w007_gzip_middleware_with_conditional_views(settings):
    settings.MIDDLEWARE = [GZIP, *settings.MIDDLEWARE]
    [warning] = check_weakened_etags()
    assert warning.id == "django_api_errors.W007"
    assert "tests.conditional_views." in warning.msg and "IF_MATCH_WEAKENED" in warning.hint
    settings.API_ERRORS = {"IF_MATCH_WEAKENED": True}
    assert check_weakened_etags() == []


def test_no_w007_without_gzip_middleware_or_conditional_views(settings):
    assert check_weakened_etags() == []
    settings.MIDDLEWARE = [GZIP, *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "tests.urls_unwired"
    assert check_weakened_etags() == []
