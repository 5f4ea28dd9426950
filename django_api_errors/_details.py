"""Flattening validation errors into the body's ``details`` list.

Each entry names its field twice: ``field``, a dotted path (``items.0.name``),
and ``pointer``, a JSON Pointer (RFC 6901) into the request body
(``/items/0/name``), both in the client's names (see ``_naming``).  Errors
found in the query string carry ``"in": "query"`` instead of a pointer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from rest_framework.settings import api_settings

from django_api_errors import _naming
from django_api_errors._naming import Renamer
from django_api_errors.problem import Detail, Details

# Tuples, not unions: isinstance() is faster with them, once per error.
_LISTS = (list, tuple)
_CONTAINERS = (dict, list, tuple)
# Methods whose ValidationError is about query parameters: filter backends
# (django-filter's DjangoFilterBackend) and paginators.
_QUERY_METHODS = frozenset({"filter_queryset", "paginate_queryset"})


def _token(key: str) -> str:
    """``key`` as one reference token of a JSON Pointer (RFC 6901 §3)."""
    if "~" in key or "/" in key:
        return key.replace("~", "~0").replace("/", "~1")
    return key


def _walk(
    detail: Any,
    path: str | None,
    pointer: str,
    out: Details,
    non_field: tuple[str, ...],
    names: Renamer | None,
) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in non_field:
                # Errors not tied to a field stay on the enclosing path.
                _walk(value, path, pointer, out, non_field, names)
                continue
            below = names
            if names is None or not isinstance(key, str):
                key = f"{key}"  # ListField's errors: {0: [...]}; a str stays the same object
            else:
                key, below = names.rename(key)
            # Inlined: one call per key is a tenth of this loop's cost.
            token = key.replace("~", "~0").replace("/", "~1") if "~" in key or "/" in key else key
            field = f"{path}.{key}" if path else key
            where = f"{pointer}/{token}"
            if value.__class__ is not list:
                _walk(value, field, where, out, non_field, below)
                continue
            # A field's own messages, the common case, without a call per field
            # (it costs as much as the pointer member).  A list holding objects
            # (many=True) goes to the list branch below instead.
            start = len(out)
            for item in value:
                if isinstance(item, _CONTAINERS):
                    del out[start:]
                    _walk(value, field, where, out, non_field, below)
                    break
                code = getattr(item, "code", None) or "invalid"
                out.append({"field": field, "pointer": where, "code": code, "message": str(item)})
    elif isinstance(detail, _LISTS):
        for index, item in enumerate(detail):
            if isinstance(item, _CONTAINERS):
                field = f"{path}.{index}" if path else f"{index}"
                _walk(item, field, f"{pointer}/{index}", out, non_field, names)
            else:
                # The message itself, entered here: no call per error.
                code = getattr(item, "code", None) or "invalid"
                out.append({"field": path, "pointer": pointer, "code": code, "message": str(item)})
    else:
        _walk([detail], path, pointer, out, non_field, names)


def _in_query_method(exc: BaseException) -> bool:
    # A loop, not traceback.walk_tb(): this runs for every 400, and it is a third of the cost.
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name in _QUERY_METHODS:
            return True
        tb = tb.tb_next
    return False


def from_drf(detail: Any, request: Any = None, exc: BaseException | None = None) -> Details:
    """One entry per error in a DRF ``ValidationError.detail``, at any depth.

    ``field`` is the dotted path (``items.0.name``) or ``None``; ``pointer``
    the JSON Pointer (``""``: the whole body).  With ``request``, names are
    the client's; with ``exc`` too, errors of query parameters are marked
    ``"in": "query"``: those of a serializer whose data is
    ``request.query_params`` itself, and those raised in a filter backend or
    a paginator.
    """
    out: Details = []
    non_field = (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
    if request is None:
        _walk(detail, None, "", out, non_field, None)
        return out
    # serializer.errors is a ReturnDict (or ReturnList) naming its serializer,
    # and ValidationError keeps that type: then the serializer's data says
    # where, and the frames (the dearer look) are walked only for other errors.
    serializer = getattr(detail, "serializer", None)
    if serializer is not None:
        data = getattr(serializer, "initial_data", None)
        query = isinstance(data, QueryDict) and data is getattr(
            getattr(request, "_request", request), "GET", None
        )
    else:
        query = exc is not None and _in_query_method(exc)
    _walk(detail, None, "", out, non_field, _naming.for_request(request, query))
    if query:
        for item in out:
            # A pointer is into the body (RFC 6901 addresses JSON documents).
            del item["pointer"]
            item["in"] = "query"
    return out


def _messages(errors: list[DjangoValidationError], path: str | None, pointer: str) -> Details:
    out: Details = []
    for error in errors:
        for item in error.error_list:
            message = item.message % item.params if item.params else item.message
            out.append(
                {"field": path, "pointer": pointer, "code": item.code or "invalid", "message": str(message)}
            )
    return out


def from_django(exc: DjangoValidationError, request: Any = None) -> Details:
    """One entry per error of a Django ``ValidationError`` (``full_clean()``)."""
    if hasattr(exc, "error_dict"):
        names = _naming.for_request(request) if request is not None else None
        out: Details = []
        for name, errors in exc.error_dict.items():
            if name == NON_FIELD_ERRORS:
                out.extend(_messages(errors, None, ""))
            else:
                name = names.name(name) if names is not None else name
                out.extend(_messages(errors, name, "/" + _token(name)))
        return out
    return _messages([exc], None, "")


def client_names(fields: list[str], request: Any) -> list[str]:
    """Field names (of a unique constraint, say) in the client's names."""
    names = _naming.for_request(request)
    return fields if names is None else [names.name(name) for name in fields]


def entry(name: str, code: str, message: str, view: Any = None) -> Detail:
    """One ``details`` entry for the top-level field ``name`` of ``view``'s body (the OpenAPI examples)."""
    names = _naming.for_view(view)
    name = names.name(name) if names is not None else name
    return {"field": name, "pointer": "/" + _token(name), "code": code, "message": message}
