"""Corners of the mapping that a request cannot reach easily."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler
from django.test import RequestFactory
from rest_framework import exceptions as drf
from rest_framework.exceptions import ErrorDetail

from django_api_errors import _conflicts as conflicts
from django_api_errors.classify import classify
from django_api_errors.exceptions import InsufficientScope
from django_api_errors.handlers import exception_handler
from django_api_errors.problem import Problem
from django_api_errors.views import server_error
from tests.conftest import assert_error
from tests.models import Note


class FakeDiag:
    def __init__(self, detail, table=None):
        self.message_detail = detail
        self.table_name = table


class FakePgError(Exception):
    def __init__(self, sqlstate, detail=None, table=None):
        super().__init__("duplicate key value violates unique constraint")
        self.sqlstate = sqlstate
        self.diag = FakeDiag(detail, table)


def _integrity(cause):
    try:
        raise IntegrityError(*cause.args) from cause
    except IntegrityError as exc:
        return exc


@pytest.mark.parametrize(
    ("cause", "fields"),
    [
        (FakePgError("23505", "Key (owner_id, title)=(1, secret) already exists."), ["owner_id", "title"]),
        # A model's table: its fields' names, not their columns.
        (
            FakePgError("23505", "Key (owner_id, title)=(1, x) already exists.", "tests_note"),
            ["owner", "title"],
        ),
        (Exception("UNIQUE constraint failed: tests_note.owner_id, tests_note.title"), ["owner", "title"]),
        (Exception("UNIQUE constraint failed: no_model.owner_id"), ["owner_id"]),
        # PostgreSQL quotes reserved and mixed-case names in its message.
        (
            FakePgError("23505", 'Key (owner_id, "title")=(1, x) already exists.', "tests_note"),
            ["owner", "title"],
        ),
        (FakePgError("23505", 'Key ("order", "we""ird")=(1, x) already exists.'), ["order", 'we"ird']),
        (FakePgError("23505", None), []),
        (FakePgError("23502"), None),  # NOT NULL: a server bug, not a conflict
        (Exception(1062, "Duplicate entry 'secret' for key 'title'"), []),
        (Exception(1048, "Column 'title' cannot be null"), None),
        (Exception("UNIQUE constraint failed: notes_note.id"), ["id"]),
        (Exception("FOREIGN KEY constraint failed"), None),
    ],
)
def test_unique_fields_per_backend(cause, fields):
    assert conflicts.unique_fields(_integrity(cause)) == fields


class _Insert(SQLInsertCompiler):
    """An INSERT the ORM wrote, failing as PostgreSQL fails it."""

    def __init__(self, sqlstate):
        self.sqlstate = sqlstate

    def execute_sql(self, returning_fields=None):
        raise DataError("unsupported Unicode escape sequence") from FakePgError(self.sqlstate)


@pytest.mark.parametrize(
    ("sqlstate", "code"),
    [
        ("22P05", "invalid_request"),  # untranslatable character: NUL in jsonb
        ("22001", "invalid_request"),  # too long for the column
        ("22003", "invalid_request"),  # out of the type's range
        ("22P02", "invalid_request"),  # text the type cannot read
        ("22012", "server_error"),  # division by zero: the server's own expression
        (None, "server_error"),  # SQLite, MySQL: nothing says whose value
    ],
)
def test_data_errors_about_a_written_value_are_the_clients(sqlstate, code):
    with pytest.raises(DataError) as raised:
        _Insert(sqlstate).execute_sql()
    problem = classify(raised.value)
    assert problem.code == code
    assert "Unicode" not in str(problem.description)  # the database's text stays in the logs
    # The same error outside an INSERT or UPDATE (a query's Cast) is the server's.
    try:
        raise DataError("invalid input syntax") from FakePgError(sqlstate)
    except DataError as exc:
        assert classify(exc).code == "server_error"


@pytest.mark.django_db
def test_a_number_sqlite_cannot_store_is_the_clients(django_user_model):
    # SQLite stores integers in 64 bits and raises OverflowError past them; a
    # DurationField of a billion days (which DRF's DurationField takes) is one.
    note = Note.objects.create(owner=django_user_model.objects.create(username="owner"), title="t")
    with pytest.raises(OverflowError) as raised, transaction.atomic():
        Note.objects.filter(pk=note.pk).update(version=2**70)
    problem = classify(raised.value)
    assert (problem.code, problem.status) == ("invalid_request", 400)
    assert "SQLite" not in str(problem.description)
    note.refresh_from_db()
    assert note.version == 1  # nothing was written


@pytest.mark.django_db(transaction=True)  # the refused INSERT must not break a test's transaction
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_json_text_sqlite_cannot_store_is_the_clients(client, django_user_model, kind):
    # A form's JSON text with 1e400: DRF's JSONField reads infinity, json.dumps
    # writes Infinity, and the JSON_VALID check of SQLite's column refuses the
    # INSERT with an IntegrityError that answered 500.
    django_user_model.objects.create(username="owner")
    url = "/conditional/async/hashed/" if kind == "async" else "/conditional/hashed/"
    response = client.post(url, {"title": "t", "checklist": "[1e400]"})
    assert_error(response, 400, "invalid_request")
    assert not Note.objects.exists()
    assert client.post(url, {"title": "t", "checklist": "[1e300]"}).status_code == 201


@pytest.mark.django_db
@pytest.mark.usefixtures("middleware_paths")
@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_datetime_sqlite_cannot_compare_is_the_clients(client, caplog, since):
    # SQLite compares datetimes in UTC, and these two fall outside years 1-9999
    # there: Python raises OverflowError while the query is compiled.
    response = client.get("/drf/notes-since/", {"since": since})
    body = assert_error(response, 400, "invalid_request")
    assert "range" in body["error_description"] and "date value" not in response.content.decode()
    # It may be the server's own value (an aware datetime.max): the traceback is logged.
    logged = [r for r in caplog.records if r.name == "django_api_errors" and r.exc_info]
    assert logged and "date value out of range" in caplog.text
    assert client.get("/drf/notes-since/", {"since": "2001-01-01T00:00:00+14:00"}).json() == {"count": 0}


class _Fetch(SQLCompiler):
    """A query whose rows, fetched inside ``execute_sql``, hold what Python cannot convert: the server's data."""

    def __init__(self):
        pass

    def execute_sql(self, *args, **kwargs):
        raise OverflowError("date value out of range")

    def results_iter(self, *args, **kwargs):
        raise OverflowError("date value out of range")


