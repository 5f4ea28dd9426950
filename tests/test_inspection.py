"""Which errors a view documents, derived from the view, and how views declare more."""

import sys
import types
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import DecimalValidator
from django.test import override_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.validators import UniqueValidator
from rest_framework.views import APIView

from django_api_errors import codes
from django_api_errors.openapi import _inspection as inspection
from django_api_errors.openapi.decorators import declares_errors
from tests.models import ApiToken, Comment, Note
from tests.schema_helpers import assert_examples_match, error_codes, responses, schema_for


def _statuses(view_class, method="get", route="x/", **initkwargs):
    schema = schema_for((route, view_class.as_view(**initkwargs)))
    found = responses(schema, "/" + route.replace("<int:item>", "{item}"), method)
    return {int(status): error_codes(schema, r) for status, r in found.items() if int(status) >= 400}


class Open(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({})


def test_open_view_documents_only_what_any_request_can_get():
    assert _statuses(Open) == {
        400: ["invalid_request"],
        405: ["invalid_request"],
        406: ["invalid_request"],
        500: ["server_error"],
    }


class SessionForm(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]  # no multipart: no 413

    def get(self, request):
        return Response({})

    def post(self, request):
        return Response({})


def test_session_authentication_means_401_and_csrf_403_on_unsafe_methods():
    assert 403 not in _statuses(SessionForm, "get")
    post = _statuses(SessionForm, "post")
    assert post[401] == ["unauthorized_client"]
    assert post[403] == ["access_denied"]
    assert post[415] == ["invalid_content_type"]
    assert post[413] == ["invalid_request"]  # any body can exceed DATA_UPLOAD_MAX_MEMORY_SIZE
    assert 413 not in _statuses(SessionForm, "get")


class Upload(Open):
    parser_classes = [MultiPartParser]

    def post(self, request):
        return Response({})


def test_multipart_bodies_can_be_too_large():
    assert _statuses(Upload, "post")[413] == ["invalid_request"]


class Scoped(APIView):
    permission_classes = [IsAuthenticated]
    required_scopes = ["orders:read"]

    def get(self, request):
        return Response({})


def test_required_scopes_mean_insufficient_scope():
    assert _statuses(Scoped)[403] == ["access_denied", "insufficient_scope"]


class NoRateThrottle(UserRateThrottle):
    scope = "no-rate-configured"


class Throttled(Open):
    throttle_classes = [NoRateThrottle]


def test_throttle_that_cannot_be_built_still_means_429():
    schema = schema_for(("x/", Throttled.as_view()))
    response = responses(schema, "/x/", "get")["429"]
    assert error_codes(schema, response) == ["usage_limit_exceeded"]
    example = response["content"]["application/json"]["examples"]["usage_limit_exceeded"]["value"]
    assert example["retry_after"] == 60
    assert_examples_match(schema, response)


class RequestDependentPermissions(Open):
    permission_classes = [IsAuthenticated]

    def get_permissions(self):
        raise RuntimeError("needs a real request")


def test_permissions_that_need_a_request_fall_back_to_the_classes():
    found = inspection.view_errors(RequestDependentPermissions(), "get", detail_route=False)
    assert found.statuses[403] == ["access_denied"]


@declares_errors("conflict")
class Declared(Open):
    @declares_errors("precondition_failed")
    def get(self, request):
        return Response({})


def test_declared_on_class_and_method():
    statuses = _statuses(Declared)
    assert statuses[409] == ["conflict"]
    assert statuses[412] == ["precondition_failed"]


class DeclaredTwice(Open):
    api_errors = ("conflict",)

    @declares_errors("conflict")
    def get(self, request):
        return Response({})


def test_declaring_twice_keeps_one():
    assert _statuses(DeclaredTwice)[409] == ["conflict"]
    twice = declares_errors("not_found", "not_found")(type("Twice", (Open,), {"api_errors": ("conflict",)}))
    assert twice.api_errors == ("conflict", "not_found")


@declares_errors("access_denied")
@api_view(["GET"])
@permission_classes([AllowAny])
def function_view(request):
    return Response({})


def test_declared_on_a_function_view():
    schema = schema_for(("f/", function_view))
    assert error_codes(schema, responses(schema, "/f/", "get")["403"]) == ["access_denied"]


class PaymentViewSet(viewsets.ViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]

    @declares_errors("payment_required")
    @action(detail=False, methods=["post"])
    def checkout(self, request):
        return Response({})


def test_registered_code_declared_on_an_action():
    codes.register("payment_required", 402, "Payment is required.", "Top up.")
    try:
        schema = schema_for(("pay/", PaymentViewSet.as_view({"post": "checkout"})))
        response = responses(schema, "/pay/", "post")["402"]
        assert error_codes(schema, response) == ["payment_required"]
        assert response["description"] == "Payment Required: payment_required"
        assert_examples_match(schema, response)
    finally:
        codes.unregister("payment_required")


@declares_errors("client_closed")
class Unusual(Open):
    pass


def test_status_without_a_phrase():
    with pytest.raises(ImproperlyConfigured, match="client_closed"):
        _statuses(Unusual)
    with override_settings(
        API_ERRORS={"CODES": {"client_closed": {"status": 499, "description": "Gone away."}}}
    ):
        schema = schema_for(("x/", Unusual.as_view()))
    response = responses(schema, "/x/", "get")["499"]
    assert response["description"] == "499: client_closed"
    example = response["content"]["application/problem+json"]["examples"]["client_closed"]["value"]
    assert example["status"] == 499


class Conditional(Open):
    require_if_match = None

    def put(self, request, item=None):
        return Response({})

    def get(self, request, item=None):
        return Response({})

    def post(self, request):
        return Response({})


def test_conditional_request_mixin_means_412_and_428(monkeypatch):
    mixins = types.ModuleType("django_api_errors.conditional.mixins")
    mixins.ConditionalRequestMixin = Conditional
    monkeypatch.setitem(sys.modules, "django_api_errors.conditional.mixins", mixins)
    put = _statuses(Conditional, "put", route="x/<int:item>/")
    assert put[412] == ["precondition_failed"] and 428 not in put  # If-Match is optional
    required = _statuses(Conditional, "put", route="x/<int:item>/", require_if_match=True)
    assert required[428] == ["precondition_failed"]
    with override_settings(API_ERRORS={"REQUIRE_IF_MATCH": True}):
        assert _statuses(Conditional, "put", route="x/<int:item>/")[428] == ["precondition_failed"]
    get = _statuses(Conditional, "get", route="x/<int:item>/")
    assert get[412] == ["precondition_failed"] and 428 not in get
    post = _statuses(Conditional, "post", route="x/")
    assert post[412] == ["precondition_failed"] and 428 not in post
    assert _statuses(Conditional, "get")[412] == ["precondition_failed"]  # a list's ETag is compared too
    assert 412 not in _statuses(Open, route="x/<int:item>/")


class Explicit(Open):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.STR})
    def get(self, request):
        return Response({})


