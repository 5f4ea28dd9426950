"""Declaring the errors a view raises itself, for the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django_api_errors.openapi._inspection import DECLARED

T = TypeVar("T")


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
        merged = dict.fromkeys((*getattr(holder, DECLARED, ()), *error_codes))
        setattr(holder, DECLARED, tuple(merged))
        return target

    return decorate
