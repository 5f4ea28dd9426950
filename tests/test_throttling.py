"""The app's throttles: exact counts, Retry-After, RateLimit headers, client identity."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from hypothesis import given
from hypothesis import strategies as st
from rest_framework import throttling as drf

from django_api_errors.throttling import _counting as counting
from django_api_errors.throttling import throttles as throttling
from tests.conftest import assert_error
from tests.servers import free_port
from tests.throttle_helpers import CLOCK, Clock, Frozen, parse_list, race

pytestmark = [pytest.mark.urls("tests.throttle_helpers"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    CLOCK.now = 1000.5
    yield
    cache.clear()


class Slow(throttling.AnonRateThrottle):
    rate = "10/min"
    timer = Clock(5000.0, delay=0.02)


class ReadThenWrite(drf.BaseThrottle):
    """A counter that reads, waits for the slowed timer, then writes: what the app must not be."""

    timer = Clock(5000.0, delay=0.02)

    def allow_request(self, request, view):
        count = cache.get("read-then-write", 0)
        self.timer()
        cache.set("read-then-write", count + 1)
        return count < 10


def test_concurrent_burst_gets_exactly_the_limit():
    # The slowed timer widens the gap between reading and writing the count.
    assert race(Slow) == 10


def test_the_race_harness_catches_a_read_then_write_counter():
    # Without this, "exactly the limit" above could mean the threads never overlapped.
    assert race(ReadThenWrite) > 10


def test_window_arithmetic():
    window = counting.Window(count=4, limit=3, duration=60, reset=19.5, allowed=False)
    assert (window.remaining, window.wait) == (0, 20)
    assert counting.Window(1, 3, 60, 0.01, True).wait == 1
    assert counting.Window(1, 3, 60, 60.0, True).wait == 60
    assert counting.Window(1, 3, 60, 60.000001, True).wait == 61
    keys, index, width = counting.bucket_keys("k", 60_000_000, 1_000_500_000)
    assert (index, width) == (166, 6_000_000)
    assert keys[0] == "k:60000000/10:156" and keys[-1] == "k:60000000/10:166" and len(keys) == 11


# The test cache is local memory: buckets of 6 s for a minute.  1000.5 s falls
# in bucket [996, 1002), counted until the bucket [1062, 1068) begins.
def test_retry_after_from_frozen_clock(client):
    for _ in range(3):
        assert client.get("/hello/").status_code == 200
    response = client.get("/hello/")
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert response["Retry-After"] == "62"
    assert body["retry_after"] == 62
    CLOCK.now = 1000.5 + 61  # too early
    assert client.get("/hello/")["Retry-After"] == "1"
    CLOCK.now = 1000.5 + 62
    assert client.get("/hello/").status_code == 200


def test_retry_after_just_before_release_is_at_least_one(client):
    for _ in range(3):
        client.get("/hello/")
    CLOCK.now = 1061.999
    response = client.get("/hello/")
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    CLOCK.now = 1062.0  # the bucket of the three requests leaves
    assert client.get("/hello/").status_code == 200


def test_lowered_rate_still_answers_the_window(client, monkeypatch):
    monkeypatch.setattr(Frozen, "rate", "10/min")
    for _ in range(5):
        assert client.get("/hello/").status_code == 200
    monkeypatch.setattr(Frozen, "rate", "2/min")
    response = client.get("/hello/")
    assert_error(response, 429, "usage_limit_exceeded")
    assert response["Retry-After"] == "62"  # when 4 of the 5 have left


def test_lowered_rate_of_drf_stock_throttle_still_answers_retry_after(client, monkeypatch, settings):
    # DRF's wait() may have no answer when the history outgrew a lowered rate
    # (it returns None in DRF 3.18); the answer has a Retry-After either way.
    settings.API_ERRORS = {"RETRY_AFTER": 42}
    from tests.throttle_helpers import StockLowered

    monkeypatch.setattr(StockLowered, "rate", "5/min")
    for _ in range(4):
        assert client.get("/stock/").status_code == 200
    monkeypatch.setattr(StockLowered, "rate", "2/min")
    response = client.get("/stock/")
    body = assert_error(response, 429, "usage_limit_exceeded", headers=("Retry-After",))
    assert int(response["Retry-After"]) == body["retry_after"] >= 1


def test_throttle_without_a_wait_gets_the_retry_after_setting(client, settings):
    settings.API_ERRORS = {"RETRY_AFTER": 42}
    for _ in range(3):
        assert client.get("/no-wait/").status_code == 200
    response = client.get("/no-wait/")
    body = assert_error(response, 429, "usage_limit_exceeded")
    assert response["Retry-After"] == "42" and body["retry_after"] == 42


def test_burst_and_sustained_larger_wait_wins(client):
    # 36100 s: the minute's 6 s bucket is counted until 36162, the hour's 360 s one until 39960.
    CLOCK.now = 36100.0
    assert client.get("/burst/").status_code == 200
    assert client.get("/burst/").status_code == 200
    only_burst = client.get("/burst/")  # the sustained throttle counts it: it passed there
    assert only_burst.status_code == 429 and only_burst["Retry-After"] == "62"
    # The policy that let it through is left out of RateLimit: its effective window
    # ends after Retry-After.  RateLimit-Policy still names both.
    assert parse_list(only_burst["RateLimit"]) == {"burst": {"a": 0, "w": 62}}
    assert set(parse_list(only_burst["RateLimit-Policy"])) == {"burst", "sustained"}
    both = client.get("/burst/")
    assert_error(both, 429, "usage_limit_exceeded")
    assert both["Retry-After"] == "3860"
    assert parse_list(both["RateLimit"]) == {"burst": {"a": 0, "w": 62}, "sustained": {"a": 0, "w": 3860}}


def test_ratelimit_headers_are_structured_fields(client):
    ok = client.get("/hello/")
    assert parse_list(ok["RateLimit-Policy"]) == {"anon": {"q": 3, "w": 60}}
    assert parse_list(ok["RateLimit"]) == {"anon": {"a": 2, "w": 62}}
    client.get("/hello/")
    client.get("/hello/")
    refused = client.get("/hello/")
    assert refused.status_code == 429
    assert parse_list(refused["RateLimit-Policy"]) == {"anon": {"q": 3, "w": 60}}
    assert parse_list(refused["RateLimit"]) == {"anon": {"a": 0, "w": 62}}


def test_ratelimit_headers_switch_off(client, settings):
    settings.API_ERRORS = {"RATELIMIT_HEADERS": False}
    response = client.get("/hello/")
    assert response.status_code == 200
    assert not response.has_header("RateLimit") and not response.has_header("RateLimit-Policy")


def test_sf_string_escapes():
    assert throttling.sf_string('a"b\\c\u00e9') == '"a\\"b\\\\c?"'
    assert parse_list(
        throttling.ratelimit_headers({'we"ird': counting.Window(1, 2, 3, 1, True)})["RateLimit"]
    ) == {'we"ird': {"a": 1, "w": 1}}


def test_rotating_forwarded_for_gets_no_new_bucket(client):
    for n in range(3):
        assert client.get("/hello/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 200
    assert client.get("/hello/", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.1.1.1"),
        (1, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (2, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.9"}, "1.2.3.4"),
        (2, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.1.1.1"),
        (0, {"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"}, "2001:db8:1:2::/64"),
        (0, {"REMOTE_ADDR": "::ffff:192.0.2.1"}, "192.0.2.1"),
        (0, {"REMOTE_ADDR": ""}, "unknown"),
    ],
)
def test_client_address(settings, rf, proxies, meta, expected):
    settings.API_ERRORS = {"TRUSTED_PROXIES": proxies}
    request = rf.get("/", **meta)
    assert throttling.client_address(request) == expected


def test_trusted_proxy_rotation_on_the_left_is_ignored(client, settings):
    settings.API_ERRORS = {"TRUSTED_PROXIES": 1}
    for n in range(3):
        assert client.get("/hello/", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 198.51.100.7").status_code == 200
    assert client.get("/hello/", HTTP_X_FORWARDED_FOR="9.9.9.99, 198.51.100.7").status_code == 429
    assert client.get("/hello/", HTTP_X_FORWARDED_FOR="9.9.9.99, 198.51.100.8").status_code == 200


def test_ipv6_addresses_in_one_64_share_a_bucket(client):
    for host in ("1", "2", "ffff:1"):
        assert client.get("/hello/", REMOTE_ADDR=f"2001:db8:0:7::{host}").status_code == 200
    assert client.get("/hello/", REMOTE_ADDR="2001:db8:0:7:dead::9").status_code == 429
    assert client.get("/hello/", REMOTE_ADDR="2001:db8:0:8::1").status_code == 200


class Unreachable(Frozen):
    # Nothing listens on this port: every cache call fails at once.
    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})


@pytest.mark.parametrize("fail_open", [True, False])
def test_unreachable_cache_fails_as_configured(rf, settings, fail_open):
    settings.API_ERRORS = {"THROTTLE_FAIL_OPEN": fail_open, "RETRY_AFTER": 7}
    throttle = Unreachable()
    request = rf.get("/")
    request.user = None
    assert throttle.allow_request(request, None) is fail_open
    assert throttle.wait() == 7.0


def test_unthrottled_requests_touch_no_counter(rf):
    class Scoped(throttling.ScopedRateThrottle):
        timer = CLOCK

    class View:
        throttle_scope = None

    request = rf.get("/")
    request.user = type("User", (), {"is_authenticated": True, "pk": 7})()
    assert Scoped().allow_request(request, View()) is True  # the view has no scope
    assert Frozen().allow_request(request, View()) is True  # anon throttle, signed-in user
    keys, _, _ = counting.bucket_keys("throttle_anon_127.0.0.1", 60_000_000, int(CLOCK.now * 1e6))
    assert cache.get_many(keys) == {}


def test_user_throttle_keys_on_the_user(rf):
    class PerUser(throttling.UserRateThrottle):
        rate = "1/min"
        timer = CLOCK

    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    request.user = type("User", (), {"is_authenticated": True, "pk": 7})()
    assert PerUser().allow_request(request, None) is True
    other_address = rf.get("/", REMOTE_ADDR="192.0.2.2")
    other_address.user = request.user
    assert PerUser().allow_request(other_address, None) is False


@given(
    now_us=st.integers(min_value=0, max_value=4 * 10**15), duration=st.sampled_from([1, 7, 60, 3600, 86400])
)
def test_buckets_cover_the_period_and_each_moment_falls_in_one(now_us, duration):
    keys, index, width = counting.bucket_keys("k", duration * 1_000_000, now_us)
    assert index * width <= now_us < (index + 1) * width
    # The buckets before the current one reach back a whole period.
    assert (index - counting.BUCKETS) * width <= now_us - duration * 1_000_000
    assert len(set(keys)) == counting.BUCKETS + 1