class Hidden(Open):
    @extend_schema(exclude=True)
    def get(self, request):
        return Response({})


def test_explicit_responses_win_and_excluded_operations_stay_out():
    schema = schema_for(("x/", Explicit.as_view()), ("hidden/", Hidden.as_view()))
    assert responses(schema, "/x/", "get")["400"]["content"]["application/json"]["schema"] == {
        "type": "string"
    }
    assert "/hidden/" not in schema["paths"]


class FreeFormBody(Open):
    @extend_schema(request=OpenApiTypes.OBJECT)
    def post(self, request):
        return Response({})


class BrokenBody(Open):
    def post(self, request):
        return Response({})

    def get_serializer(self, *args, **kwargs):
        raise RuntimeError("no serializer here")


class OptionalBody(serializers.Serializer):
    note = serializers.CharField(required=False)


class OptionalBodyView(Open):
    @extend_schema(request=OptionalBody)
    def post(self, request):
        return Response({})


@pytest.mark.parametrize("view", [FreeFormBody, BrokenBody, OptionalBodyView])
def test_bodies_without_field_errors_to_show(view):
    schema = schema_for(("x/", view.as_view()))
    response = responses(schema, "/x/", "post")["400"]
    example = response["content"]["application/json"]["examples"]["invalid_request"]["value"]
    assert "details" not in example
    assert_examples_match(schema, response)


class Item(serializers.Serializer):
    price = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount = serializers.DecimalField(max_digits=5, decimal_places=2, validators=[DecimalValidator(5, 2)])


class Order(serializers.Serializer):
    code = serializers.CharField(validators=[UniqueValidator(queryset=ApiToken.objects.all())])
    items = Item(many=True)
    tags = serializers.ListField(child=serializers.ChoiceField(choices=["a", "b"]))
    owners = serializers.PrimaryKeyRelatedField(many=True, queryset=ApiToken.objects.all())
    computed = serializers.CharField(read_only=True)
    who = serializers.HiddenField(default="x")


def test_field_error_codes_at_any_depth():
    found = set(inspection.field_error_codes(Order()))
    assert {"unique", "not_a_list", "max_digits", "max_decimal_places", "invalid_choice"} <= found
    assert {"does_not_exist", "incorrect_type", "invalid"} <= found


