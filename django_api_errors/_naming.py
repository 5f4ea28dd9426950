"""Field names as the client sent them: camelCase APIs and other conventions.

djangorestframework-camel-case's parser turns ``firstName`` into
``first_name`` before the serializer runs, so the serializer's errors name
``first_name``; its renderer turns keys back, but an error body built here
never goes through the renderer.  This module renames each segment of a field
path the way that renderer would, for the views that use the package.

``API_ERRORS["FIELD_NAMES"]``: ``"auto"`` (the default: camelCase where the
view's parsers or renderers come from djangorestframework-camel-case),
``"camelCase"`` (always), ``None`` (never), or the dotted path of a
``callable(name: str) -> str``.  The choice is made once per view class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from django_api_errors import conf

__all__ = ["Renamer", "camelize", "for_request", "for_view"]

_PACKAGE = "djangorestframework_camel_case."

# djangorestframework_camel_case.util.camelize_re and underscore_to_camel:
# "home_address" -> "homeAddress", "address_1" -> "address1".  Copied, so the
# "camelCase" style works without the package; a test compares the two.
_CAMEL = re.compile(r"[a-z0-9]?_[a-z0-9]")


def _upper(match: re.Match[str]) -> str:
    group = match.group()
    return group[0] + group[2].upper() if len(group) == 3 else group[1].upper()


def camelize(name: str) -> str:
    """``name`` as djangorestframework-camel-case's renderer writes a key."""
    return _CAMEL.sub(_upper, name) if "_" in name else name


class Renamer:
    """Renames the segments of a field path, honouring the renderer's ignores.

    As in the package's renderer, a key in ``ignore_fields`` is renamed but
    what lies below it is not; a key in ``ignore_keys`` keeps its name while
    what lies below it is renamed.
    """

    __slots__ = ("_rename", "ignore_fields", "ignore_keys")

    def __init__(
        self,
        rename: Callable[[str], str],
        ignore_fields: Collection[str] | None = None,
        ignore_keys: Collection[str] | None = None,
    ) -> None:
        self._rename = rename
        self.ignore_fields = frozenset(ignore_fields or ())
        self.ignore_keys = frozenset(ignore_keys or ())

    def rename(self, key: str) -> tuple[str, Renamer | None]:
        """The client's name for ``key``, and the renamer for what lies below it."""
        new = self._rename(key)
        below = None if key in self.ignore_fields or new in self.ignore_fields else self
        if key in self.ignore_keys or new in self.ignore_keys:
            new = key
        return new, below

    def name(self, key: str) -> str:
        return self.rename(key)[0]


def from_package(cls: Any) -> bool:
    return any(getattr(klass, "__module__", "").startswith(_PACKAGE) for klass in getattr(cls, "__mro__", ()))


def package_options() -> Mapping[str, Any]:
    from djangorestframework_camel_case.settings import api_settings

    return api_settings.JSON_UNDERSCOREIZE  # type: ignore[no-any-return]


def _camel_options(view: Any) -> Mapping[str, Any] | None:
    """The ``JSON_UNDERSCOREIZE`` options of the view's camel-case renderer or
    parser (the renderer's first: it is what DRF's default handler goes
    through), or ``None`` when the view uses neither."""
    if view is None:
        from rest_framework.settings import api_settings

        renderers, parsers = api_settings.DEFAULT_RENDERER_CLASSES, api_settings.DEFAULT_PARSER_CLASSES
    else:
        renderers = getattr(view, "renderer_classes", None) or ()
        parsers = getattr(view, "parser_classes", None) or ()
    for cls in (*renderers, *parsers):
        if from_package(cls):
            # The parsers for forms read the package's settings, not an attribute.
            options = getattr(cls, "json_underscoreize", None)
            return options if isinstance(options, Mapping) else package_options()
    return None


def _query_renamed() -> bool:
    """Whether the package's middleware underscoreizes ``request.GET`` (else query names are the URL's)."""
    from django.conf import settings

    return any(str(path).startswith(_PACKAGE) for path in getattr(settings, "MIDDLEWARE", None) or ())


def _resolve(view: Any, query: bool) -> Renamer | None:
    style = conf.settings.FIELD_NAMES
    if style is None:
        return None
    if style in ("auto", "camelCase"):
        options = _camel_options(view)
        if (options is None and style == "auto") or (query and not _query_renamed()):
            return None
        if options is None:
            try:
                options = package_options()
            except ImportError:
                pass
        options = options or {}
        return Renamer(camelize, options.get("ignore_fields"), options.get("ignore_keys"))
    return None if query else Renamer(import_string(style))


# One answer per view class (None: no DRF view), for body and query paths.
_body: dict[type, Renamer | None] = {}
_query: dict[type, Renamer | None] = {}
_WATCHED = frozenset({"API_ERRORS", "REST_FRAMEWORK", "JSON_CAMEL_CASE", "MIDDLEWARE"})


def _clear_cache(*, setting: str, **kwargs: Any) -> None:
    if setting in _WATCHED:
        _body.clear()
        _query.clear()


setting_changed.connect(_clear_cache)


def for_view(view: Any, query: bool = False) -> Renamer | None:
    """The renamer for errors of ``view`` (``None``: names stay as they are)."""
    cache = _query if query else _body
    try:
        return cache[type(view)]
    except KeyError:
        found = cache[type(view)] = _resolve(view, query)
        return found


def for_request(request: Any, query: bool = False) -> Renamer | None:
    """:func:`for_view` for the DRF view handling ``request``, if any."""
    context = getattr(request, "parser_context", None)
    view = context.get("view") if context else None
    try:  # the cached case inline: this runs on every validation error
        return (_query if query else _body)[type(view)]
    except KeyError:
        return for_view(view, query)
