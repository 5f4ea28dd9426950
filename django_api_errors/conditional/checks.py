"""The conditional wing's checks: W007 (weakened ETags), W008 (versions the admin does not bump)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
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

    views = [view for view in dict.fromkeys(view_classes()) if issubclass(view, ConditionalRequestMixin)]
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


def admin_site() -> Any:
    """Django's default admin site, or ``None`` without the admin."""
    if not apps.is_installed("django.contrib.admin"):
        return None
    from django.contrib import admin

    return admin.site


def check_admin_versions(**kwargs: Any) -> list[CheckMessage]:
    """W008: a model the admin edits, served with ``etag_version_field``, whose saves do not bump it."""
    from django_api_errors.conditional.mixins import ConditionalRequestMixin
    from django_api_errors.conditional.versions import tracked

    site = admin_site()
    if site is None:
        return []
    untracked: dict[tuple[Any, str], list[type]] = {}  # (model, field): the views serving it
    for view in dict.fromkeys(view_classes()):  # a router's routes share their class
        field = getattr(view, "etag_version_field", None)
        model = getattr(getattr(view, "queryset", None), "model", None)
        if issubclass(view, ConditionalRequestMixin) and field and model and site.is_registered(model):
            if tracked.get(model) != field:
                untracked.setdefault((model, field), []).append(view)
    messages: list[CheckMessage] = []
    for (model, field), views in untracked.items():
        label = model._meta.label
        more = f" (and {len(views) - 1} more views)" if len(views) > 1 else ""
        messages.append(
            Warning(
                f"{label} is edited in the admin and served by {dotted(views[0])}{more} with the version "
                f"field {field!r}, which an admin save does not bump: a client's If-Match with the ETag "
                "it read before passes, and overwrites the admin's change.",
                hint=f"Call django_api_errors.mixins.track_versions({model.__name__}, {field!r}) "
                "in your AppConfig.ready().",
                obj=model,
                id="django_api_errors.W008",
            )
        )
    return messages
