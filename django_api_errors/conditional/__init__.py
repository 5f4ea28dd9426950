"""Conditional requests (a wing): ETags, 304, and If-Match writes that cannot lose an update.

The public class is :class:`django_api_errors.mixins.ConditionalRequestMixin`.
"""


def ready() -> None:
    """Plug the wing into the core (called by the app's ``AppConfig.ready``)."""
    from django.core import checks

    from django_api_errors.conditional.checks import check_admin_versions, check_weakened_etags

    checks.register(check_weakened_etags)
    checks.register(check_admin_versions)
