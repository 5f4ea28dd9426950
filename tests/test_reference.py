import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from django_api_errors import codes

README = Path(__file__).resolve().parent.parent / "README.md"


def _command_output() -> str:
    out = StringIO()
    call_command("api_error_reference", stdout=out)
    return out.getvalue()


def test_readme_table_is_the_generated_reference():
    match = re.search(
        r"<!-- error-reference:start -->\n(.*?)<!-- error-reference:end -->", README.read_text(), re.S
    )
    assert match, "README lost its error-reference markers"
    assert match.group(1) == _command_output()


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
