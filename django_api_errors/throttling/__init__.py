"""Throttling (a wing): atomic DRF throttles and django-ratelimit, answered with 429.

``django_api_errors.throttling`` is the public path of the throttle classes::

    REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["django_api_errors.throttling.UserRateThrottle"]}
"""

from django_api_errors.throttling.throttles import (
    AnonRateThrottle,
    AtomicRateThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
)

__all__ = ["AnonRateThrottle", "AtomicRateThrottle", "ScopedRateThrottle", "UserRateThrottle"]


def ready() -> None:
    """Plug the wing into the core (called by the app's ``AppConfig.ready``)."""
    from django.core import checks

    from django_api_errors.throttling.checks import check_throttle_caches

    checks.register(check_throttle_caches, checks.Tags.caches)
