from typing import Any

from django.core.management.base import BaseCommand

from django_api_errors import reference


class Command(BaseCommand):
    help = "Print the error reference (every code, its status and headers) as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(reference.markdown(), ending="")
