from importlib import import_module

from django.apps import AppConfig
from django.core import checks

# Wings that plug into the core: each has a ready() that registers its hooks
# or checks, so the core never imports a wing.
WINGS = ("django_api_errors.auth", "django_api_errors.conditional", "django_api_errors.throttling")


class ApiErrorsConfig(AppConfig):
    name = "django_api_errors"
    verbose_name = "API errors"

    def ready(self) -> None:
        from django_api_errors import checks as app_checks

        checks.register(app_checks.check_exception_handler)
        checks.register(app_checks.check_error_views)
        checks.register(app_checks.check_middleware)
        checks.register(app_checks.check_settings)
        checks.register(app_checks.check_camel_case_names)
        for wing in WINGS:
            import_module(wing).ready()
