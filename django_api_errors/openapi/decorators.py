"""Declaring the errors a view raises itself, for the OpenAPI schema."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from django_api_errors.openapi._inspection import DECLARED

T = TypeVar("T")


class _Added:
    """``api_errors`` worked out when read, with ``codes`` added."""

    def __init__(self, base: Any, codes: tuple[str, ...]) -> None:
        self.base, self.codes = base, codes

    def __get__(self, instance: Any, owner: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.base.__get__(instance, owner), *self.codes)))


def declares_errors(*error_codes: str) -> Callable[[T], T]:
    """Add ``error_codes`` to the errors the schema documents for a view.

    Works on an ``APIView`` or viewset class, on one of its handler methods
    or ``@action``\\ s, and on a function view (put it above ``@api_view``)::

        @declares_errors("payment_required")
        class CheckoutView(APIView): ...

    Authenticators, permissions, throttles and parsers can do the same with
    an ``api_errors = ("session_expired",)`` class attribute.  The codes must
    be documented (built in, registered, or in ``API_ERRORS["CODES"]``) by the
    time the schema is generated.
    """

    def decorate(target: T) -> T:
        holder: Any = getattr(target, "cls", target)  # @api_view functions keep their class here
        found = inspect.getattr_static(holder, DECLARED, ())
        if hasattr(found, "__get__"):  # worked out when read (a token class's session_expired)
            setattr(holder, DECLARED, _Added(found, error_codes))
        else:
            setattr(holder, DECLARED, tuple(dict.fromkeys((*found, *error_codes))))
        return target

    return decorate
