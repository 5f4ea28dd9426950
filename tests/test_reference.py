import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from django_api_errors import codes, conf

README = Path(__file__).resolve().parent.parent / "README.md"


def _command_output(table: str = "codes") -> str:
    out = StringIO()
    call_command("api_error_reference", table=table, stdout=out)
    return out.getvalue()


def _readme_block(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", README.read_text(), re.S)
    assert match, f"README lost its {name} markers"
    return match.group(1)


def test_readme_table_is_the_generated_reference():
    assert _readme_block("error-reference") == _command_output()


def test_readme_settings_table_is_generated_from_the_declarations():
    assert _readme_block("settings-reference") == _command_output("settings")


def test_settings_table_lists_every_setting_with_its_default():
    output = _command_output("settings")
    for name in conf.SPEC:
        assert f"| `{name}` |" in output
    assert "| `RETRY_AFTER` | `int` | `60` |" in output
    assert "| `ERROR_URI` | `str \\| None` | `None` |" in output


def test_reference_lists_every_code_with_its_status():
    output = _command_output()
    for entry in codes.all_codes().values():
        assert f"| `{entry.code}` | {entry.status} |" in output


def test_reference_includes_registered_codes():
    codes.register("payment_required", 402, "Payment is required.", "Top up.")
    try:
        assert "| `payment_required` | 402 | Payment is required. | Top up. | - |" in _command_output()
    finally:
        codes.unregister("payment_required")


def test_reference_includes_codes_from_settings_with_their_headers():
    from django.test import override_settings

    spec = {"quota_exhausted": {"status": 429, "description": "Quota used up.", "headers": ["Retry-After"]}}
    with override_settings(API_ERRORS={"CODES": spec}):
        assert "| `quota_exhausted` | 429 | Quota used up. | - | `Retry-After` |" in _command_output()
