"""System checks for wiring and settings."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from django_api_errors import checks

# Django 6 runs database checks too (JSONField support on SQLite).
pytestmark = pytest.mark.django_db


def ids(messages):
    return [m.id for m in messages]


def test_configured_project_passes():
    assert checks.check_exception_handler() == []
    assert checks.check_error_views() == []
    assert checks.check_middleware() == []
    assert checks.check_settings() == []
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.parametrize("handler", [None, "rest_framework.views.exception_handler"])
def test_w001_exception_handler(handler):
    rest = {} if handler is None else {"EXCEPTION_HANDLER": handler}
    with override_settings(REST_FRAMEWORK=rest):
        messages = checks.check_exception_handler()
        assert ids(messages) == ["django_api_errors.W001"]
        assert "EXCEPTION_HANDLER" in messages[0].hint
        out = StringIO()
        call_command("check", stdout=out, stderr=out)
        assert "django_api_errors.W001" in out.getvalue()


def test_w001_accepts_the_callable():
    from django_api_errors.handlers import exception_handler

    with override_settings(REST_FRAMEWORK={"EXCEPTION_HANDLER": exception_handler}):
        assert checks.check_exception_handler() == []


@override_settings(ROOT_URLCONF="tests.urls_unwired", CSRF_FAILURE_VIEW="django.views.csrf.csrf_failure")
def test_w002_w003_unwired_views():
    messages = checks.check_error_views()
    assert ids(messages) == ["django_api_errors.W002"] * 3 + ["django_api_errors.W003"]
    assert all(m.hint for m in messages)


def test_w005_middleware_missing():
    from django.conf import settings

    without = [entry for entry in settings.MIDDLEWARE if entry != checks.MIDDLEWARE]
    assert len(without) == len(settings.MIDDLEWARE) - 1
    with override_settings(MIDDLEWARE=without):
        messages = checks.check_middleware()
        assert ids(messages) == ["django_api_errors.W005"]
        assert checks.MIDDLEWARE in messages[0].hint
        out = StringIO()
        call_command("check", stdout=out, stderr=out)
        assert "django_api_errors.W005" in out.getvalue()


@override_settings(ROOT_URLCONF="tests.no_such_module")
def test_broken_urlconf_is_left_to_django():
    assert ids(checks.check_error_views()) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"NOPE": 1}, ["django_api_errors.E001"]),
        ({"ERROR_URI": 5}, ["django_api_errors.E002"]),
        ({"DEBUG_TRACEBACK": "yes"}, ["django_api_errors.E002"]),
        ({"RETRY_AFTER": 0}, ["django_api_errors.E002"]),
        ({"RETRY_AFTER": True}, ["django_api_errors.E002"]),
        ({"HTML_PATH_PREFIXES": "/site/"}, ["django_api_errors.E002"]),
        ("not a dict", ["django_api_errors.E004"]),
        ({"CODES": {"teapot": {"status": 200}}}, ["django_api_errors.E003"]),
        ({"CODES": {"teapot": 418}}, ["django_api_errors.E003"]),
        ({"CODES": {"teapot": {"status": 418}}, "RETRY_AFTER": 5}, []),
    ],
)
def test_settings_validation(value, expected):
    with override_settings(API_ERRORS=value):
        messages = checks.check_settings()
        assert ids(messages) == expected
        if expected:
            assert all(m.hint for m in messages)
            with pytest.raises(SystemCheckError):
                call_command("check", stdout=StringIO(), stderr=StringIO())


def test_missing_error_middleware_is_w005():
    from django_api_errors.checks import check_middleware

    stack = ["django.middleware.common.CommonMiddleware"]
    with override_settings(MIDDLEWARE=stack):
        assert [m.id for m in check_middleware()] == ["django_api_errors.W005"]
        found = [m for m in _run_check() if m.id == "django_api_errors.W005"]
        assert len(found) == 1 and "CommonMiddleware" in found[0].hint
        out = StringIO()
        call_command("check", stdout=out, stderr=out)
        assert "django_api_errors.W005" in out.getvalue()


def test_error_middleware_before_common_middleware_is_w006():
    from django_api_errors.checks import check_middleware

    ours, common = "django_api_errors.middleware.ErrorMiddleware", "django.middleware.common.CommonMiddleware"
    with override_settings(MIDDLEWARE=[ours, common]):
        assert [m.id for m in check_middleware()] == ["django_api_errors.W006"]
    with override_settings(MIDDLEWARE=[common, ours]):
        assert check_middleware() == []
    with override_settings(MIDDLEWARE=[ours]):  # no CommonMiddleware, no redirects to fix
        assert check_middleware() == []
    conditional = "django.middleware.http.ConditionalGetMiddleware"
    with override_settings(MIDDLEWARE=[conditional, ours, common]):
        assert [m.id for m in check_middleware()] == ["django_api_errors.W006", "django_api_errors.W009"]
    redirects = "django.contrib.redirects.middleware.RedirectFallbackMiddleware"
    with override_settings(MIDDLEWARE=[conditional, redirects, ours, common]):
        assert [m.id for m in check_middleware()] == [
            "django_api_errors.W006",
            "django_api_errors.W009",
            "django_api_errors.W010",
        ]
    with override_settings(MIDDLEWARE=[common, ours, conditional, redirects]):
        assert check_middleware() == []


def _run_check():
    from django.core.checks import run_checks

    return run_checks()


def test_a_broken_included_urlconf_is_left_to_djangos_own_checks(settings, tmp_path, monkeypatch):
    # The app's URL walks must not crash `manage.py check` where Django reports the URLconf itself.
    (tmp_path / "broken_included.py").write_text("raise ImportError('no such module')\n")
    (tmp_path / "broken_root.py").write_text(  # a resolver that imports its module when first walked
        "from django.urls.resolvers import RoutePattern, URLResolver\n"
        "urlpatterns = [URLResolver(RoutePattern('x/'), 'broken_included')]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.ROOT_URLCONF = "broken_root"
    assert checks.view_classes() == []


def _camel_view(*names, base=None, writes=True, **options):
    from djangorestframework_camel_case.parser import CamelCaseJSONParser

    if options:  # as a subclass sets them; the package reads its own settings once
        CamelCaseJSONParser = type("Parser", (CamelCaseJSONParser,), {"json_underscoreize": options})  # noqa: N806
    from rest_framework import serializers
    from rest_framework.views import APIView

    fields = {name: serializers.CharField() for name in names}
    serializer = type(
        "AddressSerializer",
        (serializers.Serializer,),
        {**fields, "id": serializers.IntegerField(read_only=True)},
    )
    attrs = {"parser_classes": [CamelCaseJSONParser], "serializer_class": serializer}
    if writes:
        attrs["post"] = lambda self, request: None
    return type("AddressView", (base or APIView,), attrs)


def _w011(monkeypatch, view):
    monkeypatch.setattr(checks, "view_classes", lambda: [view])
    return [message for message in checks.check_camel_case_names() if message.id == "django_api_errors.W011"]


def test_a_field_the_camel_case_parser_reads_as_another_name_is_w011(monkeypatch):
    # The renderer writes address_line1 as addressLine1, the parser reads that
    # back as address_line_1: DRF dropped the value with a 2xx.
    (message,) = _w011(monkeypatch, _camel_view("address_line1", "home_address"))
    assert "addressLine1 as address_line_1" in message.msg and "homeAddress" not in message.msg
    # With no_underscore_before_number the digit name passes, and address_line_1 breaks instead.
    assert _w011(monkeypatch, _camel_view("address_line1", no_underscore_before_number=True)) == []
    (message,) = _w011(monkeypatch, _camel_view("address_line_1", no_underscore_before_number=True))
    assert "addressLine1 as address_line1" in message.msg


def test_views_without_the_camel_case_parser_are_not_w011(monkeypatch):
    view = _camel_view("address_line1")
    view.parser_classes = []
    assert _w011(monkeypatch, view) == []


def test_w011_looks_into_nested_serializers_and_skips_what_no_client_sends(monkeypatch):
    from rest_framework import generics, serializers

    class Address(serializers.Serializer):
        address_line1 = serializers.CharField()

    view = _camel_view("street")
    view.serializer_class = type(
        "Customer",
        (serializers.Serializer,),
        {
            "home": Address(),
            "previous": Address(many=True),
            "owner2": serializers.HiddenField(default="x"),  # never sent by a client
            "phone2": serializers.CharField(read_only=True),
        },
    )
    (message,) = _w011(monkeypatch, view)
    assert "home.addressLine1 as address_line_1" in message.msg
    assert "previous.addressLine1 as address_line_1" in message.msg
    assert "owner2" not in message.msg and "phone2" not in message.msg
    # A view that takes no body, and a name the package is told to keep, are not warned about.
    assert _w011(monkeypatch, _camel_view("address_line1", base=generics.ListAPIView, writes=False)) == []
    assert _w011(monkeypatch, _camel_view("address_line1", ignore_keys=("address_line1",))) == []


def test_w011_names_a_view_once_whatever_its_routes(monkeypatch):
    view = _camel_view("address_line1")
    monkeypatch.setattr(checks, "view_classes", lambda: [view, view, view])
    assert len(checks.check_camel_case_names()) == 1
