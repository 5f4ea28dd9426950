"""Recognising database conflicts: unique violations and protected deletes."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_PG_KEY = re.compile(r"Key \((.+?)\)=")
_PG_UNIQUE = "23505"
_MYSQL_DUPLICATE = 1062


def unique_fields(exc: IntegrityError) -> list[str] | None:
    """The columns of the unique constraint ``exc`` violated.

    ``None`` when ``exc`` is some other integrity failure (NOT NULL, foreign
    key, check): those are server bugs, not client conflicts.  Values are
    never returned, only column names.
    """
    cause: Any = exc.__cause__ or exc
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate is not None:
        if sqlstate != _PG_UNIQUE:
            return None
        diag = getattr(cause, "diag", None)
        match = _PG_KEY.search(getattr(diag, "message_detail", None) or "")
        return [name.strip() for name in match.group(1).split(",")] if match else []
    args = getattr(cause, "args", ())
    if args and args[0] == _MYSQL_DUPLICATE:
        return []
    match = _SQLITE_UNIQUE.search(str(cause))
    if match is None:
        return None
    # "app_table.column, app_table.other" -> ["column", "other"]
    return [part.strip().rsplit(".", 1)[-1] for part in match.group(1).split(",")]


def blocking_models(exc: ProtectedError | RestrictedError) -> list[str]:
    """Labels of the models whose rows prevent the delete (no row data)."""
    found = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
    return sorted({obj._meta.label for obj in found})
