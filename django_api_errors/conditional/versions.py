"""Versions every save bumps: a change made outside the view (the admin, the shell) changes the ETag too.

With ``etag_version_field`` the ETag names the row's version, and the view
bumps it with each write it makes.  A ``save()`` elsewhere leaves it alone:
a client then gets 304 for a row that changed, and its ``If-Match`` passes
and overwrites the change with 200.  :func:`track_versions` makes every
``save()`` of an existing row add one to the version in the database
(``version = version + 1``, so two saves never share a number).
``QuerySet.update()`` sends no signal and still has to bump it itself, as
does ``save(update_fields=[...])`` without the version among the fields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model
from django.db.models.signals import post_save, pre_save

# The tracked models and their version fields.
tracked: dict[type[Model], str] = {}
_CLAIMED = "_api_errors_version_bumped"  # set by the view, whose UPDATE already bumped it


def track_versions(model: type[Model], field: str = "version") -> None:
    """Bump ``model``'s ``field`` on every ``save()`` of an existing row, whoever saves it."""
    model._meta.get_field(field)  # FieldDoesNotExist now, not at the first save
    tracked[model] = field
    uid = f"django_api_errors.versions:{model._meta.label}"
    pre_save.connect(_bump, sender=model, dispatch_uid=uid)
    post_save.connect(_reread, sender=model, dispatch_uid=uid)


def bumped(instance: Model) -> None:
    """Say that ``instance``'s next save writes a version the view has already bumped."""
    instance.__dict__[_CLAIMED] = True


def _bump(
    sender: type[Model], instance: Model, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    field = tracked.get(sender)
    if field is None or raw or instance._state.adding or instance.__dict__.pop(_CLAIMED, False):
        return
    if update_fields is None or field in update_fields:
        setattr(instance, field, F(field) + 1)


def _reread(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    field = tracked.get(sender)
    if field is not None and hasattr(getattr(instance, field, None), "resolve_expression"):
        instance.refresh_from_db(fields=[field])  # the number the expression made
