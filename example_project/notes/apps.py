from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "example_project.notes"
    label = "notes"

    def ready(self):
        # Registers the bearer token's OpenAPI security scheme.
        from example_project.notes import schema  # noqa: F401
