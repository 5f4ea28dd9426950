"""Corners of the throttling code that the scenario tests do not reach."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from rest_framework.throttling import BaseThrottle

from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import _redis
from django_api_errors.throttling import throttles as throttling
from django_api_errors.throttling.checks import check_throttle_caches
from django_api_errors.throttling.ratelimit import ratelimit
from tests.servers import redis_server  # noqa: F401 - fixture

rf = RequestFactory()
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class NoCache(BaseThrottle):
    def allow_request(self, request, view):
        return True


def rate_from_setting(group, request):
    return "1/m"


@override_settings(DEBUG=False, CACHES=LOCMEM, ROOT_URLCONF="tests.no_such_module")
def test_w004_with_a_broken_urlconf_still_checks_the_defaults():
    rest = {
        "DEFAULT_THROTTLE_CLASSES": ["django_api_errors.throttling.AnonRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min"},
    }
    with override_settings(REST_FRAMEWORK=rest):
        assert [m.id for m in check_throttle_caches()] == ["django_api_errors.W004"]


@override_settings(DEBUG=False, CACHES=LOCMEM)
def test_w004_ignores_throttles_without_a_cache():
    rest = {"DEFAULT_THROTTLE_CLASSES": ["tests.test_throttling_corners.NoCache"]}
    with override_settings(REST_FRAMEWORK=rest, ROOT_URLCONF="tests.urls_unwired"):
        assert check_throttle_caches() == []


def test_throttle_without_a_rate_allows():
    class Unlimited(throttling.AtomicRateThrottle):
        rate = None

        def get_rate(self):
            return None

        def get_cache_key(self, request, view):  # pragma: no cover - never asked
            raise AssertionError("an unlimited throttle needs no key")

    assert Unlimited().allow_request(rf.get("/"), object()) is True


def test_record_on_a_view_without_headers():
    class View:
        pass

    view = View()
    throttling.record(view, "p", counting.Window(1, 5, 60, 30.0, True))
    assert not hasattr(view, "headers")


def test_ratelimit_rate_as_dotted_path():
    @ratelimit(key="ip", rate="tests.test_throttling_corners.rate_from_setting", group="corners.dotted")
    def view(request):
        return "ok"

    caches["default"].clear()
    assert view(rf.get("/")) == "ok"
    from django_ratelimit.exceptions import Ratelimited

    with pytest.raises(Ratelimited):
        view(rf.get("/"))


def test_django_redis_herd_client_takes_the_generic_path(redis_server):  # noqa: F811
    from django_redis.cache import RedisCache

    cache = RedisCache(redis_server.url, {"OPTIONS": {"CLIENT_CLASS": "django_redis.client.HerdClient"}})
    assert _redis.redis_client(cache) is None and _redis.script(cache) is None


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("1.2.3.4:5555", "1.2.3.4"),
        ("1.2.3.4", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::/64"),
        ("[2001:db8::1]", "2001:db8::/64"),
        ("2001:db8::1", "2001:db8::/64"),
        (" 10.0.0.7:80 ", "10.0.0.7"),
    ],
)
def test_proxy_addresses_lose_their_port_before_keying(address, bucket):
    from django_api_errors.throttling.throttles import normalize_address

    assert normalize_address(address) == bucket
