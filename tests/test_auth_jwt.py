"""djangorestframework-simplejwt through django_api_errors.auth.contrib.simplejwt, with real tokens."""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from django_api_errors.exceptions import UnauthorizedClient
from tests.authkit import PASSWORD, needs
from tests.conftest import assert_error

needs("rest_framework_simplejwt")

import jwt  # noqa: E402
from rest_framework_simplejwt.settings import api_settings  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken, SlidingToken  # noqa: E402

from django_api_errors.auth.contrib.simplejwt import JWTAuthentication  # noqa: E402

pytestmark = pytest.mark.django_db

INVALID = 'Bearer realm="api", error="invalid_token"'


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)


def call(token, path="/authn/jwt/", method="get"):
    client = APIClient(raise_request_exception=False)
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return getattr(client, method)(path)


def expired_token(user, token_class=AccessToken):
    """A real token, minted one lifetime and a minute ago."""
    with freeze_time(timezone.now() - token_class.lifetime - timedelta(minutes=1)):
        return str(token_class.for_user(user))


def assert_refused(response, code="unauthorized_client"):
    body = assert_error(response, 401, code, headers=("WWW-Authenticate",))
    assert response["WWW-Authenticate"] == INVALID
    return body


def test_access_token_accepted(alice):
    response = call(AccessToken.for_user(alice))
    assert response.status_code == 200
    assert response.json() == {"user": "alice"}


def test_expired_access_token_is_session_expired(alice):
    body = assert_refused(call(expired_token(alice)), "session_expired")
    assert body["error_description"] == "The token has expired."


def test_expired_stateless_token_is_session_expired(alice):
    assert_refused(call(expired_token(alice), "/authn/jwt-stateless/"), "session_expired")
    # The claim is a string from simplejwt 5.5.1 on, the user's int id before.
    user = call(AccessToken.for_user(alice), "/authn/jwt-stateless/").json()
    assert list(user) == ["user_id"] and str(user["user_id"]) == str(alice.pk)


def test_tampered_payload(alice, django_user_model):
    bob = django_user_model.objects.create_user("bob")
    header, payload, signature = str(AccessToken.for_user(alice)).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims[api_settings.USER_ID_CLAIM] = str(bob.pk)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert_refused(call(f"{header}.{forged}.{signature}"))


def test_expired_and_tampered_is_not_session_expired(alice):
    # The signature is checked before the expiry: a forged token never "expires".
    header, payload, signature = expired_token(alice).split(".")
    assert_refused(call(f"{header}.{payload}.{signature[:-4]}AAAA"))


def test_wrongly_signed(alice):
    claims = dict(AccessToken.for_user(alice).payload)
    assert_refused(
        call(jwt.encode(claims, "not-the-signing-key-but-long-enough-for-hs256", algorithm="HS256"))
    )


@pytest.mark.parametrize("raw", ["not-a-jwt", "a.b.c", "e30.e30.e30"])
def test_malformed(alice, raw):
    assert_refused(call(raw))


def test_blacklisted_token(alice):
    token = SlidingToken.for_user(alice)
    assert call(token).status_code == 200
    token.blacklist()
    assert_refused(call(token))


def test_token_of_deleted_user(alice):
    token = AccessToken.for_user(alice)
    alice.delete()
    assert_refused(call(token))


def test_header_with_two_values(alice):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION="Bearer a b")
    assert_refused(client.get("/authn/jwt/"))


def test_no_token_gets_a_bare_challenge():
    response = call(None)
    assert_error(response, 401, "unauthorized_client")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_scope_claim_is_checked(alice):
    token = AccessToken.for_user(alice)
    token["scope"] = "notes:read"
    response = call(token, method="post")
    body = assert_error(response, 403, "insufficient_scope", headers=("WWW-Authenticate",))
    assert body["scope"] == "notes:write"
    assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="notes:write"'
    token["scope"] = "notes:read notes:write"
    assert call(token, method="post").status_code == 200


def test_scopes_by_method_grant_no_write_they_leave_out(alice):
    # {"GET": read, "POST": write, "DELETE": delete}: a read-only token's PUT
    # and PATCH went through with 200, as if they needed no scope.
    token = AccessToken.for_user(alice)
    token["scope"] = "notes:read"
    assert call(token, "/authn/jwt-scoped/").status_code == 200
    assert call(token, "/authn/jwt-scoped/", "head").status_code == 200
    for method in ("put", "patch"):
        body = assert_error(call(token, "/authn/jwt-scoped/", method), 403, "access_denied")
        assert body["error_description"] == "No scope grants this method on this resource."
    assert (
        assert_error(call(token, "/authn/jwt-scoped/", "post"), 403, "insufficient_scope")["scope"]
        == "notes:write"
    )
    token["scope"] = "notes:delete"
    assert call(token, "/authn/jwt-scoped/", "delete").status_code == 200
    # A HEAD it leaves out needs what a GET needs.
    assert call(token, "/authn/jwt-scoped/", "head").status_code == 403
    assert assert_error(call(token, "/authn/jwt-scoped/"), 403, "insufficient_scope")["scope"] == "notes:read"


def test_subclass_refusals_keep_their_wording(alice):
    class NoWeekends(JWTAuthentication):
        def get_user(self, validated_token):
            raise exceptions.AuthenticationFailed("Not on weekends.")

    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(alice)}")
    with pytest.raises(UnauthorizedClient) as raised:
        NoWeekends().authenticate(Request(request))
    assert raised.value.description == "Not on weekends."
    assert raised.value.headers["WWW-Authenticate"] == INVALID


@pytest.mark.parametrize("name", ["JWTAuthentication", "JWTStatelessUserAuthentication"])
def test_the_schema_has_a_bearer_scheme_for_the_apps_classes(name):
    # drf-spectacular knows simplejwt's own classes only: the app's had no
    # security scheme (and a warning per view) before the openapi wing said.
    from rest_framework.views import APIView

    from django_api_errors.auth.contrib import simplejwt
    from tests.schema_helpers import error_codes, schema_for

    class Whoami(APIView):
        authentication_classes = [getattr(simplejwt, name)]

        def get(self, request):
            """Who the token says."""

    schema = schema_for(("whoami/", Whoami.as_view()))
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert {"jwtAuth": []} in schema["paths"]["/whoami/"]["get"]["security"]
    # Expired tokens answer session_expired: the schema says so.
    assert error_codes(schema, schema["paths"]["/whoami/"]["get"]["responses"]["401"]) == [
        "unauthorized_client",
        "session_expired",
    ]