def test_recursion_stops():
    deep = serializers.CharField()
    for _ in range(15):
        deep = serializers.ListField(child=deep)
    assert "blank" not in inspection.field_error_codes(deep)  # the CharField is too deep to reach
    assert "not_a_list" in inspection.field_error_codes(deep)


class Booking(serializers.Serializer):
    api_field_codes = ("too_soon",)
    day = serializers.DateField()

    def validate_day(self, value):
        raise serializers.ValidationError("Too soon.", code="too_soon")


def test_serializers_declare_the_codes_their_validate_methods_raise():
    assert {"too_soon", "invalid", "datetime"} <= set(inspection.field_error_codes(Booking()))


class Unvalidatable(serializers.Serializer):
    name = serializers.CharField()

    def get_validators(self):
        raise RuntimeError("needs an instance")


def test_serializer_whose_validators_fail_still_has_field_codes():
    assert "blank" in inspection.field_error_codes(Unvalidatable())


def test_models():
    assert inspection.has_unique_values(ApiToken)  # unique=True
    assert inspection.has_unique_values(Note)  # UniqueConstraint
    assert not inspection.has_unique_values(Comment)
    assert inspection.has_protected_relations(Note)
    assert not inspection.has_protected_relations(Comment)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Comment
        fields = ["id", "ref", "note", "author", "text"]


def test_model_from_the_serializer_when_the_view_has_no_queryset():
    view = Open()
    found = inspection.view_errors(view, "post", detail_route=False, serializer=CommentSerializer())
    assert 409 not in found.statuses
    found = inspection.view_errors(view, "delete", detail_route=True, serializer=Order())
    assert found.statuses[404] == ["not_found"]
    assert 409 in found.statuses  # Order's UniqueValidator


def test_decimal_validator_messages_only_when_a_mapping():
    validator = DecimalValidator(5, 2)
    validator.messages = ["not", "a", "mapping"]
    assert inspection._validator_codes([validator]) == set()
    assert Decimal("1.00")  # the validator itself is untouched otherwise


class ExpiringTokens(APIView):
    from django_api_errors.authentication import ExpiringTokenAuthentication

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({})


def test_expiring_tokens_document_session_expired_only_with_a_lifetime(settings):
    # A generated client met session_expired where the schema named only
    # unauthorized_client, and failed to parse the 401.
    assert _statuses(ExpiringTokens)[401] == ["unauthorized_client"]  # tokens that never expire
    settings.API_ERRORS = {"TOKEN_LIFETIME": 3600}
    assert _statuses(ExpiringTokens)[401] == ["unauthorized_client", "session_expired"]


class ScopesInLowerCase(Open):
    permission_classes = [IsAuthenticated]
    required_scopes = {"get": ["orders:read"]}


def test_scopes_by_method_in_lower_case_mean_insufficient_scope():
    assert _statuses(ScopesInLowerCase)[403] == ["access_denied", "insufficient_scope"]


class RateLimitedMethod(Open):
    from django_api_errors.ratelimit import ratelimit

    get = ratelimit(key="ip", rate="5/m")(Open.get)


@api_view(["GET"])
def _limited_function(request):
    return Response({})


def test_the_apps_ratelimit_decorator_documents_its_429():
    # Its 429 reached clients whose schema had none (a generated client parsed None).
    from django_api_errors.ratelimit import ratelimit

    assert _statuses(RateLimitedMethod)[429] == ["usage_limit_exceeded"]
    from_above = ratelimit(key="ip", rate="5/m")(_limited_function)  # on the @api_view's class
    schema = schema_for(("f/", from_above))
    assert 429 in {int(status) for status in responses(schema, "/f/", "get")}


class SharedClass(Open):
    """Routed twice: once rate-limited from outside, once not."""


def test_ratelimit_around_as_view_documents_the_429_of_that_route_only():
    from django_api_errors.ratelimit import ratelimit

    limited = ratelimit(key="ip", rate="5/m", group="shared")(SharedClass.as_view())
    schema = schema_for(("limited/", limited), ("plain/", SharedClass.as_view()))
    assert 429 in {int(status) for status in responses(schema, "/limited/", "get")}
    assert 429 not in {
        int(status) for status in responses(schema, "/plain/", "get")
    }  # the class is untouched
    assert "api_errors" not in vars(SharedClass)


def test_declares_errors_on_a_token_class_keeps_its_session_expired(settings):
    from django_api_errors.authentication import ExpiringTokenAuthentication

    @declares_errors("conflict")
    class Declared(ExpiringTokenAuthentication):
        pass

    assert Declared.api_errors == ("conflict",)  # tokens that never expire
    settings.API_ERRORS = {"TOKEN_LIFETIME": 3600}
    assert Declared.api_errors == ("session_expired", "conflict")  # read when asked, not at import
