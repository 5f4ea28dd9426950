"""Public path of the authentication classes (the code is in :mod:`django_api_errors.auth`)."""

from django_api_errors.auth.authentication import ExpiringTokenAuthentication

__all__ = ["ExpiringTokenAuthentication"]
