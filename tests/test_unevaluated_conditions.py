"""A write whose If-Match (or If-None-Match: *) DRF's own code would ignore gets 412, and changes nothing.

The views are in tests/unconditional_views.py, under ``/unconditional/``:
DRF's and adrf's ModelViewSet and generic view as they come, and views
that change or wrap that code (and so may evaluate the headers), which are
left alone.  Requests go through the sync handler (``Client``) and the async
one (``AsyncClient``), so both of ErrorMiddleware's paths answer.
"""

import pytest
from django.test import override_settings
from django.utils import translation

from django_api_errors._conditions import UNEVALUATED
from tests.asynckit import send
from tests.conftest import assert_error
from tests.models import Note
from tests.test_middleware import _placed, i18n_site  # noqa: F401 - the fixture
from tests.test_middleware_async import ASYNC_STACK

pytestmark = pytest.mark.django_db

KINDS = ["sync", "async"]
ANY_TAG = '"0123456789abcdef"'
WRITES = [("put", {"title": "Put", "body": "y"}), ("patch", {"title": "Patched"}), ("delete", None)]
# DRF's ModelViewSet, adrf's, and each one's RetrieveUpdateDestroyAPIView.
STOCK = ["notes", "async/notes", "generic", "async/generic"]


@pytest.fixture
def note(django_user_model):
    owner = django_user_model.objects.create(username="owner")
    return Note.objects.create(owner=owner, title="Open", body="x", version=1)


def refused(response, header):
    body = assert_error(response, 412, "precondition_failed")
    assert body["error_description"] == str(UNEVALUATED[header])
    assert "ETag" not in response
    return body


def unchanged(note):
    stored = Note.objects.get(pk=note.pk)
    assert (stored.title, stored.body) == (note.title, note.body)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", STOCK)
@pytest.mark.parametrize(("method", "body"), WRITES)
def test_a_write_with_if_match_to_drfs_own_code_is_refused_and_changes_nothing(
    kind, view, method, body, note
):
    url = f"/unconditional/{view}/{note.pk}/"
    refused(send(kind, method, url, body, IF_MATCH=ANY_TAG), "If-Match")
    unchanged(note)
    # The same write without the header is carried out: the view does write.
    assert send(kind, method, url, body).status_code in (200, 204)
    assert not Note.objects.filter(pk=note.pk, title="Open", body="x").exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", ["notes", "async/notes"])
def test_a_post_with_if_match_or_if_none_match_star_adds_nothing(kind, view, note):
    for headers, named in [({"IF_MATCH": ANY_TAG}, "If-Match"), ({"IF_NONE_MATCH": "*"}, "If-None-Match")]:
        response = send(kind, "post", f"/unconditional/{view}/", {"title": "New", "body": "z"}, **headers)
        refused(response, named)
    assert Note.objects.count() == 1
    assert send(kind, "post", f"/unconditional/{view}/", {"title": "New", "body": "z"}).status_code == 201


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", STOCK)
def test_put_with_if_none_match_star_does_not_overwrite(kind, view, note):
    # "Only where nothing exists yet": DRF's update would have overwritten the note.
    response = send(kind, "put", f"/unconditional/{view}/{note.pk}/", {"title": "Over"}, IF_NONE_MATCH=" * ")
    refused(response, "If-None-Match")
    unchanged(note)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "headers",
    [{"IF_MATCH": "*"}, {"IF_MATCH": " * "}, {"IF_NONE_MATCH": ANY_TAG}, {"IF_MODIFIED_SINCE": "x"}],
)
def test_conditions_true_of_any_existing_resource_pass(kind, headers, note):
    # If-Match: * holds where the resource exists (DRF's update answers 404 where not);
    # no entity tag is in any If-None-Match list.
    response = send(kind, "patch", f"/unconditional/notes/{note.pk}/", {"title": "Patched"}, **headers)
    assert response.status_code == 200, response.content
    assert Note.objects.get(pk=note.pk).title == "Patched"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_reads_are_not_judged(kind, method, note):
    response = send(kind, method, f"/unconditional/notes/{note.pk}/", IF_MATCH=ANY_TAG)
    assert response.status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_a_404_or_405_comes_before_the_412(kind, note):
    assert_error(send(kind, "patch", "/unconditional/nowhere/1/", {}, IF_MATCH=ANY_TAG), 404, "not_found")
    # No such action on the list route, and a method http_method_names leaves out.
    assert send(kind, "delete", "/unconditional/notes/", IF_MATCH=ANY_TAG).status_code == 405
    put = send(kind, "put", f"/unconditional/no-put/{note.pk}/", {"title": "Put"}, IF_MATCH=ANY_TAG)
    assert_error(put, 405, "invalid_request")
    unchanged(note)
    assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", ["says", "own-update"])
