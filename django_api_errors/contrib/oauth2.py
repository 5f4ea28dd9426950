"""Public path of the django-oauth-toolkit adapter."""

from django_api_errors.auth.contrib.oauth2 import (
    OAuth2Authentication,
    TokenHasReadWriteScope,
    TokenHasResourceScope,
    TokenHasScope,
)

__all__ = ["OAuth2Authentication", "TokenHasReadWriteScope", "TokenHasResourceScope", "TokenHasScope"]
