"""Settings are cached, and the cache follows override_settings."""

from django.test import override_settings

from django_api_errors import conf


def test_cache_follows_override_settings():
    assert conf.settings.PROBLEM_DETAILS is False
    with override_settings(API_ERRORS={"PROBLEM_DETAILS": True, "RETRY_AFTER": 7}):
        assert conf.settings.PROBLEM_DETAILS is True
        assert conf.settings.RETRY_AFTER == 7
    assert conf.settings.PROBLEM_DETAILS is False
    assert conf.settings.RETRY_AFTER == 60


def test_other_settings_leave_the_cache_alone():
    vars(conf.settings)["RETRY_AFTER"] = 5
    try:
        with override_settings(DEBUG=True):
            assert conf.settings.RETRY_AFTER == 5
    finally:
        vars(conf.settings).clear()


def test_the_class_attribute_is_the_declaration():
    assert conf.Settings.RETRY_AFTER is conf.SPEC["RETRY_AFTER"]
    assert conf.Settings.RETRY_AFTER.default == 60


def test_a_value_read_once_is_cached_until_api_errors_changes():
    with override_settings(API_ERRORS={"RETRY_AFTER": 7}):
        assert conf.settings.RETRY_AFTER == 7
        assert vars(conf.settings)["RETRY_AFTER"] == 7
    assert "RETRY_AFTER" not in vars(conf.settings)
    assert conf.settings.RETRY_AFTER == 60


def test_problem_details_setting_is_validated():
    from django_api_errors import checks

    with override_settings(API_ERRORS={"PROBLEM_DETAILS": "yes"}):
        assert [m.id for m in checks.check_settings()] == ["django_api_errors.E002"]
    with override_settings(API_ERRORS={"PROBLEM_DETAILS": True}):
        assert checks.check_settings() == []


def test_a_setting_that_is_not_a_dict_reads_as_empty():
    with override_settings(API_ERRORS=["not", "a", "dict"]):
        assert conf.settings.CODES == {}
        assert conf.settings.REQUEST_ID_HEADER == "X-Request-ID"
