"""How the example's token authentication appears in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "example_project.notes.authentication.ApiTokenAuthentication"
    name = "bearerAuth"
    priority = 1  # before the app's generic scheme for ExpiringTokenAuthentication

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `manage.py seed_demo`, e.g. `alice-full`.",
        }
