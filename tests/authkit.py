"""Helpers shared by the authentication tests."""

import json
import os
from importlib.util import find_spec

import pytest
from django.conf import settings

PASSWORD = "alice-password"


def needs(module):
    """Skip a test module without ``module``, unless in CI, where that is a failure."""
    if find_spec(module) is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{module} is not installed; CI installs the test extra", pytrace=False)
    pytest.skip(f"{module} is not installed", allow_module_level=True)


def log_in(client, username="alice", password=PASSWORD, path="/authn/login/"):
    """A real session login (tests.auth_views.LogIn, or the example's at ``path``); returns the cookie."""
    # Encoded here: DRF's APIClient JSON-encodes a dict for content_type only from 3.16 on.
    credentials = json.dumps({"username": username, "password": password})
    response = client.post(path, credentials, content_type="application/json")
    assert response.status_code == 200, response.content
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert cookie
    return cookie


def assert_cookie_cleared(response):
    morsel = response.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
