"""Public path of the djangorestframework-simplejwt adapter."""

from django_api_errors.auth.contrib.simplejwt import JWTAuthentication, JWTStatelessUserAuthentication

__all__ = ["JWTAuthentication", "JWTStatelessUserAuthentication"]
