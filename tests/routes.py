"""The paths a URLconf serves, spelled the way an OpenAPI schema spells them."""

import re

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _openapi(route):
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # regex groups
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path converters
    route = route.replace("^", "").replace("$", "").replace("{pk}", "{id}")  # drf-spectacular's pk -> id
    return "/" + route


def served_paths(urlconf):
    """Every path ``urlconf`` routes, except DRF's format-suffix aliases (``notes.json``)."""
    return {_openapi(route) for route in _walk(get_resolver(urlconf).url_patterns) if "format" not in route}
