"""E005: DRF's Token model without ``rest_framework.authtoken``, and the schema without simplejwt
(each in a fresh process: DRF decides when it first imports the model whether it has a table)."""

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


class OwnLookup(TokenAuthentication):
    def get_model(self):
        return "a token model of the project's own"


class Signed(TokenAuthentication):
    def authenticate_credentials(self, key):
        return ("a user read from a signed key", key)


print(sorted(message.id for message in checks.run_checks() if message.id.endswith("E005")))
"""
SCHEMA = """
import sys
sys.modules["rest_framework_simplejwt"] = None  # not installed
import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                    "django_api_errors", *{apps}],
    REST_FRAMEWORK={"DEFAULT_SCHEMA_CLASS": "django_api_errors.openapi.AutoSchema"},
    ROOT_URLCONF=__name__,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
urlpatterns = []
django.setup()
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.response import Response
from rest_framework.views import APIView


class Ping(APIView):
    def get(self, request):
        \"\"\"Pong.\"\"\"
        return Response()


SchemaGenerator(patterns=[path("ping/", Ping.as_view())]).get_schema(request=None, public=True)
print("warnings:", dict(GENERATOR_STATS._warn_cache))
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


@pytest.mark.parametrize("own", ["Own", "OwnLookup", "Signed"])
def test_a_token_model_or_lookup_of_the_projects_own_is_not_e005(own):
    assert _e005(f"__main__.{own}") == "[]"


def test_the_schema_does_not_warn_about_the_jwt_scheme_without_simplejwt():
    # The jwtAuth extension names a class that imports simplejwt: without the
    # extra, drf-spectacular warned on every schema (and --fail-on-warn failed).
    script = SCHEMA.replace("{apps}", repr(["drf_spectacular"]))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "warnings: {}"