def test_views_that_say_so_or_change_the_write_are_let_through(kind, view, note):
    # evaluates_preconditions = True; an update of the project's own (it may compare the tag).
    response = send(kind, "patch", f"/unconditional/{view}/{note.pk}/", {"title": "Mine"}, IF_MATCH=ANY_TAG)
    assert response.status_code == 200
    assert Note.objects.get(pk=note.pk).title == "Mine"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", ["/unconditional/echo/", "/unconditional/async/echo/"])
def test_the_projects_own_code_is_left_alone(kind, path, note):
    # @api_view functions and @actions are the project's own: they may evaluate the headers.
    assert send(kind, "post", path, {"a": 1}, IF_MATCH=ANY_TAG).json() == {"a": 1}
    shout = send(kind, "post", f"/unconditional/notes/{note.pk}/shout/", IF_MATCH=ANY_TAG)
    assert shout.status_code == 200


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view", ["conditioned", "dispatch-conditioned"])
def test_djangos_condition_decorator_evaluates_if_match_itself(kind, view, note):
    # Around the view function, or on dispatch with method_decorator: its own 412, its own 200.
    url = f"/unconditional/{view}/{note.pk}/"
    stale = send(kind, "patch", url, {"title": "Stale"}, IF_MATCH=ANY_TAG)
    assert assert_error(stale, 412, "precondition_failed")["error_description"] != str(
        UNEVALUATED["If-Match"]
    )
    unchanged(note)
    assert send(kind, "patch", url, {"title": "Current"}, IF_MATCH='"v1"').status_code == 200
    assert Note.objects.get(pk=note.pk).title == "Current"


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


@pytest.mark.usefixtures("i18n_site")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_under_i18n_patterns_wherever_locale_middleware_sits(kind, language, note):
    # The view is the one Django resolves, in the path's language, LocaleMiddleware above or below.
    url = f"/{language}/drf/notes/{note.pk}/"
    refused_ = assert_error(
        send(kind, "patch", url, {"title": "Lost"}, IF_MATCH=ANY_TAG), 412, "precondition_failed"
    )
    assert "If-Match" in refused_["error_description"]
    unchanged(note)
    assert send(kind, "patch", url, {"title": "Kept"}).status_code == 200


@pytest.mark.parametrize("where", ["above", "below"])
@pytest.mark.parametrize("path", ["/drf/notes/{pk}/", "/fr/drf/notes/{pk}/"])
def test_without_a_prefix_for_the_default_language(client, settings, where, path, note):
    # The thread's last request left French active; LocaleMiddleware takes English for
    # a path without a prefix, and so must the lookup of the view, wherever it sits.
    settings.ROOT_URLCONF = "tests.i18n_unprefixed_urls"
    settings.MIDDLEWARE = _placed(settings.MIDDLEWARE, "django.middleware.locale.LocaleMiddleware", where)
    url = path.format(pk=note.pk)
    with translation.override("fr"):
        refused(client.patch(url, {"title": "Lost"}, "application/json", HTTP_IF_MATCH=ANY_TAG), "If-Match")
    unchanged(note)
    assert client.patch(url, {"title": "Kept"}, "application/json").status_code == 200


@override_settings(MIDDLEWARE=ASYNC_STACK)
@pytest.mark.parametrize("view", ["notes", "async/notes"])
def test_an_all_async_stack_refuses_on_the_event_loop(view, note):
    # Every middleware async-capable: ErrorMiddleware's own async path answers.
    refused(
        send("async", "patch", f"/unconditional/{view}/{note.pk}/", {"title": "Lost"}, IF_MATCH=ANY_TAG),
        "If-Match",
    )
    unchanged(note)
    assert send("async", "patch", f"/unconditional/{view}/{note.pk}/", {"title": "Kept"}).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_plain_django_views_are_left_to_themselves(kind):
    # Not DRF's: the echo view answers with what it read, If-Match or not.
    response = send(kind, "post", "/plain/echo/", {"a": 1}, IF_MATCH=ANY_TAG)
    assert response.status_code == 200
    assert response.json()["body"] == '{"a": 1}'
