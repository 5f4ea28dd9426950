"""E005: a token authentication whose token model has no table (the authentication wing's check)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from rest_framework.authentication import TokenAuthentication

from django_api_errors.auth.authentication import ExpiringTokenAuthentication
from django_api_errors.checks import dotted, view_classes

# The lookups that read the model get_model() returns.
_READ_TOKEN = (
    TokenAuthentication.authenticate_credentials,
    ExpiringTokenAuthentication.authenticate_credentials,
)


def _authentication_classes() -> list[type]:
    from rest_framework.settings import api_settings

    classes: list[Any] = list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for view_class in view_classes():
        classes.extend(getattr(view_class, "authentication_classes", None) or ())
    return [cls for cls in dict.fromkeys(classes) if isinstance(cls, type)]


def check_token_models(**kwargs: Any) -> list[CheckMessage]:
    """E005: DRF's ``Token`` model read without ``rest_framework.authtoken`` installed."""
    messages: list[CheckMessage] = []
    for cls in _authentication_classes():
        if not issubclass(cls, TokenAuthentication) or cls.model is not None:
            continue  # a model of the project's own is its own to install
        if (
            cls.get_model is not TokenAuthentication.get_model
            or cls.authenticate_credentials not in _READ_TOKEN
        ):
            continue  # it finds its tokens its own way
        from rest_framework.authtoken.models import Token

        if Token._meta.abstract:  # DRF makes it abstract outside INSTALLED_APPS
            messages.append(
                Error(
                    f"{dotted(cls)} reads DRF's Token model, which has no table without "
                    "rest_framework.authtoken: every request carrying a token answers 500.",
                    hint='Add "rest_framework.authtoken" to INSTALLED_APPS and run migrate.',
                    obj=cls,
                    id="django_api_errors.E005",
                )
            )
    return messages
