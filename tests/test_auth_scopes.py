"""The app's HasScope permission, and the checks of the new settings."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from django_api_errors.auth.permissions import HasScope, granted_scopes, token_scopes
from django_api_errors.checks import check_settings
from django_api_errors.exceptions import AccessDenied, InsufficientScope

USER = SimpleNamespace(is_authenticated=True, username="alice")


def request_with(auth, method="get", user=USER):
    django_request = getattr(APIRequestFactory(), method)("/")
    force_authenticate(django_request, user=user, token=auth)
    request = Request(django_request)
    request.user  # noqa: B018 - runs the forced authentication
    return request


def view(required, methods=("get", "post", "put", "patch", "delete")):
    """A view with ``required_scopes`` and a handler for each of ``methods``."""
    return SimpleNamespace(required_scopes=required, **dict.fromkeys(methods, lambda request: None))


def only_admin(request):
    return ["admin"] if request.auth is not None else None


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        (SimpleNamespace(scopes=["a", "b"]), {"a", "b"}),
        (SimpleNamespace(scopes="a b"), {"a", "b"}),
        (SimpleNamespace(scope="a  b"), {"a", "b"}),  # django-oauth-toolkit's AccessToken
        ({"scope": "a b"}, {"a", "b"}),  # a JWT's claims
        ({"scp": ["a"]}, {"a"}),
        ({"sub": "1"}, None),
        (SimpleNamespace(key="drf-token"), None),
        (None, None),
    ],
)
def test_token_scopes(auth, expected):
    found = token_scopes(request_with(auth))
    assert found == (None if expected is None else frozenset(expected))


def test_scopes_getter_setting(settings):
    settings.API_ERRORS = {"SCOPES_GETTER": "tests.test_auth_scopes.only_admin"}
    assert granted_scopes(request_with(SimpleNamespace(scopes=["a"]))) == {"admin"}
    assert granted_scopes(request_with(None)) is None


def test_has_scope_passes_with_every_required_scope():
    request = request_with(SimpleNamespace(scopes="notes:read notes:write"))
    assert HasScope().has_permission(request, view(["notes:read", "notes:write"])) is True


def test_has_scope_names_every_required_scope():
    request = request_with(SimpleNamespace(scopes="notes:read"))
    with pytest.raises(InsufficientScope) as raised:
        HasScope().has_permission(request, view(["notes:read", "notes:write"]))
    assert raised.value.scopes == ["notes:read", "notes:write"]
    assert raised.value.status_code == 403


def test_has_scope_by_method():
    required = view({"GET": ["notes:read"], "DELETE": "notes:delete", "PUT": []})
    token = SimpleNamespace(scopes=["notes:read"])
    assert HasScope().has_permission(request_with(token), required) is True
    assert HasScope().has_permission(request_with(token, "head"), required) is True  # GET's
    assert HasScope().has_permission(request_with(token, "options"), required) is True
    assert HasScope().has_permission(request_with(token, "put"), required) is True  # listed: no scope
    with pytest.raises(InsufficientScope) as raised:
        HasScope().has_permission(request_with(token, "delete"), required)
    assert raised.value.scopes == ["notes:delete"]
    for method in ("post", "patch"):  # left out: no scope grants them
        with pytest.raises(AccessDenied):
            HasScope().has_permission(request_with(token, method), required)
    with pytest.raises(InsufficientScope):  # a HEAD left out needs GET's
        HasScope().has_permission(request_with(SimpleNamespace(scopes=["x"]), "head"), required)


def test_method_names_in_any_case():
    # {"get": ...} was taken as naming no GET: a token without the scope read everything.
    required = view({"get": ["notes:read"], "Post": ["notes:write"]})
    with pytest.raises(InsufficientScope):
        HasScope().has_permission(request_with(SimpleNamespace(scopes=["other"])), required)
    assert HasScope().has_permission(request_with(SimpleNamespace(scopes=["notes:write"]), "post"), required)


def test_a_write_left_out_of_the_dict_passes_where_the_view_answers_405_or_no_scopes_apply():
    read_only = view({"GET": ["notes:read"]}, methods=("get",))
    token = SimpleNamespace(scopes=["notes:read"])
    assert HasScope().has_permission(request_with(token, "post"), read_only) is True  # then 405
    everything = view({"GET": ["notes:read"]})
    assert HasScope().has_permission(request_with(None, "patch"), everything) is True  # a session

    class Strict(HasScope):
        allow_without_scopes = False

    with pytest.raises(AccessDenied):
        Strict().has_permission(request_with(None, "patch"), everything)


def test_has_scope_refuses_anonymous_requests():
    request = request_with(None, user=AnonymousUser())
    assert HasScope().has_permission(request, view(["notes:read"])) is False


def test_credentials_without_scopes():
    request = request_with(None)
    assert HasScope().has_permission(request, view(["notes:read"])) is True

    class Strict(HasScope):
        allow_without_scopes = False

    with pytest.raises(InsufficientScope):
        Strict().has_permission(request, view(["notes:read"]))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TOKEN_LIFETIME", 0),
        ("TOKEN_LIFETIME", -5),
        ("TOKEN_LIFETIME", True),
        ("TOKEN_LIFETIME", "1h"),
        ("TOKEN_LIFETIME", timedelta(0)),
        ("SCOPES_GETTER", "tests.test_auth_scopes.no_such_function"),
        ("SCOPES_GETTER", "tests.test_auth_scopes.USER"),
        ("SCOPES_GETTER", 42),
    ],
)
def test_invalid_auth_settings(settings, key, value):
    settings.API_ERRORS = {key: value}
    messages = check_settings()
    assert [m.id for m in messages] == ["django_api_errors.E002"]
    assert key in messages[0].msg


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TOKEN_LIFETIME", 3600),
        ("TOKEN_LIFETIME", timedelta(days=1)),
        ("TOKEN_LIFETIME", None),
        ("SCOPES_GETTER", "tests.test_auth_scopes.only_admin"),
        ("SCOPES_GETTER", None),
    ],
)
def test_valid_auth_settings(settings, key, value):
    settings.API_ERRORS = {key: value}
    assert check_settings() == []


@pytest.mark.django_db
def test_invalid_lifetime_through_manage_check(settings):
    settings.API_ERRORS = {"TOKEN_LIFETIME": -1}
    with pytest.raises(SystemCheckError, match="TOKEN_LIFETIME"):
        call_command("check")
