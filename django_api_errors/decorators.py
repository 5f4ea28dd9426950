"""Public path of ``declares_errors`` (the code is in :mod:`django_api_errors.openapi`)."""

from django_api_errors.openapi.decorators import declares_errors

__all__ = ["declares_errors"]
