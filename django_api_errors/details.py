"""Flattening validation errors into the body's ``details`` list."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.settings import api_settings

Details = list[dict[str, Any]]


def _join(path: str | None, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _walk(detail: Any, path: str | None, out: Details, non_field: str) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            # Errors not tied to a field stay on the enclosing path.
            _walk(value, path if key == non_field else _join(path, key), out, non_field)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                _walk(item, _join(path, index), out, non_field)
            else:
                _walk(item, path, out, non_field)
    else:
        out.append(
            {
                "field": path,
                "code": getattr(detail, "code", None) or "invalid",
                "message": str(detail),
            }
        )


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
