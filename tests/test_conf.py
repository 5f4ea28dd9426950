"""``API_ERRORS`` is looked up once and forgotten when ``setting_changed`` names it."""

from django.test import override_settings

from django_api_errors import conf


def test_override_settings_is_seen_and_undone():
    assert conf.settings.RETRY_AFTER == 60
    with override_settings(API_ERRORS={"RETRY_AFTER": 5}):
        assert conf.settings.RETRY_AFTER == 5
    assert conf.settings.RETRY_AFTER == 60


def test_the_lookup_is_cached_until_api_errors_changes():
    conf.settings.reload()
    first = conf.settings.user
    with override_settings(DEBUG=True):
        assert conf.settings.user is first
    with override_settings(API_ERRORS={"RETRY_AFTER": 5}):
        assert conf.settings.user is not first


def test_a_setting_that_is_not_a_dict_reads_as_empty():
    with override_settings(API_ERRORS=["not", "a", "dict"]):
        assert conf.settings.user == {}
        assert conf.settings.REQUEST_ID_HEADER == "X-Request-ID"
