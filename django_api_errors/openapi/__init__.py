"""OpenAPI (a wing): every operation's documented errors in the drf-spectacular schema.

``django_api_errors.openapi.AutoSchema`` needs the ``[openapi]`` extra; the
names load on first use, so :mod:`django_api_errors.decorators` works without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["AutoSchema", "ErrorResponsesMixin", "error_responses"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("django_api_errors.openapi.schema"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
