"""track_versions: a save outside the view (the admin's save_model, the shell) bumps the version; W008."""

import pytest
from django.contrib.admin import AdminSite
from django.db.models.signals import post_save, pre_save

from django_api_errors.conditional import checks, versions
from django_api_errors.conditional.checks import check_admin_versions
from django_api_errors.mixins import track_versions
from tests.asynckit import send
from tests.conftest import assert_error
from tests.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracking():
    track_versions(Note, "version")
    yield
    uid = f"django_api_errors.versions:{Note._meta.label}"
    pre_save.disconnect(sender=Note, dispatch_uid=uid)
    post_save.disconnect(sender=Note, dispatch_uid=uid)
    versions.tracked.pop(Note, None)


@pytest.fixture
def note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    return Note.objects.create(owner=owner, title="Open", body="x", checklist=[])


def _elsewhere(note, title):
    """What the admin's save_model does: read the row, change it, save()."""
    row = Note.objects.get(pk=note.pk)
    row.title = title
    row.save()
    return row


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_save_outside_the_view_changes_the_etag(tracking, note, kind):
    path = f"/conditional/{'async/' if kind == 'async' else ''}versioned/{note.pk}/"
    tag = send(kind, "get", path)["ETag"]
    row = _elsewhere(note, "Changed in the admin")
    assert row.version == 2  # the number the database now has, not F() + 1
    assert send(kind, "get", path, IF_NONE_MATCH=tag).status_code == 200  # no stale 304
    # Without tracking this PATCH answered 200 and overwrote the admin's title.
    assert_error(send(kind, "patch", path, {"title": "Mine"}, IF_MATCH=tag), 412, "precondition_failed")
    note.refresh_from_db()
    assert (note.title, note.version) == ("Changed in the admin", 2)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_write_through_the_view_bumps_once(tracking, note, kind):
    path = f"/conditional/{'async/' if kind == 'async' else ''}versioned/{note.pk}/"
    tag = send(kind, "get", path)["ETag"]
    response = send(kind, "patch", path, {"title": "Mine"}, IF_MATCH=tag)
    assert response.status_code == 200, response.content
    note.refresh_from_db()
    assert (note.title, note.version) == ("Mine", 2)
    assert send(kind, "get", path)["ETag"] == response["ETag"]


def test_two_saves_of_one_read_never_share_a_version(tracking, note):
    first, second = Note.objects.get(pk=note.pk), Note.objects.get(pk=note.pk)
    first.title, second.title = "First", "Second"
    first.save()
    second.save()  # read at version 1 too: version + 1 in the database, not 1 + 1
    assert (first.version, second.version) == (2, 3)


def test_creates_raw_saves_and_other_update_fields_are_left_alone(tracking, note):
    assert note.version == 1  # a create keeps the default
    row = Note.objects.get(pk=note.pk)
    row.title = "Only the title"
    row.save(update_fields=["title"])
    assert Note.objects.get(pk=note.pk).version == 1
    row.save(update_fields=["title", "version"])
    assert Note.objects.get(pk=note.pk).version == 2


def test_an_unknown_field_fails_at_once():
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        track_versions(Note, "revision")
    assert Note not in versions.tracked


@pytest.fixture
def in_the_admin(monkeypatch):
    # The library's test settings have no admin app: an admin site of its own stands in.
    site = AdminSite()
    site.register(Note)
    monkeypatch.setattr(checks, "admin_site", lambda: site)


def test_w008_a_model_the_admin_edits_without_tracking(in_the_admin):
    warnings = check_admin_versions()
    assert [w.id for w in warnings] == ["django_api_errors.W008"]  # one per model and field
    assert "tests.Note" in warnings[0].msg and "track_versions(Note, 'version')" in warnings[0].hint


def test_no_w008_when_tracked_or_not_in_the_admin(tracking, in_the_admin):
    assert check_admin_versions() == []


def test_no_w008_outside_the_admin():
    assert check_admin_versions() == []
