"""W007: ETags that ``GZipMiddleware`` weakens, which ``If-Match`` never matches (the conditional wing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

from django_api_errors import conf
from django_api_errors.checks import dotted, view_classes

GZIP = "django.middleware.gzip.GZipMiddleware"


def check_weakened_etags(**kwargs: Any) -> list[CheckMessage]:
    """W007: ``GZipMiddleware`` with ``ConditionalRequestMixin`` views and strict ``If-Match``."""
    if conf.settings.IF_MATCH_WEAKENED or GZIP not in settings.MIDDLEWARE:
        return []
    from django_api_errors.conditional.mixins import ConditionalRequestMixin

    views = [view for view in view_classes() if issubclass(view, ConditionalRequestMixin)]
    if not views:
        return []
    more = f" (and {len(views) - 1} more views)" if len(views) > 1 else ""
    return [
        Warning(
            f"GZipMiddleware makes the ETag of every response it compresses weak, and If-Match never "
            f"matches a weak tag: a client of {dotted(views[0])}{more} that sends back the ETag it "
            "was given gets 412 on every write.",
            hint='Set API_ERRORS["IF_MATCH_WEAKENED"] = True, or compress only views without '
            "ConditionalRequestMixin (django.views.decorators.gzip.gzip_page).",
            id="django_api_errors.W007",
        )
    ]
