"""Concurrent writers with the same If-Match: exactly one wins, no update is lost.

Sixteen threads, each with its own database connection, write one note at
once through the real request handler, on a SQLite file and on a PostgreSQL
server the suite starts (tests/servers.py), with each validator, with and
without ATOMIC_REQUESTS.  Sixteen async writers do the same through the
async handler and adrf's async viewsets: one event loop, and, as under
Django's ASGI handler, a thread (and a connection) per request for the
database work.
"""

import asyncio
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DataError, IntegrityError, connections
from django.db.models import IntegerField
from django.db.models.functions import Cast
from django.test import AsyncClient
from rest_framework.test import APIClient

from django_api_errors.classify import classify
from tests.conditional_views import HOOKS
from tests.models import Note

WRITERS = 16


def _add_database(alias, settings_dict):
    connections.settings[alias] = connections.configure_settings({"default": {}, alias: settings_dict})[alias]


def _remove_database(alias):
    connections[alias].close()
    if hasattr(connections._connections, alias):
        delattr(connections._connections, alias)
    del connections.settings[alias]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def race_db(request, tmp_path_factory, django_db_blocker):
    """The alias of a migrated database that the race views use."""
    alias = f"race_{request.param}"
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_server")
        server.ensure_running()
        server.create_database("races")
        settings_dict = server.django_settings("races")
    else:
        path = tmp_path_factory.mktemp("races") / "races.sqlite3"
        settings_dict = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"timeout": 60},
        }
    with django_db_blocker.unblock():
        _add_database(alias, settings_dict)
        try:
            call_command("migrate", database=alias, verbosity=0, interactive=False)
            get_user_model().objects.db_manager(alias).create(username="racer")
            yield alias
        finally:
            _remove_database(alias)


@pytest.fixture(params=[True, False], ids=["atomic_requests", "autocommit"])
def atomic_requests(request, race_db):
    connections.settings[race_db]["ATOMIC_REQUESTS"] = request.param
    yield request.param
    connections.settings[race_db]["ATOMIC_REQUESTS"] = False


@pytest.fixture
def new_note(race_db, django_db_blocker):
    with django_db_blocker.unblock():
        owner = get_user_model().objects.db_manager(race_db).get(username="racer")
        yield Note.objects.using(race_db).create(owner=owner, title=f"Shared {uuid.uuid4()}", checklist=[])
    HOOKS.clear()


def _stored(alias, pk):
    return Note.objects.using(alias).get(pk=pk)


def _all_at_once(work):
    """Run ``work(i)`` in WRITERS threads released together; their results, in order."""
    start = threading.Barrier(WRITERS)

    def run(i):
        try:
            start.wait(timeout=60)
            return work(i)
        finally:
            connections.close_all()  # this thread's connections

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        return list(pool.map(run, range(WRITERS)))


def _all_at_once_async(work):
    """Await ``work(client, i)`` for WRITERS requests at once, each in its own request context."""

    async def one(i):
        async with ThreadSensitiveContext():  # what Django's ASGIHandler does per request
            try:
                return await work(AsyncClient(raise_request_exception=False), i)
            finally:
                await sync_to_async(connections.close_all)()  # this request's connections

    async def everyone():
        return await asyncio.gather(*(one(i) for i in range(WRITERS)))

    return asyncio.run(everyone())


def _patch(client, url, body, etag):
    return client.patch(url, json.dumps(body), content_type="application/json", headers={"If-Match": etag})


def _assert_one_winner(responses, stored, validator):
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * (WRITERS - 1), [
        r.content.decode() for r in responses if r.status_code != 412
    ]
    winner = next(response for response in responses if response.status_code == 200)
    assert stored.title == winner.json()["title"]
    assert stored.version == (2 if validator == "version" else 1)
    for response in responses:
        if response.status_code == 412:
            assert response.json()["error"] == "precondition_failed"
            assert response["ETag"] == winner["ETag"]


def _everyone_compares_first(race_db, validator):
    if race_db == "race_postgres" and validator == "version":
        # Every writer passes the early comparison before any writes, so
        # the conditional UPDATE alone must pick the one winner.
        everyone = threading.Barrier(WRITERS)
        HOOKS.append(lambda instance: everyone.wait(timeout=60))


@pytest.mark.parametrize("validator", ["version", "hash"])
def test_exactly_one_writer_with_the_same_if_match_wins(
    race_db, atomic_requests, validator, new_note, django_db_blocker
):
    url = f"/conditional/{race_db}/{validator}/{new_note.pk}/"
    with django_db_blocker.unblock():
        etag = APIClient().get(url)["ETag"]
        _everyone_compares_first(race_db, validator)
        responses = _all_at_once(
            lambda i: APIClient().patch(
                url, {"title": f"writer {i} {etag}"}, format="json", HTTP_IF_MATCH=etag
            )
        )
        stored = _stored(race_db, new_note.pk)
    _assert_one_winner(responses, stored, validator)


@pytest.mark.parametrize("validator", ["version", "hash"])
def test_exactly_one_async_writer_with_the_same_if_match_wins(
    race_db, validator, new_note, django_db_blocker
):
    url = f"/conditional/{race_db}/async/{validator}/{new_note.pk}/"
    connections.settings[race_db]["ATOMIC_REQUESTS"] = False  # Django refuses it for async views
    with django_db_blocker.unblock():
        etag = APIClient().get(url)["ETag"]
        _everyone_compares_first(race_db, validator)
        responses = _all_at_once_async(
            lambda client, i: _patch(client, url, {"title": f"writer {i} {etag}"}, etag)
        )
        stored = _stored(race_db, new_note.pk)
    _assert_one_winner(responses, stored, validator)


