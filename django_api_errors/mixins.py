"""Public path of the conditional-request mixin (the code is in :mod:`django_api_errors.conditional`)."""

from django_api_errors.conditional.mixins import ConditionalRequestMixin

__all__ = ["ConditionalRequestMixin"]
