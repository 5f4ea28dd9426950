"""E005: DRF's Token model without ``rest_framework.authtoken`` (checked in a fresh process,
since DRF decides when it first imports the model whether it has a table)."""

import subprocess
import sys

import pytest

SCRIPT = """
import django
from django.conf import settings
from django.core import checks

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "django_api_errors", *{extra!r}],
    REST_FRAMEWORK={{"DEFAULT_AUTHENTICATION_CLASSES": [{auth!r}]}},
    ROOT_URLCONF=__name__,
    DATABASES={{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}}},
)
urlpatterns = []
django.setup()
from rest_framework.authentication import TokenAuthentication


class Own(TokenAuthentication):
    model = "a token model of the project's own"


print(sorted(message.id for message in checks.run_checks() if message.id.endswith("E005")))
"""
EXPIRING = "django_api_errors.authentication.ExpiringTokenAuthentication"


def _e005(auth, extra=()):
    script = SCRIPT.format(auth=auth, extra=list(extra))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize("auth", [EXPIRING, "rest_framework.authentication.TokenAuthentication"])
def test_a_token_authentication_without_authtoken_installed_is_e005(auth):
    # Without the app DRF's Token is abstract: every "Authorization: Token ..." answered 500.
    assert _e005(auth) == "['django_api_errors.E005']"
    assert _e005(auth, ["rest_framework.authtoken"]) == "[]"


def test_a_token_model_of_the_projects_own_is_not_e005():
    assert _e005("__main__.Own") == "[]"
