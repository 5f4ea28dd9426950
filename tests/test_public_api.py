"""Every documented import path imports, and its ``__all__`` is what the README lists."""

import importlib
import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _documented() -> dict[str, list[str]]:
    block = re.search(r"<!-- public-api:start -->\n(.*?)<!-- public-api:end -->", README, re.S)
    assert block, "README lost its public-api markers"
    rows = re.findall(r"^\| `(django_api_errors[\w.]*)` \| (.+) \|$", block.group(1), re.M)
    return {module: re.findall(r"`(\w+)`", names) for module, names in rows}


DOCUMENTED = _documented()


def test_the_readme_lists_the_paths_it_promises():
    assert {"django_api_errors.handlers", "django_api_errors.mixins", "django_api_errors.openapi"} <= set(
        DOCUMENTED
    )
    assert len(DOCUMENTED) == 18


@pytest.mark.parametrize("module", sorted(DOCUMENTED))
def test_all_is_exactly_what_the_readme_documents(module):
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == sorted(DOCUMENTED[module])
    for name in imported.__all__:
        assert getattr(imported, name) is not None


def test_each_public_name_is_defined_once():
    # A public path re-exports the wing's object; it does not define another.
    from django_api_errors import mixins, throttling
    from django_api_errors.conditional import mixins as conditional_mixins
    from django_api_errors.throttling import throttles

    assert mixins.ConditionalRequestMixin is conditional_mixins.ConditionalRequestMixin
    assert throttling.UserRateThrottle is throttles.UserRateThrottle


def test_the_core_imports_no_wing():
    package = Path(importlib.import_module("django_api_errors").__file__).parent
    wings = ("conditional", "throttling", "auth", "openapi")
    public_paths = {"mixins.py", "ratelimit.py", "authentication.py", "permissions.py", "decorators.py"}
    for path in package.glob("*.py"):
        if path.name in public_paths:
            continue
        text = path.read_text()
        for wing in wings:
            assert not re.search(rf"^\s*(from|import) django_api_errors\.{wing}\b", text, re.M), (
                path.name,
                wing,
            )