@pytest.mark.parametrize("step", ["execute_sql", "results_iter"])
def test_an_overflow_reading_rows_back_stays_a_server_error(step):
    with pytest.raises(OverflowError) as raised:
        getattr(_Fetch(), step)()
    assert classify(raised.value).code == "server_error"


@pytest.mark.django_db
@pytest.mark.usefixtures("middleware_paths")
@pytest.mark.parametrize("note", ["1e400", "-1e400", "[1e400]"])
def test_a_number_too_large_for_a_related_key_is_the_clients(client, django_user_model, note):
    # JSON's 1e400 is float("inf"); DRF's PrimaryKeyRelatedField looks it up,
    # Django's int() raises OverflowError, and DRF catches only TypeError and
    # ValueError: a 500 for the client's number.
    body = f'{{"note": {note}, "text": "x"}}'
    response = client.post("/drf/comment-check/", body, content_type="application/json")
    assert_error(response, 400, "invalid_request")
    owner = django_user_model.objects.create(username="owner")
    fine = client.post(
        "/drf/comment-check/",
        {"note": Note.objects.create(owner=owner, title="t").pk, "text": "x"},
        content_type="application/json",
    )
    assert fine.status_code == 200


def test_an_overflow_elsewhere_stays_a_server_error():
    from rest_framework.fields import IntegerField

    def to_representation():
        return IntegerField().to_representation(float("inf"))  # the server's own data, in DRF's fields

    with pytest.raises(OverflowError) as raised:
        to_representation()
    assert classify(raised.value).code == "server_error"
    with pytest.raises(OverflowError) as raised:
        int(float("inf"))
    assert classify(raised.value).code == "server_error"


def test_unique_validator_errors_are_conflicts():
    exc = drf.ValidationError({"key": [ErrorDetail("token with this key already exists.", code="unique")]})
    problem = classify(exc)
    assert (problem.code, problem.status, problem.extra) == ("conflict", 409, {"fields": ["key"]})


def test_unique_mixed_with_other_errors_stays_400():
    exc = drf.ValidationError(
        {"key": [ErrorDetail("exists", code="unique")], "name": [ErrorDetail("required", code="required")]}
    )
    assert classify(exc).code == "invalid_request"


def test_recursion_outside_a_parser_is_a_server_error():
    def recurse(n):
        return recurse(n + 1)

    with pytest.raises(RecursionError) as raised:
        recurse(0)
    assert classify(raised.value).code == "server_error"


def test_insufficient_scope_without_scopes():
    problem = classify(InsufficientScope())
    assert problem.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'
    assert "scope" not in problem.extra


def test_api_exception_with_structured_detail_and_unknown_status():
    exc = drf.APIException({"reason": "x"})
    exc.status_code = 418
    response = exception_handler(exc, {"request": RequestFactory().get("/")})
    body = assert_error(response, 418, "invalid_request")
    assert body["error_description"] == "The request is malformed or has invalid parameters."


def test_for_code_refuses_unknown_codes():
    with pytest.raises(KeyError):
        Problem.for_code("never_registered")


def test_server_error_view_outside_exception_handling():
    response = server_error(RequestFactory().get("/"))
    assert json.loads(response.content)["error"] == "server_error"


@pytest.mark.parametrize(
    ("exc", "wait"),
    [
        (OperationalError("database is locked"), "1"),
        (OperationalError("database table is locked: notes_note"), "1"),
        (InterfaceError("connection already closed"), "60"),
        (OperationalError("connection to server at 127.0.0.1 refused"), "60"),
    ],
)
def test_a_busy_or_lost_database_is_503_with_retry_after(exc, wait):
    problem = classify(exc)
    assert (problem.status, problem.code) == (503, "server_error")
    assert problem.headers["Retry-After"] == wait
    assert problem.extra["retry_after"] == int(wait)


def test_other_operational_errors_stay_500():
    assert classify(OperationalError("no such table: notes_note")).status == 500


@pytest.mark.parametrize(
    ("raised", "status", "fields"),
    [
        # A message's own params may be a tuple ("%s is taken"): it answered 500.
        (DjangoValidationError("%s is taken.", code="unique", params=("alice",)), 409, None),
        (DjangoValidationError("Taken.", code="unique"), 409, None),
        (
            DjangoValidationError(
                {"title": DjangoValidationError("x", code="unique", params={"unique_check": "title"})}
            ),
            409,
            None,
        ),
        (
            DjangoValidationError(
                [DjangoValidationError("x", code="unique"), DjangoValidationError("y", code="invalid")]
            ),
            400,
            None,
        ),
    ],
)
def test_a_django_unique_error_of_any_shape_is_classified(raised, status, fields):
    problem = classify(raised)
    assert problem.status == status
    assert problem.extra.get("fields") == fields
