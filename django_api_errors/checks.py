"""System checks: is the app wired in, and is ``API_ERRORS`` valid?"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.urls import URLResolver, get_resolver

from django_api_errors import _naming
from django_api_errors.conf import SPEC

HANDLER = "django_api_errors.handlers.exception_handler"
VIEWS = {
    "handler400": "django_api_errors.views.bad_request",
    "handler403": "django_api_errors.views.permission_denied",
    "handler404": "django_api_errors.views.page_not_found",
    "handler500": "django_api_errors.views.server_error",
}
CSRF_VIEW = "django_api_errors.views.csrf_failure"
MIDDLEWARE = "django_api_errors.middleware.ErrorMiddleware"


def dotted(value: Any) -> str:
    if isinstance(value, str):
        return value
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def view_classes() -> list[type]:
    """The classes of the views the URLconf routes to (DRF's ``cls``, Django's ``view_class``)."""
    try:
        return _view_classes(get_resolver().url_patterns)
    except Exception:  # an included URLconf too: Django's own URL checks report a broken one.
        return []


def _view_classes(patterns: list[Any]) -> list[type]:
    found: list[type] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(_view_classes(entry.url_patterns))
        else:
            view_class = getattr(entry.callback, "cls", None) or getattr(entry.callback, "view_class", None)
            if isinstance(view_class, type):
                found.append(view_class)
    return found


def check_exception_handler(**kwargs: Any) -> list[CheckMessage]:
    configured = getattr(settings, "REST_FRAMEWORK", {}).get("EXCEPTION_HANDLER")
    if configured is not None and dotted(configured) == HANDLER:
        return []
    return [
        Warning(
            "DRF's EXCEPTION_HANDLER is not django-api-errors' handler, so DRF views "
            "answer errors in DRF's own format.",
            hint=f'Set REST_FRAMEWORK["EXCEPTION_HANDLER"] = "{HANDLER}".',
            id="django_api_errors.W001",
        )
    ]


COMMON = "django.middleware.common.CommonMiddleware"
CONDITIONAL_GET = "django.middleware.http.ConditionalGetMiddleware"
REDIRECTS = "django.contrib.redirects.middleware.RedirectFallbackMiddleware"
# Middleware whose error responses ErrorMiddleware documents only from above them.
_BELOW = (
    (
        CONDITIONAL_GET,
        "W009",
        "the 412 it answers has an empty body instead of the documented one, and its 304s carry no "
        "request id",
        "still below GZipMiddleware",
    ),
    (
        REDIRECTS,
        "W010",
        "the 410 it answers for a redirect without a new path has an empty body instead of the "
        "documented one",
        "at the end of MIDDLEWARE, where Django's documentation adds it",
    ),
)


def check_middleware(**kwargs: Any) -> list[CheckMessage]:
    """W005: ErrorMiddleware missing; W006: above CommonMiddleware; W009, W010: see ``_BELOW``."""
    stack = [dotted(entry) for entry in getattr(settings, "MIDDLEWARE", None) or ()]
    if MIDDLEWARE not in stack:
        return [
            Warning(
                "ErrorMiddleware is not in MIDDLEWARE, so plain Django views answer errors "
                "with Django's pages, exceptions of other middleware are not documented, a chunked "
                "request body is ignored, successful responses carry no request id header, and log "
                "records and Sentry events cannot name the request.",
                hint=f'Add "{MIDDLEWARE}" to MIDDLEWARE, after {COMMON}.',
                id="django_api_errors.W005",
            )
        ]
    ours = stack.index(MIDDLEWARE)
    messages: list[CheckMessage] = []
    if COMMON in stack and ours < stack.index(COMMON):
        messages.append(
            Warning(
                "ErrorMiddleware comes before CommonMiddleware, so APPEND_SLASH redirects an "
                "unsafe request without its trailing slash with 301 (clients repeat it as a GET).",
                hint=f"Move {MIDDLEWARE} below {COMMON}.",
                id="django_api_errors.W006",
            )
        )
    for other, number, effect, where in _BELOW:
        if other in stack and stack.index(other) < ours:
            messages.append(
                Warning(
                    f"{other.rsplit('.', 1)[1]} comes before ErrorMiddleware, so {effect}.",
                    hint=f"Move {other} below {MIDDLEWARE} ({where}).",
                    id=f"django_api_errors.{number}",
                )
            )
    return messages


_WRITES = ("post", "put", "patch", "create", "update", "partial_update")


def check_camel_case_names(**kwargs: Any) -> list[CheckMessage]:
    """W011: fields whose camelCase name djangorestframework-camel-case's parser reads as another name.

    Its renderer writes ``address_line1`` as ``addressLine1``, which its parser
    reads as ``address_line_1`` (unless ``no_underscore_before_number``, which
    breaks ``address_line_1`` instead): DRF drops the key, and a client
    sending the name it reads in responses has the value dropped with a 2xx.
    The views' ``serializer_class`` is built here, without a request.
    """
    messages: list[CheckMessage] = []
    for view_class in dict.fromkeys(view_classes()):
        parsers = [
            cls for cls in getattr(view_class, "parser_classes", None) or () if _naming.from_package(cls)
        ]
        serializer_class = getattr(view_class, "serializer_class", None)
        if not parsers or not isinstance(serializer_class, type) or not _writes(view_class):
            continue
        options = getattr(parsers[0], "json_underscoreize", None) or _naming.package_options()
        try:
            lost = _misread(serializer_class(), options, "")
        except Exception:  # a serializer that needs its context: nothing to say
            continue
        if lost:
            messages.append(
                Warning(
                    f"djangorestframework-camel-case's parser reads {', '.join(lost)}, names "
                    f"{serializer_class.__name__} has no field for: a client sending the name the "
                    "responses use has its value dropped with a 2xx.",
                    hint="Rename the field (no digit right after a letter or an underscore), or set "
                    'JSON_CAMEL_CASE["JSON_UNDERSCOREIZE"]["no_underscore_before_number"] to match it.',
                    obj=view_class,
                    id="django_api_errors.W011",
                )
            )
    return messages


def _writes(view_class: type) -> bool:
    return any(hasattr(view_class, name) for name in _WRITES)


def _misread(serializer: Any, options: Mapping[str, Any], path: str, depth: int = 0) -> list[str]:
    """``"sent as read"`` for each writable field, nested ones too, whose name does not survive."""
    from djangorestframework_camel_case.util import camel_to_underscore
    from rest_framework import serializers

    lost: list[str] = []
    kept = set(options.get("ignore_keys") or ())
    for name, field in serializer.fields.items():
        if field.read_only or isinstance(field, serializers.HiddenField):
            continue
        sent = name if name in kept else _naming.camelize(name)
        read = sent if sent in kept else camel_to_underscore(sent, **options)
        if read != name:
            lost.append(f"{path}{sent} as {read}")
        nested = getattr(field, "child", field)
        if (
            isinstance(nested, serializers.BaseSerializer)
            and depth < 4
            and name not in (options.get("ignore_fields") or ())
        ):
            lost.extend(_misread(nested, options, f"{path}{sent}.", depth + 1))
    return lost


def check_error_views(**kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    urlconf_name = getattr(settings, "ROOT_URLCONF", None)
    try:
        urlconf = import_module(urlconf_name) if urlconf_name else None
    except Exception:  # Django's own URL checks report a broken URLconf.
        urlconf = None
    if urlconf is not None:
        for name, expected in VIEWS.items():
            if dotted(getattr(urlconf, name, "")) != expected:
                messages.append(
                    Warning(
                        f"{name} in {urlconf_name} is not django-api-errors' view, so errors "
                        "raised outside DRF views answer with Django's HTML page.",
                        hint=f'Add {name} = "{expected}" to {urlconf_name}.',
                        id="django_api_errors.W002",
                    )
                )
    if dotted(getattr(settings, "CSRF_FAILURE_VIEW", "")) != CSRF_VIEW:
        messages.append(
            Warning(
                "CSRF_FAILURE_VIEW is not django-api-errors' view, so CSRF failures "
                "answer with Django's HTML page.",
                hint=f'Set CSRF_FAILURE_VIEW = "{CSRF_VIEW}".',
                id="django_api_errors.W003",
            )
        )
    return messages


def check_settings(**kwargs: Any) -> list[CheckMessage]:
    user = getattr(settings, "API_ERRORS", {})
    if not isinstance(user, Mapping):
        return [
            Error(
                "API_ERRORS must be a dict.",
                hint="Write API_ERRORS = {...} with the keys listed in the README.",
                id="django_api_errors.E004",
            )
        ]
    messages: list[CheckMessage] = []
    for key, value in user.items():
        if key not in SPEC:
            messages.append(
                Error(
                    f"API_ERRORS has an unknown key {key!r}.",
                    hint="Valid keys: " + ", ".join(sorted(SPEC)) + ".",
                    id="django_api_errors.E001",
                )
            )
        elif not SPEC[key].valid(value):
            messages.append(
                Error(
                    f'API_ERRORS["{key}"] has an invalid value.',
                    hint=SPEC[key].hint(),
                    id="django_api_errors.E002",
                )
            )
    codes = user.get("CODES")
    for code, spec in codes.items() if isinstance(codes, Mapping) else ():
        status = spec.get("status") if isinstance(spec, Mapping) else None
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            messages.append(
                Error(
                    f'API_ERRORS["CODES"][{code!r}] needs a "status" between 400 and 599.',
                    hint='Write it as {"status": 402, "description": "..."}.',
                    id="django_api_errors.E003",
                )
            )
    return messages
