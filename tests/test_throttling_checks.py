"""System check W004 and validation of the throttling settings."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from django_api_errors.checks import check_settings
from django_api_errors.throttling.checks import check_throttle_caches

THROTTLED = {
    "EXCEPTION_HANDLER": "django_api_errors.handlers.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["django_api_errors.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "10/min", "search": "5/min", "user": "100/day"},
}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def _w004(messages):
    return [m for m in messages if m.id == "django_api_errors.W004"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_unfit_cache_warns_without_debug(backend, tmp_path):
    caches = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    with override_settings(DEBUG=False, CACHES=caches, REST_FRAMEWORK=THROTTLED):
        found = _w004(check_throttle_caches())
    assert found, backend
    assert "django_api_errors.throttling.throttles.AnonRateThrottle" in found[0].msg
    assert backend.rsplit(".", 1)[1] in found[0].msg
    assert "Redis" in found[0].hint


def test_throttles_of_views_are_checked_too():
    # tests.views.ScopedThrottledView throttles with ScopedRateThrottle on locmem.
    with override_settings(DEBUG=False, ROOT_URLCONF="tests.urls_throttled"):
        found = _w004(check_throttle_caches())
    assert any("ScopedRateThrottle" in m.msg for m in found)


def test_no_warning_with_debug_or_redis():
    with override_settings(DEBUG=True, REST_FRAMEWORK=THROTTLED):
        assert check_throttle_caches() == []
    with override_settings(DEBUG=False, CACHES=REDIS, REST_FRAMEWORK=THROTTLED):
        assert _w004(check_throttle_caches()) == []


@pytest.mark.django_db  # Django 6's model checks ask SQLite about JSON support
def test_warning_through_manage_py_check():
    out, err = StringIO(), StringIO()
    with override_settings(DEBUG=False, REST_FRAMEWORK=THROTTLED, SILENCED_SYSTEM_CHECKS=[]):
        call_command("check", stdout=out, stderr=err)
    assert "django_api_errors.W004" in out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    ("key", "value", "valid"),
    [
        ("TRUSTED_PROXIES", 2, True),
        ("TRUSTED_PROXIES", -1, False),
        ("TRUSTED_PROXIES", "1", False),
        ("THROTTLE_FAIL_OPEN", False, True),
        ("THROTTLE_FAIL_OPEN", "no", False),
        ("RATELIMIT_HEADERS", 1, False),
    ],
)
def test_throttling_settings_are_validated(key, value, valid):
    with override_settings(API_ERRORS={key: value}):
        errors = [m for m in check_settings() if m.id == "django_api_errors.E002"]
    assert (errors == []) is valid