def _with_item(current, i):
    return {"checklist": [*current.json()["checklist"], {"text": f"writer {i}", "done": False}]}


def _assert_no_update_lost(outcomes, stored, validator):
    assert [status for status, _ in outcomes] == [200] * WRITERS
    assert sorted(item["text"] for item in stored.checklist) == sorted(f"writer {i}" for i in range(WRITERS))
    assert stored.version == (1 + WRITERS if validator == "version" else 1)
    assert sorted(attempts for _, attempts in outcomes)[:2] == [1, 2]  # one first-round winner, then retries


@pytest.mark.parametrize("validator", ["version", "hash"])
def test_writers_that_retry_on_412_lose_no_update(race_db, validator, new_note, django_db_blocker):
    url = f"/conditional/{race_db}/{validator}/{new_note.pk}/"
    connections.settings[race_db]["ATOMIC_REQUESTS"] = True

    first_reads = threading.Barrier(WRITERS)

    def append_item(i):
        client = APIClient()
        for attempt in range(1, 4 * WRITERS):
            current = client.get(url)
            if attempt == 1:
                first_reads.wait(timeout=60)  # all start from the same version
            response = client.patch(url, _with_item(current, i), format="json", HTTP_IF_MATCH=current["ETag"])
            if response.status_code != 412:
                return response.status_code, attempt
        return None, attempt

    try:
        with django_db_blocker.unblock():
            outcomes = _all_at_once(append_item)
            stored = _stored(race_db, new_note.pk)
    finally:
        connections.settings[race_db]["ATOMIC_REQUESTS"] = False
    _assert_no_update_lost(outcomes, stored, validator)


@pytest.mark.parametrize("validator", ["version", "hash"])
def test_async_writers_that_retry_on_412_lose_no_update(race_db, validator, new_note, django_db_blocker):
    url = f"/conditional/{race_db}/async/{validator}/{new_note.pk}/"
    connections.settings[race_db]["ATOMIC_REQUESTS"] = False
    read = []
    everyone_read = asyncio.Event()  # made in the test's loop below (asyncio.run)

    async def append_item(client, i):
        for attempt in range(1, 4 * WRITERS):
            current = await client.get(url)
            if attempt == 1:  # all start from the same version
                read.append(i)
                if len(read) == WRITERS:
                    everyone_read.set()
                await everyone_read.wait()
            response = await _patch(client, url, _with_item(current, i), current["ETag"])
            if response.status_code != 412:
                return response.status_code, attempt
        return None, attempt

    with django_db_blocker.unblock():
        outcomes = _all_at_once_async(append_item)
        stored = _stored(race_db, new_note.pk)
    _assert_no_update_lost(outcomes, stored, validator)


@pytest.mark.parametrize("kind", ["version", "hash", "async/version"])
def test_a_value_postgresql_cannot_store_is_a_400_and_nothing_is_written(race_db, new_note, kind):
    # DRF's JSONField takes "\u0000"; PostgreSQL's jsonb cannot hold it
    # (SQLSTATE 22P05): a DataError, answered 500 ("retry") for the client's value.
    url = f"/conditional/{race_db}/{kind}/{new_note.pk}/"
    title = f"nul {uuid.uuid4()}"  # the database lives for the module; titles are unique
    body = json.dumps({"title": title, "checklist": ["a\u0000b"]})
    if kind.startswith("async"):
        response = asyncio.run(
            AsyncClient(raise_request_exception=False).patch(url, body, content_type="application/json")
        )
    else:
        response = APIClient(raise_request_exception=False).patch(url, body, content_type="application/json")
    stored = _stored(race_db, new_note.pk)
    if race_db == "race_postgres":
        assert response.status_code == 400, response.content
        assert (
            response.json()["error"] == "invalid_request" and "stored" in response.json()["error_description"]
        )
        assert (stored.title, stored.checklist, stored.version) == (new_note.title, [], 1)
    else:  # SQLite stores it as sent
        assert response.status_code == 200, response.content
        assert (stored.title, stored.checklist) == (title, ["a\x00b"])


def test_a_data_error_of_the_servers_own_query_stays_a_500(race_db, new_note):
    # The same SQLSTATE (22P02) from a SELECT: nothing the client sent.
    query = Note.objects.using(race_db).annotate(n=Cast("title", IntegerField()))
    if race_db == "race_sqlite":
        assert query.get(pk=new_note.pk).n == 0  # SQLite casts any text
        return
    with pytest.raises(DataError) as raised:
        query.first()
    assert classify(raised.value).code == "server_error"


def test_a_unique_violation_names_the_model_fields_not_their_columns(race_db, new_note, django_db_blocker):
    # PostgreSQL names the columns (owner_id, title), and so did the 409; the
    # table says whose fields they are.
    with django_db_blocker.unblock(), pytest.raises(IntegrityError) as raised:
        Note.objects.using(race_db).create(owner=new_note.owner, title=new_note.title)
    assert classify(raised.value).extra["fields"] == ["owner", "title"]
