"""Fixtures of the example's tests; the assertions and servers are the library tests' own."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

# The shared fixtures, the Hypothesis profile and the leak scan at the end of the run.
from tests.conftest import _isolated_global_state, api_client, client, pytest_sessionfinish  # noqa: F401
from tests.servers import postgres_server  # noqa: F401

if settings.SETTINGS_MODULE != "example_project.tests.settings":
    raise pytest.UsageError(
        "the example's tests run on their own settings: "
        "pytest --ds=example_project.tests.settings example_project/tests"
    )


@pytest.fixture
def alice(db):
    """A client of the seeded example API, holding alice's token with every scope."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=None)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION="Bearer alice-full")
    return api
