from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from django_api_errors import reference


class Command(BaseCommand):
    help = "Print the error reference (every code, its status and headers) or the settings table as Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", help="print it in this language, e.g. fr (default: LANGUAGE_CODE)")
        parser.add_argument("--table", choices=["codes", "settings"], default="codes", help="which table")

    def handle(self, *args: Any, language: str | None = None, table: str = "codes", **options: Any) -> None:
        with translation.override(language or settings.LANGUAGE_CODE):
            text = reference.markdown() if table == "codes" else reference.settings_markdown()
            self.stdout.write(text, ending="")
