"""Flattening validation errors into the body's ``details`` list."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.settings import api_settings

Details = list[dict[str, Any]]

# Tuples, not unions: isinstance() is faster with them, once per error.
_LISTS = (list, tuple)
_CONTAINERS = (dict, list, tuple)


def _join(path: str | None, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _walk(detail: Any, path: str | None, out: Details, non_field: str) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            # Errors not tied to a field stay on the enclosing path.
            _walk(value, path if key == non_field else _join(path, key), out, non_field)
    elif isinstance(detail, _LISTS):
        for index, item in enumerate(detail):
            if isinstance(item, _CONTAINERS):
                _walk(item, _join(path, index), out, non_field)
            else:
                # The message itself, entered here: no call per error.
                code = getattr(item, "code", None) or "invalid"
                out.append({"field": path, "code": code, "message": str(item)})
    else:
        _walk([detail], path, out, non_field)


def from_drf(detail: Any) -> Details:
    """One entry per error in a DRF ``ValidationError.detail``, at any depth.

    ``field`` is the dotted path (``items.0.name``) or ``None``.
    """
    out: Details = []
    _walk(detail, None, out, api_settings.NON_FIELD_ERRORS_KEY)
    return out


def _messages(errors: list[DjangoValidationError], path: str | None) -> Details:
    out: Details = []
    for error in errors:
        for item in error.error_list:
            message = item.message
            if item.params:
                message = message % item.params
            out.append({"field": path, "code": item.code or "invalid", "message": str(message)})
    return out


def from_django(exc: DjangoValidationError) -> Details:
    """One entry per error of a Django ``ValidationError`` (``full_clean()``)."""
    if hasattr(exc, "error_dict"):
        out: Details = []
        for name, errors in exc.error_dict.items():
            out.extend(_messages(errors, None if name == NON_FIELD_ERRORS else name))
        return out
    return _messages([exc], None)
