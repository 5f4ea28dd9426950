from django.apps import AppConfig
from django.core import checks


class ApiErrorsConfig(AppConfig):
    name = "django_api_errors"
    verbose_name = "API errors"

    def ready(self) -> None:
        from django_api_errors import checks as app_checks

        checks.register(app_checks.check_exception_handler)
        checks.register(app_checks.check_error_views)
        checks.register(app_checks.check_settings)
        checks.register(app_checks.check_throttle_caches, checks.Tags.caches)
