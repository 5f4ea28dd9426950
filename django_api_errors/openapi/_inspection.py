"""Which documented errors a DRF view can answer, found by looking at the view.

Used by the OpenAPI schema (:mod:`django_api_errors.openapi.schema`), but free of
any schema library.  Views, their authenticators, permissions, throttles and
parsers, and their handler methods can name further codes in an
``api_errors`` attribute (see :func:`django_api_errors.openapi.decorators.declares_errors`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.validators import (
    BaseUniqueForValidator,
    UniqueTogetherValidator,
    UniqueValidator,
)

from django_api_errors import codes, conf

DECLARED = "api_errors"
# On a serializer or field: codes its validate() methods raise that no
# error message or validator names, e.g. ``api_field_codes = ("too_soon",)``.
FIELD_CODES = "api_field_codes"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
UNSAFE_METHODS = BODY_METHODS | {"DELETE"}
WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})  # of an existing resource
_UNIQUE_VALIDATORS = (UniqueValidator, UniqueTogetherValidator, BaseUniqueForValidator)
_MAX_DEPTH = 10  # Recursive serializers end somewhere.


@dataclass
class ViewErrors:
    """The errors of one operation: ``{status: [code, ...]}`` and field error codes."""

    statuses: dict[int, list[str]] = field(default_factory=dict)
    field_codes: dict[int, list[str]] = field(default_factory=dict)

    def add(self, code: str, status: int | None = None) -> None:
        """Add ``code`` under its own status from the table, or under ``status``
        for the statuses without a row of their own (405, 406, 413, 428)."""
        found = self.statuses.setdefault(status or codes.status_of(code), [])
        if code not in found:
            found.append(code)


# Django's public auto key fields (their common base, AutoFieldMixin, is internal).
_AUTO_FIELDS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def view_components(view: Any, getter: str, attribute: str) -> list[Any]:
    """``view.get_permissions()`` and friends; the classes when that fails.

    A throttle without a configured rate, or a ``get_permissions()`` that reads
    the request, cannot be built here; its class says as much about the errors.
    """
    try:
        return list(getattr(view, getter)())
    except Exception:
        return list(getattr(view, attribute, ()))


def _is(component: Any, kind: type) -> bool:
    return isinstance(component, kind) or (isinstance(component, type) and issubclass(component, kind))


def _requires_scopes(view: Any, method: str) -> bool:
    """``required_scopes`` as django-oauth-toolkit and many scope permissions spell it."""
    scopes = getattr(view, "required_scopes", None)
    if isinstance(scopes, Mapping):  # by method, in any case; a HEAD left out needs GET's
        by_method = {str(name).upper(): listed for name, listed in scopes.items()}
        scopes = by_method.get(method.upper(), by_method.get("GET") if method.upper() == "HEAD" else None)
    return bool(scopes)


def declared_codes(view: Any, method: str, components: Iterable[Any] = ()) -> list[str]:
    """The codes named by ``api_errors`` on the view, its handler and ``components``."""
    handler = getattr(view, getattr(view, "action", None) or method.lower(), None)
    holders = (view, handler, *components)
    return list(dict.fromkeys(code for holder in holders for code in getattr(holder, DECLARED, ())))


def _model(view: Any, serializer: Any) -> type[models.Model] | None:
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        model = getattr(getattr(serializer, "Meta", None), "model", None)
    return model if isinstance(model, type) and issubclass(model, models.Model) else None


def has_unique_values(model: type[models.Model]) -> bool:
    """Can a client-supplied value collide with a stored row?"""
    meta = model._meta
    # Values the server generates (auto keys, editable=False UUIDs) cannot collide
    # with what a client sends.
    if any(f.unique and f.editable and not isinstance(f, _AUTO_FIELDS) for f in meta.concrete_fields):
        return True
    return bool(meta.unique_together or meta.total_unique_constraints)


def has_protected_relations(model: type[models.Model]) -> bool:
    """Can rows of other models block deleting a row (``PROTECT``/``RESTRICT``)?"""
    blocking = (models.PROTECT, models.RESTRICT)
    return any(getattr(rel, "on_delete", None) in blocking for rel in model._meta.related_objects)


def _validator_codes(validators: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for validator in validators:
        if isinstance(validator, _UNIQUE_VALIDATORS):
            found.add("unique")
        code = getattr(validator, "code", None)
        if isinstance(code, str):
            found.add(code)
        messages = getattr(validator, "messages", None)  # DecimalValidator: one per code
        if isinstance(messages, Mapping):
            found.update(messages)
    return found


def _collect(item: Any, found: set[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    found.update(getattr(item, "error_messages", None) or ())
    found.update(getattr(item, FIELD_CODES, ()))
    try:
        validators = item.validators
    except Exception:  # A serializer whose validators need a bound instance.
        validators = ()
    found.update(_validator_codes(validators))
    for nested in (getattr(item, "child", None), getattr(item, "child_relation", None)):
        if nested is not None:
            _collect(nested, found, depth + 1)
    if isinstance(item, serializers.Serializer):
        for child in item.fields.values():
            if not child.read_only and not isinstance(child, serializers.HiddenField):
                _collect(child, found, depth + 1)


def field_error_codes(serializer: Any) -> list[str]:
    """Every ``details[].code`` the serializer can produce, and ``invalid``: what
    ``validate()`` and ``validate_<field>()`` raise by default."""
    found = {"invalid"}
    _collect(serializer, found, 0)
    return sorted(found)


def _conditional(view: Any) -> bool:
    """Does the view evaluate If-Match / If-None-Match (the conditional-request mixin)?"""
    from django_api_errors.conditional.mixins import (
        ConditionalRequestMixin,  # imports DRF generics: load late
    )

    return isinstance(view, ConditionalRequestMixin)


@dataclass(frozen=True)
class Conditional:
    """What a ``ConditionalRequestMixin`` view's operation sends and evaluates."""

    last_modified: bool  # Last-Modified, If-Modified-Since, If-Unmodified-Since
    cache_control: bool
    if_match_required: bool


