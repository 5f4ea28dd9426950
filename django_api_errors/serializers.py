"""Serializers that refuse what DRF would drop.

A DRF serializer ignores every key it has no field for: ``PATCH {"titel":
"x"}``, or ``{"createdAt": ...}`` sent to an API whose fields are
``created_at``, answers 200 and changes nothing.  A serializer with
:class:`StrictFieldsMixin` answers 400 ``invalid_request`` instead, with a
``details`` entry (code ``unknown_field``, its JSON Pointer) per such key,
next to its other errors.  Keys of read-only fields stay accepted and
ignored, so a client may send back what it read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ErrorDetail, ValidationError

__all__ = ["StrictFieldsMixin"]

# What the browsable API's forms add to the fields.
_FORM_KEYS = frozenset({"csrfmiddlewaretoken"})


class StrictFieldsMixin:
    """Answer keys the serializer has no field for with 400, rather than drop them.

    Put it before ``Serializer`` or ``ModelSerializer`` in the bases; a nested
    serializer refuses its own unknown keys when it has the mixin too.  Keys
    listed in ``ignored_fields`` pass (and are still ignored).
    """

    default_error_messages: ClassVar[dict[str, Any]] = {
        "unknown_field": _("This resource has no field of this name; nothing in the request was saved.")
    }
    ignored_fields: ClassVar[tuple[str, ...]] = ()

    def to_internal_value(self, data: Any) -> Any:
        unknown = {}
        if isinstance(data, Mapping):
            known = self.fields  # type: ignore[attr-defined]
            for key in data:
                if key not in known and key not in self.ignored_fields and key not in _FORM_KEYS:
                    message = self.error_messages["unknown_field"]  # type: ignore[attr-defined]
                    unknown[key] = [ErrorDetail(str(message), code="unknown_field")]
        try:
            value = super().to_internal_value(data)  # type: ignore[misc]
        except ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                exc.detail.update(unknown)
            raise
        if unknown:
            raise ValidationError(unknown)
        return value
