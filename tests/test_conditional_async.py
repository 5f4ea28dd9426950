"""ConditionalRequestMixin on adrf's async viewsets answers exactly as on DRF's sync ones.

Each async view (tests/conditional_views.py, under ``/conditional/async/``) is
the twin of a sync one.  Requests go to the async views through Django's
``AsyncClient`` (the async handler; any database call on the event loop
would raise ``SynchronousOnlyOperation`` and answer 500), and the same
requests to the sync views through ``Client``: status, error code and
validators must agree.
"""

import re

import pytest
from django.conf import settings
from django.test import override_settings

from tests.asynckit import assert_same_answer, send
from tests.models import Note

pytestmark = pytest.mark.django_db

STRONG_TAG = re.compile(r'"[0-9a-f]{16,}"')
PAST = "Sat, 01 Jan 2000 00:00:00 GMT"
VALIDATORS = ["versioned", "hashed", "hashed-dated"]
WRITES = [("put", {"title": "Put"}), ("patch", {"title": "Patched"}), ("delete", None)]


def prefix(kind, validator):
    return f"/conditional/{'async/' if kind == 'async' else ''}{validator}/"


@pytest.fixture
def note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    return Note.objects.create(owner=owner, title="Open", body="x", checklist=[{"text": "a", "done": False}])


def _same_answer(sync, asynchronous):
    assert_same_answer(sync, asynchronous, ("ETag", "Last-Modified", "Cache-Control"))


# Reads ---------------------------------------------------------------------


@pytest.mark.parametrize("validator", VALIDATORS)
def test_retrieve_has_the_etag_and_304_of_the_sync_view(note, validator):
    url = f"{note.pk}/"
    sync = send("sync", "get", prefix("sync", validator) + url)
    asynchronous = send("async", "get", prefix("async", validator) + url)
    assert asynchronous.status_code == 200
    assert STRONG_TAG.fullmatch(asynchronous["ETag"])
    assert asynchronous.json() == sync.json()
    _same_answer(sync, asynchronous)
    for method in ("get", "head"):
        not_modified = send("async", method, prefix("async", validator) + url, IF_NONE_MATCH=sync["ETag"])
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        _same_answer(
            send("sync", method, prefix("sync", validator) + url, IF_NONE_MATCH=sync["ETag"]),
            not_modified,
        )


def test_retrieve_304_on_if_modified_since(note):
    last_modified = send("async", "get", prefix("async", "versioned") + f"{note.pk}/")["Last-Modified"]
    response = send(
        "async", "get", prefix("async", "versioned") + f"{note.pk}/", IF_MODIFIED_SINCE=last_modified
    )
    assert response.status_code == 304


