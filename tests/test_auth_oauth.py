"""django-oauth-toolkit through django_api_errors.auth.contrib.oauth2, with real access tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.authkit import PASSWORD, needs
from tests.conftest import assert_error

needs("oauth2_provider")

from oauth2_provider.models import get_access_token_model, get_application_model  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def issue(alice):
    """Stores an access token the way the toolkit's token endpoint does."""
    application = get_application_model().objects.create(
        name="notes-app",
        user=alice,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://client.example/callback",
    )

    def issue(value, scope="notes:read", expires_in=timedelta(hours=1)):
        return get_access_token_model().objects.create(
            user=alice, application=application, token=value, scope=scope, expires=timezone.now() + expires_in
        )

    return issue


def call(path, token=None, method="get"):
    client = APIClient(raise_request_exception=False)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return getattr(client, method)(path)


def test_valid_token(issue):
    issue("tok-read")
    response = call("/authn/oauth/read/", "tok-read")
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


def test_expired_token_is_session_expired(issue):
    issue("tok-old", expires_in=-timedelta(seconds=1))
    response = call("/authn/oauth/read/", "tok-old")
    body = assert_error(response, 401, "session_expired", headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"].startswith('Bearer realm="api",error="invalid_token"')
    assert body["error_description"] == "The token has expired."


@pytest.mark.parametrize("token", ["no-such-token", "tok-revoked"])
def test_unknown_or_revoked_token(issue, token):
    issue("tok-revoked").delete()
    response = call("/authn/oauth/read/", token)
    assert_error(response, 401, "unauthorized_client", headers=("WWW-Authenticate",))
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_token_that_is_not_ascii(issue):
    response = call("/authn/oauth/read/", "t\u00f6ken")
    assert_error(response, 401, "unauthorized_client")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_missing_token_gets_a_bare_challenge():
    response = call("/authn/oauth/read/")
    assert_error(response, 401, "unauthorized_client")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_missing_scope_is_insufficient_scope(issue):
    issue("tok-read", scope="notes:read")
    response = call("/authn/oauth/write/", "tok-read")
    body = assert_error(response, 403, "insufficient_scope", headers=("WWW-Authenticate",))
    assert body["scope"] == "notes:write notes:read"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:write notes:read"'


def test_every_scope_present(issue):
    issue("tok-both", scope="notes:read notes:write")
    assert call("/authn/oauth/write/", "tok-both").status_code == 200


def test_read_write_scope(issue):
    issue("tok-r", scope="read")
    assert call("/authn/oauth/read-write/", "tok-r").status_code == 200
    response = call("/authn/oauth/read-write/", "tok-r", method="post")
    body = assert_error(response, 403, "insufficient_scope")
    assert body["scope"] == "write"


def test_toolkit_own_permission_with_required_scopes_in_its_error(issue, settings):
    # With ERROR_RESPONSE_WITH_SCOPES the toolkit names the scopes; the handler reads them.
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ERROR_RESPONSE_WITH_SCOPES": True}
    issue("tok-read")
    response = call("/authn/oauth/stock-scope/", "tok-read")
    body = assert_error(response, 403, "insufficient_scope")
    assert body["scope"] == "notes:write"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:write"'


def test_toolkit_own_permission_without_scopes_in_its_error(issue):
    issue("tok-read")
    assert_error(call("/authn/oauth/stock-scope/", "tok-read"), 403, "access_denied")


def test_has_scope_reads_the_toolkit_token(issue):
    issue("tok-read")
    body = assert_error(call("/authn/oauth/has-scope/", "tok-read"), 403, "insufficient_scope")
    assert body["scope"] == "notes:write"
    issue("tok-write", scope="notes:write")
    assert call("/authn/oauth/has-scope/", "tok-write").status_code == 200


def test_scope_mixin_refuses_for_other_reasons_without_naming_scopes():
    from rest_framework.permissions import BasePermission
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from django_api_errors.auth.contrib.oauth2 import InsufficientScopeMixin

    class Closed(BasePermission):
        def has_permission(self, request, view):
            return False

    class ClosedWithScopes(InsufficientScopeMixin, Closed):
        def get_scopes(self, request, view):
            return ["notes:read"]

    class LiveToken:
        def is_expired(self):
            return False

        def allow_scopes(self, scopes):
            return True

    request = APIRequestFactory().get("/")
    force_authenticate(request, user=object(), token=LiveToken())
    request = APIView().initialize_request(request)
    assert ClosedWithScopes().has_permission(request, None) is False


def test_the_private_token_lookup_the_adapter_uses_still_exists():
    from oauth2_provider.oauth2_validators import OAuth2Validator

    assert hasattr(OAuth2Validator, "_load_access_token"), (
        "django-oauth-toolkit no longer has OAuth2Validator._load_access_token; "
        "django_api_errors.auth.contrib.oauth2.stored_token now uses its public fallback"
    )


def test_stored_token_has_a_public_fallback_for_the_private_lookup(issue, monkeypatch):
    from oauth2_provider.oauth2_validators import OAuth2Validator
    from oauth2_provider.settings import oauth2_settings
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from django_api_errors.auth.contrib.oauth2 import stored_token

    class WithoutPrivateLookup(OAuth2Validator):
        @property
        def _load_access_token(self):
            raise AttributeError("_load_access_token")

    monkeypatch.setattr(oauth2_settings, "OAUTH2_VALIDATOR_CLASS", WithoutPrivateLookup)
    stored = issue("tok-old-2", expires_in=-timedelta(seconds=1))

    def lookup(token):
        return stored_token(Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {token}")))

    assert lookup("tok-old-2") == stored
    assert lookup("tok-unknown") is None


def test_the_schema_documents_what_the_toolkits_classes_answer():
    # A generated client met session_expired (401) and insufficient_scope (403,
    # TokenHasReadWriteScope, whose scopes come from settings) the schema did not
    # name; and the app's OAuth2Authentication had no security scheme.
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from django_api_errors.contrib.oauth2 import OAuth2Authentication, TokenHasReadWriteScope
    from tests.schema_helpers import error_codes, schema_for

    class ReadWrite(APIView):
        authentication_classes = [OAuth2Authentication]
        permission_classes = [TokenHasReadWriteScope]

        def post(self, request):
            return Response({})

    schema = schema_for(("rw/", ReadWrite.as_view()))
    operation = schema["paths"]["/rw/"]["post"]
    assert error_codes(schema, operation["responses"]["401"]) == ["unauthorized_client", "session_expired"]
    assert "insufficient_scope" in error_codes(schema, operation["responses"]["403"])
    assert schema["components"]["securitySchemes"]["oauth2"]["type"] == "oauth2"
    assert any("oauth2" in requirement for requirement in operation["security"])
