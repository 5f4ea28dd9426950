"""A write whose If-Match (or If-None-Match: *) its DRF view would ignore gets 412, and changes nothing.

The views are in tests/conditional_views.py: ``unconditional/`` has no
ConditionalRequestMixin (its async twin is adrf's), ``self-checked/`` says it
evaluates preconditions itself, ``actions/`` is the mixin's viewset with two
``@action``s, one that says it evaluates them and one that does not.
Requests go through the sync handler (``Client``) and the async one
(``AsyncClient``), so both of ErrorMiddleware's paths answer.
"""

import pytest

from django_api_errors._conditions import UNEVALUATED
from tests.asynckit import send
from tests.conftest import assert_error
from tests.models import Note

pytestmark = pytest.mark.django_db

KINDS = ["sync", "async"]
ANY_TAG = '"0123456789abcdef"'


@pytest.fixture
def note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    return Note.objects.create(owner=owner, title="Open", body="x", version=1)


def unconditional(kind, note=None):
    base = "/conditional/" + ("async/" if kind == "async" else "") + "unconditional/"
    return base + (f"{note.pk}/" if note else "")


def refused(response, header):
    body = assert_error(response, 412, "precondition_failed")
    assert body["error_description"] == str(UNEVALUATED[header])
    assert "ETag" not in response
    return body


def unchanged(note):
    stored = Note.objects.get(pk=note.pk)
    assert (stored.title, stored.body) == (note.title, note.body)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("method", "body"),
    [("put", {"title": "Put", "body": "y"}), ("patch", {"title": "Patched"}), ("delete", None)],
)
def test_a_write_with_if_match_to_a_view_without_etags_is_refused_and_changes_nothing(
    kind, method, body, note
):
    refused(send(kind, method, unconditional(kind, note), body, IF_MATCH=ANY_TAG), "If-Match")
    unchanged(note)
    # The same write without the header is carried out: the view does write.
    assert send(kind, method, unconditional(kind, note), body).status_code in (200, 204)
    assert not Note.objects.filter(pk=note.pk, title="Open", body="x").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_post_with_if_match_or_if_none_match_star_to_a_collection_without_etags_adds_nothing(kind, note):
    for headers, named in [({"IF_MATCH": ANY_TAG}, "If-Match"), ({"IF_NONE_MATCH": "*"}, "If-None-Match")]:
        refused(send(kind, "post", unconditional(kind), {"title": "New", "body": "z"}, **headers), named)
    assert Note.objects.count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_put_with_if_none_match_star_does_not_overwrite(kind, note):
    # "Only where nothing exists yet": the view would have overwritten the note.
    response = send(
        kind, "put", unconditional(kind, note), {"title": "Over", "body": "w"}, IF_NONE_MATCH=" * "
    )
    refused(response, "If-None-Match")
    unchanged(note)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("headers", [{"IF_MATCH": "*"}, {"IF_NONE_MATCH": ANY_TAG}, {"IF_MATCH": " * "}])
def test_conditions_true_of_any_existing_resource_pass(kind, headers, note):
    # If-Match: * holds where the resource exists (and the view answers 404 where not);
    # no entity tag is in any If-None-Match list.
    response = send(kind, "patch", unconditional(kind, note), {"title": "Patched"}, **headers)
    assert response.status_code == 200, response.content
    assert Note.objects.get(pk=note.pk).title == "Patched"


@pytest.mark.parametrize("kind", KINDS)
def test_reads_are_not_judged(kind, note):
    response = send(kind, "get", unconditional(kind, note), IF_MATCH=ANY_TAG)
    assert response.status_code == 200
    assert response.json()["title"] == "Open"


@pytest.mark.parametrize("kind", KINDS)
def test_a_404_or_405_comes_before_the_412(kind, note):
    assert_error(send(kind, "patch", "/conditional/unconditional/x/", {}, IF_MATCH=ANY_TAG), 404, "not_found")
    response = send(kind, "delete", unconditional(kind), IF_MATCH=ANY_TAG)
    assert response.status_code == 405
    assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_views_that_say_they_evaluate_preconditions_are_let_through(kind, note):
    response = send(
        kind, "patch", f"/conditional/self-checked/{note.pk}/", {"title": "Mine"}, IF_MATCH=ANY_TAG
    )
    assert response.status_code == 200
    assert Note.objects.get(pk=note.pk).title == "Mine"
    response = send(kind, "post", "/conditional/checked-echo/", {"a": 1}, IF_MATCH=ANY_TAG)
    assert (response.status_code, response.json()) == (200, {"a": 1})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "path", ["/conditional/unconditional-echo/", "/conditional/async/unconditional-echo/"]
)
def test_api_view_functions_are_judged_too(kind, path):
    refused(send(kind, "post", path, {"a": 1}, IF_MATCH=ANY_TAG), "If-Match")
    assert send(kind, "post", path, {"a": 1}).json() == {"a": 1}


@pytest.mark.parametrize("kind", KINDS)
def test_the_mixins_own_writes_evaluate_if_match_as_before(kind, note):
    base = "/conditional/" + ("async/" if kind == "async" else "") + "versioned/"
    etag = send(kind, "get", f"{base}{note.pk}/")["ETag"]
    stale = send(kind, "patch", f"{base}{note.pk}/", {"title": "Stale"}, IF_MATCH=ANY_TAG)
    body = assert_error(stale, 412, "precondition_failed")
    assert body["error_description"] != str(UNEVALUATED["If-Match"])
    assert stale["ETag"] == etag  # the mixin's 412 names the current version
    fresh = send(kind, "patch", f"{base}{note.pk}/", {"title": "Fresh"}, IF_MATCH=etag)
    assert fresh.status_code == 200
    assert Note.objects.get(pk=note.pk).title == "Fresh"


@pytest.mark.parametrize("kind", KINDS)
def test_an_action_speaks_for_itself_not_its_viewset(kind, note):
    etag = send(kind, "get", f"/conditional/versioned/{note.pk}/")["ETag"]
    # The mixin's viewset, an @action that never reads If-Match: refused, even with the current tag.
    refused(send(kind, "post", f"/conditional/actions/{note.pk}/shout/", IF_MATCH=etag), "If-Match")
    unchanged(note)
    assert send(kind, "post", f"/conditional/actions/{note.pk}/shout/").json() == {"title": "OPEN"}
    # One that says it evaluates them does: a stale tag fails there, the current one passes.
    rename = f"/conditional/actions/{note.pk}/rename/"
    etag = send(kind, "get", f"/conditional/versioned/{note.pk}/")["ETag"]
    stale = send(kind, "post", rename, {"title": "Stale"}, IF_MATCH=ANY_TAG)
    assert assert_error(stale, 412, "precondition_failed")["error_description"] != str(
        UNEVALUATED["If-Match"]
    )
    assert send(kind, "post", rename, {"title": "Renamed"}, IF_MATCH=etag).status_code == 200
    assert Note.objects.get(pk=note.pk).title == "Renamed"


@pytest.mark.parametrize("kind", KINDS)
def test_plain_django_views_are_left_to_themselves(kind):
    # Not a DRF view: Django's @condition and the like evaluate their own.
    response = send(kind, "post", "/plain/echo/", {"a": 1}, IF_MATCH=ANY_TAG)
    assert response.status_code == 200
