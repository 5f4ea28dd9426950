"""Public path of the conditional-request mixin (the code is in :mod:`django_api_errors.conditional`)."""

from django_api_errors.conditional.mixins import ConditionalRequestMixin
from django_api_errors.conditional.versions import track_versions

__all__ = ["ConditionalRequestMixin", "track_versions"]
