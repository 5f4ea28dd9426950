"""Public path of the django-ratelimit decorator (the code is in :mod:`django_api_errors.throttling`)."""

from django_api_errors.throttling.ratelimit import ratelimit

__all__ = ["ratelimit"]
