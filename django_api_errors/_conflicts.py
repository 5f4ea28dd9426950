"""Recognising database failures a client caused or can wait out: unique violations,
values the database cannot store, protected deletes, a locked database and a lost connection."""

from __future__ import annotations

import re
from traceback import walk_tb
from typing import Any

from django.apps import apps
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler, SQLUpdateCompiler

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_PG_KEY = re.compile(r"Key \((.+?)\)=")
_PG_UNIQUE = "23505"
_MYSQL_DUPLICATE = 1062


def unique_fields(exc: IntegrityError) -> list[str] | None:
    """The model fields (else the columns) of the unique constraint ``exc`` violated.

    ``None`` when ``exc`` is some other integrity failure (NOT NULL, foreign
    key, check): those are server bugs, not client conflicts.  Values are
    never returned, only names: a foreign key's ``product``, not its column
    ``product_id``.
    """
    cause: Any = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:
        if sqlstate != _PG_UNIQUE:
            return None
        diag = getattr(cause, "diag", None)
        match = _PG_KEY.search(getattr(diag, "message_detail", None) or "")
        columns = [_unquoted(name.strip()) for name in match.group(1).split(",")] if match else []
        return _field_names(getattr(diag, "table_name", None), columns)
    args = getattr(cause, "args", ())
    if args and args[0] == _MYSQL_DUPLICATE:
        return []
    match = _SQLITE_UNIQUE.search(str(cause))
    if match is None:
        return None
    # "app_table.column, app_table.other" -> ["column", "other"]
    qualified = [part.strip().rpartition(".") for part in match.group(1).split(",")]
    return _field_names(qualified[0][0], [column for _table, _dot, column in qualified])


def _unquoted(name: str) -> str:
    """A name as PostgreSQL's message quotes it (``"order"``, ``"ownerId"``), unquoted."""
    return name[1:-1].replace('""', '"') if len(name) > 1 and name[0] == name[-1] == '"' else name


def _field_names(table: str | None, columns: list[str]) -> list[str]:
    """The names of the fields of ``table``'s model stored in ``columns``; a column no field has stays.

    Where models share the table, the one Django manages (not a proxy, not
    an unmanaged view of it) names them.
    """
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table == table]
    models.sort(key=lambda model: not (model._meta.managed and not model._meta.proxy))
    if not models:
        return columns
    stored = {field.column: field.name for field in models[0]._meta.concrete_fields}
    return [stored.get(column, column) for column in columns]


# PostgreSQL's data exceptions (class 22) about a value sent for storage: too
# long, out of range, a date out of range, a character its encoding lacks
# (NUL in jsonb), text the type cannot read.  Not 22012 (division by zero) and
# the like, which a query of the server's own makes.
_SQLITE_JSON = "JSON_VALID("  # the CHECK Django puts on a JSONField's column
_PG_UNSTORABLE = frozenset({"22001", "22003", "22008", "22021", "22P02", "22P05"})
_WRITES = (SQLInsertCompiler, SQLUpdateCompiler)


def unstorable(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a value validation let through.

    DRF's ``JSONField`` takes ``"\\u0000"``, which PostgreSQL's ``jsonb``
    cannot hold; a model field without the backend's range passes a number it
    cannot store (SQLite's ``OverflowError`` past 64 bits: a ``DurationField``
    of a billion days), and SQLite's check on a ``JSONField`` refuses the
    ``Infinity`` that ``json.dumps`` writes for ``1e400`` in a form's JSON
    text (PostgreSQL's 22P02).  Sending it again cannot succeed, so it is the client's
    400.  Only an ``INSERT`` or ``UPDATE`` the ORM wrote counts: the same error
    from a query (a ``Cast`` over stored text) is the server's.
    """
    if isinstance(exc, DataError):
        cause: Any = exc.__cause__ or exc
        if (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) not in _PG_UNSTORABLE:
            return False
    elif isinstance(exc, IntegrityError):
        if _SQLITE_JSON not in str(exc):
            return False
    elif not out_of_range(exc):
        return False
    return any(
        isinstance(frame.f_locals.get("self"), _WRITES) for frame, _lineno in walk_tb(exc.__traceback__)
    )


def out_of_range(exc: BaseException) -> bool:
    """Whether ``exc`` is a value the database cannot compare, in a query the ORM compiled or sent.

    SQLite takes datetimes in UTC: ``?updated_at__gte=0001-01-01T00:00+14:00``
    is before year 1 there, and Python raises ``OverflowError`` making it so.
    Reading rows back (the driver's fetch, converters) is not sending a value:
    it stays the server's.  A value the server itself put in the query (an
    aware ``datetime.max`` in a time zone east of UTC) is answered the same, so
    :mod:`.classify` logs these with their traceback.
    """
    return isinstance(exc, OverflowError) and any(
        _sending(frame) for frame, _lineno in walk_tb(exc.__traceback__)
    )


def _sending(frame: Any) -> bool:
    """A frame compiling a statement, or handing it and its values to the driver."""
    if frame.f_code.co_name == "as_sql":
        return isinstance(frame.f_locals.get("self"), SQLCompiler)
    return frame.f_code.co_name in ("_execute", "_executemany") and (
        frame.f_globals.get("__name__") == "django.db.backends.utils"
    )


def blocking_models(exc: ProtectedError | RestrictedError) -> list[str]:
    """Labels of the models whose rows prevent the delete (no row data)."""
    found = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
    return sorted({obj._meta.label for obj in found})


# SQLSTATEs that mean "try again", not "bug": lock_not_available, deadlock,
# serialization failure; and the server going away (class 08, admin_shutdown).
_PG_BUSY = ("55P03", "40P01", "40001")
_PG_GONE = ("08", "57P01")
_SQLITE_LOCKED = ("database is locked", "database table is locked")


def unavailable(exc: BaseException) -> int | None:
    """Seconds to wait when ``exc`` means the database is busy or unreachable, else ``None``.

    A lock held past the database's timeout clears in moments; a lost
    connection takes longer (``None`` there would be a bug, 0 the default wait).
    """
    if isinstance(exc, InterfaceError):
        return 0
    if not isinstance(exc, OperationalError):
        return None
    cause: Any = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:
        if sqlstate.startswith(_PG_GONE):
            return 0
        return 1 if sqlstate in _PG_BUSY else None
    text = str(cause)
    if text.startswith(_SQLITE_LOCKED):
        return 1
    return 0 if "connection" in text.lower() and ("closed" in text or "refused" in text) else None
