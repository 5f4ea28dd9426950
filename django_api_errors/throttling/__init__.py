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