@pytest.mark.parametrize("validator", ["versioned", "hashed"])
def test_list_has_the_etag_and_304_of_the_sync_view(note, validator):
    Note.objects.create(owner=note.owner, title="Second")
    sync = send("sync", "get", prefix("sync", validator))
    asynchronous = send("async", "get", prefix("async", validator))
    assert asynchronous.status_code == 200
    assert asynchronous.json() == sync.json()
    _same_answer(sync, asynchronous)
    not_modified = send("async", "get", prefix("async", validator), IF_NONE_MATCH=sync["ETag"])
    assert not_modified.status_code == 304
    send("async", "patch", prefix("async", "versioned") + f"{note.pk}/", {"title": "Changed"})
    changed = send("async", "get", prefix("async", validator), IF_NONE_MATCH=sync["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != sync["ETag"]


def test_paginated_list_has_an_etag_of_the_page_and_304(note):
    Note.objects.create(owner=note.owner, title="Second")
    first = send("async", "get", prefix("async", "paged"))
    assert first.status_code == 200
    assert first.json()["next"].endswith("/conditional/async/paged/?page=2")
    assert not first.has_header("Cache-Control")  # etag_cache_control = None
    assert send("async", "get", prefix("async", "paged"), IF_NONE_MATCH=first["ETag"]).status_code == 304
    second = send("async", "get", prefix("async", "paged") + "?page=2", IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["results"][0]["title"] == "Second"


def test_unknown_object_is_404_before_any_precondition(note):
    for method, body in [("get", None), *WRITES]:
        response = send("async", method, prefix("async", "versioned") + "999999/", body, IF_MATCH='"stale"')
        assert response.status_code == 404, method
        assert response.json()["error"] == "not_found"


# Writes --------------------------------------------------------------------


@pytest.mark.parametrize("validator", VALIDATORS)
@pytest.mark.parametrize(("method", "body"), WRITES, ids=[m for m, _ in WRITES])
def test_stale_if_match_is_412_with_the_current_etag_and_writes_nothing(note, validator, method, body):
    url = f"{note.pk}/"
    stale = send("async", "get", prefix("async", validator) + url)["ETag"]
    assert (
        send(
            "async", "patch", prefix("async", validator) + url, {"body": "newer"}, IF_MATCH=stale
        ).status_code
        == 200
    )
    current = send("sync", "get", prefix("sync", validator) + url)["ETag"]
    asynchronous = send("async", method, prefix("async", validator) + url, body, IF_MATCH=stale)
    assert asynchronous.status_code == 412
    assert asynchronous.json()["error"] == "precondition_failed"
    assert asynchronous["ETag"] == current
    _same_answer(send("sync", method, prefix("sync", validator) + url, body, IF_MATCH=stale), asynchronous)
    note.refresh_from_db()
    assert (note.title, note.body) == ("Open", "newer")


@pytest.mark.parametrize(
    "meta",
    [
        {"IF_MATCH": 'W/"{tag}"'},
        {"IF_MATCH": "not a tag"},
        {"IF_NONE_MATCH": "*"},
        {"IF_UNMODIFIED_SINCE": PAST},
    ],
    ids=["weak", "malformed", "if-none-match-star", "if-unmodified-since"],
)
def test_every_failing_precondition_is_the_same_412(note, meta):
    url = f"{note.pk}/"
    tag = send("sync", "get", prefix("sync", "hashed-dated") + url)["ETag"].strip('"')
    meta = {key: value.format(tag=tag) for key, value in meta.items()}
    asynchronous = send("async", "patch", prefix("async", "hashed-dated") + url, {"title": "No"}, **meta)
    assert asynchronous.status_code == 412
    _same_answer(
        send("sync", "patch", prefix("sync", "hashed-dated") + url, {"title": "No"}, **meta), asynchronous
    )
    note.refresh_from_db()
    assert note.title == "Open"


@pytest.mark.parametrize(("method", "body"), WRITES, ids=[m for m, _ in WRITES])
def test_writes_without_if_match_are_428_when_required(note, method, body):
    url = f"{note.pk}/"
    with override_settings(API_ERRORS={**getattr(settings, "API_ERRORS", {}), "REQUIRE_IF_MATCH": True}):
        asynchronous = send("async", method, prefix("async", "versioned") + url, body)
        sync = send("sync", method, prefix("sync", "versioned") + url, body)
    assert asynchronous.status_code == 428
    assert asynchronous.json()["error"] == "precondition_failed"
    _same_answer(sync, asynchronous)
    assert Note.objects.filter(pk=note.pk, title="Open", version=1).exists()


@pytest.mark.parametrize("validator", VALIDATORS)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_successful_write_returns_the_new_etag(note, validator, method):
    url = prefix("async", validator) + f"{note.pk}/"
    before = send("async", "get", url)["ETag"]
    response = send("async", method, url, {"title": "Saved"}, IF_MATCH=before)
    assert response.status_code == 200
    assert response.json()["title"] == "Saved"
    assert response["ETag"] != before
    assert response["ETag"] == send("sync", "get", prefix("sync", validator) + f"{note.pk}/")["ETag"]
    note.refresh_from_db()
    assert (note.title, note.version) == ("Saved", 2 if validator == "versioned" else 1)


@pytest.mark.parametrize("validator", VALIDATORS)
def test_delete_with_the_current_etag(note, validator):
    url = prefix("async", validator) + f"{note.pk}/"
    response = send("async", "delete", url, IF_MATCH=send("async", "get", url)["ETag"])
    assert response.status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()
    assert send("async", "get", url).status_code == 404


@pytest.mark.parametrize(
    ("interloper", "headers", "status", "error"),
    [
        ("update", {}, 409, "conflict"),
        ("update", {"IF_UNMODIFIED_SINCE": "Tue, 01 Jan 2999 00:00:00 GMT"}, 412, "precondition_failed"),
        ("delete", {"IF_MATCH": "*"}, 404, "not_found"),
    ],
    ids=["unconditional-409", "if-unmodified-since-412", "deleted-404"],
)
def test_a_write_between_the_check_and_the_write(note, interloper, headers, status, error):
    # Another write lands after the precondition passed, before the
    # conditional UPDATE: the async write finds the version changed.
    from tests.conditional_views import HOOKS

    rows = Note.objects.filter(pk=note.pk)
    HOOKS.append(lambda instance: rows.update(version=7) if interloper == "update" else rows.delete())
    try:
        response = send(
            "async", "patch", prefix("async", "versioned") + f"{note.pk}/", {"title": "Lost"}, **headers
        )
    finally:
        HOOKS.clear()
    assert response.status_code == status
    assert response.json()["error"] == error
    assert not Note.objects.filter(title="Lost").exists()


def test_create_answers_like_the_sync_create_with_the_etag_of_the_new_object(note):
    sync = send("sync", "post", prefix("sync", "versioned"), {"title": "From sync"})
    asynchronous = send("async", "post", prefix("async", "versioned"), {"title": "From async"})
    assert asynchronous.status_code == sync.status_code == 201
    created = asynchronous.json()["id"]
    assert asynchronous["ETag"] == send("sync", "get", prefix("sync", "versioned") + f"{created}/")["ETag"]
    assert Note.objects.get(pk=created).title == "From async"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_if_match_on_a_post_is_compared_with_the_collections_etag(note, kind):
    collection = prefix(kind, "versioned")
    stale = send(kind, "post", collection, {"title": "Stale"}, IF_MATCH='"not-the-collection"')
    assert stale.status_code == 412 and stale.json()["error"] == "precondition_failed"
    assert not Note.objects.filter(title="Stale").exists()
    current = send(kind, "get", collection)["ETag"]
    fresh = send(kind, "post", collection, {"title": "Fresh"}, IF_MATCH=current)
    assert fresh.status_code == 201
    # The collection changed: the ETag the client held no longer matches.
    again = send(kind, "post", collection, {"title": "Again"}, IF_MATCH=current)
    assert again.status_code == 412
    assert send(kind, "post", collection, {"title": "Any"}, IF_NONE_MATCH="*").status_code == 412


@pytest.mark.parametrize("validator", VALIDATORS)
@pytest.mark.parametrize("empty", ["", " ", "\t"])
def test_an_empty_if_match_matches_nothing(note, validator, empty):
    # An empty list names no current tag (RFC 9110 §13.1.1).  Taken as no
    # header, it let "If-Match: ${etag}" with the variable unset write, and
    # delete, unconditionally.
    detail = prefix("sync", validator) + f"{note.pk}/"
    for method, data in WRITES:
        sync = send("sync", method, detail, data, IF_MATCH=empty)
        assert sync.status_code == 412 and sync.json()["error"] == "precondition_failed", sync.content
        assert "no entity tag" in sync.json()["error_description"]  # not "has changed since"
        _same_answer(
            sync, send("async", method, prefix("async", validator) + f"{note.pk}/", data, IF_MATCH=empty)
        )
    for kind in ("sync", "async"):
        created = send(kind, "post", prefix(kind, validator), {"title": "Empty"}, IF_MATCH=empty)
        assert created.status_code == 412
        assert send(kind, "get", prefix(kind, validator) + f"{note.pk}/", IF_MATCH=empty).status_code == 412
    assert list(Note.objects.values_list("pk", flat=True)) == [note.pk]  # none created, none deleted
    note.refresh_from_db()
    assert (note.title, note.version) == ("Open", 1)


def test_create_without_a_model_instance_has_no_etag():
    response = send("sync", "post", "/conditional/echo/", {"text": "hi"})
    assert response.status_code == 201
    assert not response.has_header("ETag")


def test_no_delete_view_answers_405_before_preconditions(note):
    url = f"{note.pk}/"
    asynchronous = send("async", "delete", prefix("async", "no-delete") + url, IF_MATCH='"stale"')
    assert asynchronous.status_code == 405
    _same_answer(send("sync", "delete", prefix("sync", "no-delete") + url, IF_MATCH='"stale"'), asynchronous)


def test_adrf_generic_view_answers_like_the_viewset(note):
    url = f"/conditional/async/generic/{note.pk}/"
    full = send("async", "get", url)
    assert full["ETag"] == send("async", "get", prefix("async", "versioned") + f"{note.pk}/")["ETag"]
    assert send("async", "get", url, IF_NONE_MATCH=full["ETag"]).status_code == 304
    assert send("async", "patch", url, {"title": "Generic"}, IF_MATCH=full["ETag"]).status_code == 200
    stale = send("async", "put", url, {"title": "Stale"}, IF_MATCH=full["ETag"])
    assert (stale.status_code, stale.json()["error"]) == (412, "precondition_failed")
    assert send("async", "delete", url, IF_MATCH=full["ETag"]).status_code == 412
    note.refresh_from_db()
    assert (note.title, note.version) == ("Generic", 2)


# adrf's save hooks -----------------------------------------------------------


def test_an_overriding_perform_aupdate_runs_and_its_asave_is_the_write(note):
    url = f"/conditional/async/hooked/{note.pk}/"
    response = send("async", "patch", url, {"title": "Hooked"}, IF_MATCH=send("async", "get", url)["ETag"])
    assert response.status_code == 200
    assert response.json() == {
        "id": note.pk,
        "title": "Hooked",
        "body": "saved by perform_aupdate: Hooked",
        "version": 2,
    }
    assert response["ETag"] == send("async", "get", url)["ETag"]


def test_an_overriding_perform_aupdate_writes_inside_the_transaction(note):
    # Its asave() and the version bump are undone with the request's
    # transaction: they ran on the connection that holds it.
    url = f"/conditional/async/hooked/{note.pk}/"
    response = send("async", "patch", url, {"title": "roll back"}, IF_MATCH=send("async", "get", url)["ETag"])
    assert response.status_code == 409
    note.refresh_from_db()
    assert (note.title, note.body, note.version) == ("Open", "x", 1)


def test_an_overriding_perform_adestroy_deletes_inside_the_transaction(note):
    url = f"/conditional/async/hooked/{note.pk}/"
    response = send("async", "delete", url, IF_MATCH=send("async", "get", url)["ETag"])
    assert response.status_code == 409
    assert Note.objects.filter(pk=note.pk, version=1).exists()


def test_which_save_hook_the_async_actions_use():
    from tests.conditional_views import AsyncHookedNotes, AsyncSignedNotes, VersionedNotes, async_twin

    drf_only = VersionedNotes()  # no perform_a* at all
    adrf_defaults = async_twin(VersionedNotes)()  # adrf's own perform_a*, the view's own perform_create
    hooked = AsyncHookedNotes()  # overrides perform_aupdate and perform_adestroy
    assert drf_only._save_hook("create") == drf_only.perform_create
    assert adrf_defaults._save_hook("create") == adrf_defaults.perform_create
    assert hooked._save_hook("create") != hooked.perform_create  # adrf's serializer: asave()
    assert hooked._save_hook("update") != hooked.perform_update
    assert hooked._save_hook("destroy") != hooked.perform_destroy  # its own perform_adestroy
    signed = AsyncSignedNotes()  # adrf's perform_a*, DRF's perform_*
    assert signed._save_hook("update") != signed.perform_update
    assert signed._save_hook("destroy") == signed.perform_destroy  # adelete() is delete()


def test_an_adrf_serializers_acreate_and_aupdate_make_the_write(note):
    # adrf's viewsets save with serializer.asave(), which calls acreate/aupdate;
    # the mixin called the sync save(), so aupdate's part of the write was
    # dropped with a 200 and acreate's extra field made create() fail.
    url = "/conditional/async/signed/"
    created = send("async", "post", url, {"title": "New", "signature": "ann"})
    assert created.status_code == 201, created.content
    assert created.json()["body"] == "signed ann"
    assert Note.objects.get(pk=created.json()["id"]).body == "signed ann"
    detail = f"{url}{note.pk}/"
    for method, signature in (("patch", "bob"), ("put", "cy")):
        response = send(
            "async",
            method,
            detail,
            {"title": method, "signature": signature},
            IF_MATCH=send("async", "get", detail)["ETag"],
        )
        assert response.status_code == 200, response.content
        note.refresh_from_db()
        assert (note.title, note.body) == (method, f"signed {signature}")
        assert response.json()["body"] == note.body
