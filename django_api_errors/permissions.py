"""Public path of the scope permissions (the code is in :mod:`django_api_errors.auth`)."""

from django_api_errors.auth.permissions import HasScope, token_scopes

__all__ = ["HasScope", "token_scopes"]
