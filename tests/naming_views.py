"""Views for the field-naming tests: djangorestframework-camel-case and django-filter, for real."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from rest_framework import exceptions, generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator
from rest_framework.views import APIView

from tests.models import ApiToken, Note
from tests.views import _duplicate_note


class AddressSerializer(serializers.Serializer):
    street_line_1 = serializers.CharField()
    zip_code = serializers.RegexField(r"^\d{5}$")

    def validate(self, attrs):
        if attrs.get("street_line_1") == "nowhere":
            raise serializers.ValidationError("No such address.")
        return attrs


class ContactSerializer(serializers.Serializer):
    email_address = serializers.EmailField()


class ProfileSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    home_address = AddressSerializer()
    contact_list = ContactSerializer(many=True)
    phone_numbers = serializers.ListField(child=serializers.CharField(max_length=5))
    extra_data = serializers.DictField(child=serializers.IntegerField())
    token_key = serializers.CharField(
        source="key", required=False, validators=[UniqueValidator(ApiToken.objects.all())]
    )


class Open(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class CamelView(Open):
    """Both halves of djangorestframework-camel-case, set on the view."""

    parser_classes = [CamelCaseJSONParser]
    renderer_classes = [CamelCaseJSONRenderer]

    def post(self, request):
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class ParserOnlyView(CamelView):
    renderer_classes = [JSONRenderer]


class RendererOnlyView(CamelView):
    parser_classes = [JSONParser]


class PlainView(CamelView):
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]


IGNORING = {"ignore_fields": ("extra_data",), "ignore_keys": ("home_address",)}


class IgnoringParser(CamelCaseJSONParser):
    json_underscoreize = IGNORING


class IgnoringRenderer(CamelCaseJSONRenderer):
    json_underscoreize = IGNORING


class IgnoringView(CamelView):
    parser_classes = [IgnoringParser]
    renderer_classes = [IgnoringRenderer]


class ModelErrorsView(CamelView):
    """Errors that are not a serializer's: full_clean() and a unique constraint."""

    def post(self, request):
        if request.data.get("duplicate"):
            _duplicate_note()
        raise DjangoValidationError(
            {"home_email": ["Enter a valid email address."], "__all__": ["Bad pair."]}
        )


class NoteFilter(django_filters.FilterSet):
    min_version = django_filters.NumberFilter(field_name="version", lookup_expr="gte")

    class Meta:
        model = Note
        fields = []


class StrictPagination(PageNumberPagination):
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not raw.isdigit():
            raise exceptions.ValidationError({self.page_size_query_param: ["A whole number is required."]})
        return super().get_page_size(request)


class NoteListView(generics.ListAPIView):
    """A camelCase list: django-filter's FilterSet and a paginator validate the query string."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [CamelCaseJSONParser]
    renderer_classes = [CamelCaseJSONRenderer]
    queryset = Note.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = NoteFilter
    pagination_class = StrictPagination

    def get_serializer(self, *args, **kwargs):
        return serializers.Serializer(*args, **kwargs)


class SearchQuerySerializer(serializers.Serializer):
    search_term = serializers.CharField()
    max_results = serializers.IntegerField(max_value=50, required=False)


class SearchView(CamelView):
    """A serializer validating ``request.query_params`` (GET) and a body (POST)."""

    def get(self, request):
        SearchQuerySerializer(data=request.query_params).is_valid(raise_exception=True)
        return Response({})

    def post(self, request):
        SearchQuerySerializer(data=request.data).is_valid(raise_exception=True)
        return Response({})


def shout(name):
    return name.upper()


urlpatterns = [
    path("camel/", CamelView.as_view()),
    path("parser-only/", ParserOnlyView.as_view()),
    path("renderer-only/", RendererOnlyView.as_view()),
    path("plain/", PlainView.as_view()),
    path("ignoring/", IgnoringView.as_view()),
    path("model-errors/", ModelErrorsView.as_view()),
    path("notes/", NoteListView.as_view()),
    path("search/", SearchView.as_view()),
]


class CamelCreateView(generics.CreateAPIView):
    """For the OpenAPI example: the body serializer of a camelCase view."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [CamelCaseJSONParser]
    renderer_classes = [CamelCaseJSONRenderer]
    serializer_class = ProfileSerializer
