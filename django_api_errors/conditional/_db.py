"""The database side of conditional requests: light reads, atomic compare-and-write.

PostgreSQL, MySQL and Oracle lock rows; SQLite locks the whole database, and
only waits for a lock it can take before its transaction has read anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import BinaryField, JSONField, Model, QuerySet, TextField

# Columns worth leaving out of a read that may end in a 304.
LARGE_FIELDS = (TextField, JSONField, BinaryField)


def large_fields(model: type[Model], keep: Iterable[str | None] = ()) -> list[str]:
    """The names of ``model``'s large columns, except those in ``keep``."""
    kept = set(keep)
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, LARGE_FIELDS) and not field.primary_key and field.name not in kept
    ]


def write_database(queryset: QuerySet[Any]) -> str:
    """Where writes to ``queryset``'s rows go: its own database, or the router's."""
    # select_for_update() marks the clone for writing, so ``.db`` asks the
    # router's db_for_write unless the queryset was bound with using().
    return queryset.select_for_update().db


def take_sqlite_write_lock(alias: str, model: type[Model]) -> None:
    """Inside a transaction on SQLite, take the write lock now (like BEGIN IMMEDIATE).

    A transaction that has read holds a shared lock, and SQLite answers
    "database is locked" at once, without waiting, when such a transaction
    asks for the write lock another one holds.  Writing first, before any
    read, makes concurrent writers wait their turn on the busy timeout, and
    each then reads what the previous one committed.
    """
    connection = connections[alias]
    if connection.vendor != "sqlite" or not connection.in_atomic_block:
        return
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(str(model._meta.pk.column))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {column} WHERE 0 = 1")


def for_update(queryset: QuerySet[Any], alias: str) -> QuerySet[Any]:
    """``queryset`` on ``alias``, locking the rows it reads (not the joined ones)."""
    queryset = queryset.using(alias)
    features = connections[alias].features
    if not features.has_select_for_update:
        return queryset  # SQLite: take_sqlite_write_lock() already serializes writers
    return queryset.select_for_update(of=("self",) if features.has_select_for_update_of else ())


def bump_version(instance: Model, field: str, alias: str) -> bool:
    """Add one to ``instance``'s version if the row still has the version read.

    One conditional ``UPDATE``: of concurrent callers holding the same
    version, exactly one succeeds; the others wait for its row lock, then
    find the version changed (or, on SQLite, wait for the database lock).
    """
    current = getattr(instance, field)
    rows = type(instance)._base_manager.using(alias).filter(pk=instance.pk, **{field: current})
    if rows.update(**{field: current + 1}) != 1:
        return False
    setattr(instance, field, current + 1)
    return True


def stored_version(instance: Model, field: str, alias: str) -> Any:
    """The version the row of ``instance`` has now; ``None`` when it is gone."""
    rows = type(instance)._base_manager.using(alias).filter(pk=instance.pk)
    return rows.values_list(field, flat=True).first()