def conditional(view: Any, method: str, *, detail_route: bool) -> Conditional | None:
    """The conditional-request contract of ``method`` on ``view``; ``None`` without one."""
    if not _conditional(view):
        return None
    required = getattr(view, "require_if_match", None)
    if required is None:
        required = conf.settings.REQUIRE_IF_MATCH
    return Conditional(
        last_modified=detail_route and bool(getattr(view, "etag_modified_field", None)),
        cache_control=bool(getattr(view, "etag_cache_control", None)),
        if_match_required=bool(required) and detail_route and method.upper() in WRITE_METHODS,
    )


def sends_ratelimit_headers(view: Any) -> bool:
    """Do the view's throttles add ``RateLimit`` / ``RateLimit-Policy`` to its responses?"""
    from django_api_errors.throttling.throttles import AtomicRateThrottle

    throttles = view_components(view, "get_throttles", "throttle_classes")
    return conf.settings.RATELIMIT_HEADERS and any(_is(t, AtomicRateThrottle) for t in throttles)


def view_errors(view: Any, method: str, *, detail_route: bool, serializer: Any = None) -> ViewErrors:
    """The documented errors ``method`` on ``view`` can answer with.

    ``detail_route``: the path names one resource (404).  ``serializer``: the
    request body's serializer, whose field error codes the 400 lists.
    """
    method = method.upper()
    found = ViewErrors()
    authenticators = view_components(view, "get_authenticators", "authentication_classes")
    perms = view_components(view, "get_permissions", "permission_classes")
    throttles = view_components(view, "get_throttles", "throttle_classes")
    parsers = view_components(view, "get_parsers", "parser_classes") if method in BODY_METHODS else []

    found.add("invalid_request")  # malformed requests, on any operation
    guarded = any(not _is(p, permissions.AllowAny) for p in perms)
    session_auth = any(_is(a, SessionAuthentication) for a in authenticators)
    if authenticators or guarded:
        found.add("unauthorized_client")
    if guarded and session_auth:
        found.add("session_expired")  # a session cookie that outlived its session
    if guarded or (session_auth and method in UNSAFE_METHODS):  # the latter: CSRF
        found.add("access_denied")
    if _requires_scopes(view, method):
        found.add("insufficient_scope")
    # A detail route's resource; DRF's paginators answer 404 to a page that does not exist.
    if detail_route or (method == "GET" and getattr(view, "pagination_class", None) is not None):
        found.add("not_found")
    found.add("invalid_request", 405)
    found.add("invalid_request", 406)
    model = _model(view, serializer)
    if serializer is not None:
        found.field_codes[400] = field_error_codes(serializer)
        if "unique" in found.field_codes[400]:
            found.add("conflict")
            found.field_codes[409] = ["unique"]
    if model is not None and method in BODY_METHODS and has_unique_values(model):
        found.add("conflict")
    if model is not None and method == "DELETE" and has_protected_relations(model):
        found.add("conflict")
    if _conditional(view):
        # If-Match / If-Unmodified-Since fail with 412 on reads (lists too) and writes alike;
        # a write without If-Match may be refused with 428.
        found.add("precondition_failed")
        if method in WRITE_METHODS:
            contract = conditional(view, method, detail_route=detail_route)
            if contract is not None and contract.if_match_required:
                found.add("precondition_failed", 428)
            if getattr(view, "etag_version_field", None):
                # A write without a precondition that loses a race answers 409
                # (without a version field the row is locked: no race to lose).
                found.add("conflict")
    if parsers:
        found.add("invalid_request", 413)  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, whatever the parser
        found.add("invalid_content_type")
    if throttles:
        found.add("usage_limit_exceeded")
    found.add("server_error")
    for code in declared_codes(view, method, [*authenticators, *perms, *throttles, *parsers]):
        if codes.get(code) is None:
            raise ImproperlyConfigured(f"{type(view).__name__} declares the unknown error code {code!r}.")
        found.add(code)
    found.statuses = dict(sorted(found.statuses.items()))
    return found
