"""StrictFieldsMixin: a key the serializer has no field for is a 400, not a silent 200."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import path
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django_api_errors.openapi import _inspection
from django_api_errors.serializers import StrictFieldsMixin
from tests.conftest import assert_error
from tests.models import Note

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class NoteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "version"]
        read_only_fields = ["id", "version"]


class LaxNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title"]


class AddressSerializer(StrictFieldsMixin, serializers.Serializer):
    street_line = serializers.CharField()


class ContactSerializer(StrictFieldsMixin, serializers.Serializer):
    email_address = serializers.EmailField()


class ProfileSerializer(StrictFieldsMixin, serializers.Serializer):
    first_name = serializers.CharField()
    home_address = AddressSerializer()
    contacts = ContactSerializer(many=True)
    ignored_fields = ("client_version",)


class WordedSerializer(NoteSerializer):
    default_error_messages = {"unknown_field": "Not a field of notes."}


class Open:
    authentication_classes = []
    permission_classes = [AllowAny]


class Notes(Open, generics.ListCreateAPIView):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=get_user_model().objects.get_or_create(username="owner")[0])


class NoteDetail(Open, generics.RetrieveUpdateAPIView):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer


class LaxNotes(Notes):
    serializer_class = LaxNoteSerializer


class WordedNotes(Notes):
    serializer_class = WordedSerializer


class Profile(Open, APIView):
    def post(self, request):
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class CamelProfile(Profile):
    parser_classes = [CamelCaseJSONParser]
    renderer_classes = [CamelCaseJSONRenderer]


urlpatterns = [
    path("notes/", Notes.as_view()),
    path("notes/<int:pk>/", NoteDetail.as_view()),
    path("lax/", LaxNotes.as_view()),
    path("worded/", WordedNotes.as_view()),
    path("profile/", Profile.as_view()),
    path("camel/", CamelProfile.as_view()),
]


def _unknown(body):
    return [(d["field"], d["pointer"]) for d in body["details"] if d["code"] == "unknown_field"]


def test_an_unknown_key_is_refused_and_nothing_is_created(api_client):
    response = api_client.post("/notes/", {"title": "kept", "titel": "typo"}, format="json")
    body = assert_error(response, 400, "invalid_request")
    assert _unknown(body) == [("titel", "/titel")]
    assert "no field of this name" in body["details"][0]["message"]
    assert not Note.objects.exists()


def test_unknown_keys_are_listed_with_the_other_errors(api_client):
    body = assert_error(api_client.post("/notes/", {"titel": "typo"}, format="json"), 400, "invalid_request")
    assert {(d["field"], d["code"]) for d in body["details"]} == {
        ("title", "required"),
        ("titel", "unknown_field"),
    }


def test_a_patch_with_an_unknown_key_changes_nothing(api_client):
    created = api_client.post("/notes/", {"title": "before"}, format="json").json()
    response = api_client.patch(f"/notes/{created['id']}/", {"tilte": "after"}, format="json")
    assert _unknown(assert_error(response, 400, "invalid_request")) == [("tilte", "/tilte")]
    assert api_client.get(f"/notes/{created['id']}/").json() == created


def test_read_only_keys_may_be_sent_back(api_client):
    created = api_client.post("/notes/", {"title": "before"}, format="json").json()
    sent = {**created, "title": "after", "version": 99}
    response = api_client.put(f"/notes/{created['id']}/", sent, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {**created, "title": "after"}


def test_without_the_mixin_drf_drops_the_key(api_client):
    # DRF's default, which the mixin exists to refuse: 201, the key gone.
    response = api_client.post("/lax/", {"title": "kept", "titel": "typo"}, format="json")
    assert response.status_code == 201 and "titel" not in response.json()


def test_nested_serializers_with_the_mixin_point_at_the_key(api_client):
    sent = {
        "first_name": "Ada",
        "home_address": {"street_line": "1 Loop", "zip": "12345"},
        "contacts": [{"email_address": "ada@example.com"}, {"email_address": "b@example.com", "phone": "1"}],
        "nickname": "A",
    }
    body = assert_error(api_client.post("/profile/", sent, format="json"), 400, "invalid_request")
    assert sorted(_unknown(body)) == [
        ("contacts.1.phone", "/contacts/1/phone"),
        ("home_address.zip", "/home_address/zip"),
        ("nickname", "/nickname"),
    ]


def test_ignored_fields_and_the_browsable_apis_csrf_token_pass(api_client):
    sent = {
        "first_name": "Ada",
        "home_address": {"street_line": "1 Loop"},
        "contacts": [],
        "client_version": "2.1",
    }
    assert api_client.post("/profile/", sent, format="json").status_code == 200
    form = {"title": "from a form", "csrfmiddlewaretoken": "x"}
    assert api_client.post("/notes/", form).status_code == 201


def test_a_multipart_form_is_checked_too(api_client):
    response = api_client.post("/notes/", {"title": "kept", "titel": "typo"}, format="multipart")
    assert _unknown(assert_error(response, 400, "invalid_request")) == [("titel", "/titel")]


@override_settings(API_ERRORS={"FIELD_NAMES": "auto"})
def test_a_camel_case_client_sees_the_key_as_it_sent_it(api_client):
    sent = {"firstName": "Ada", "homeAddress": {"streetLine": "1 Loop", "zipCode": "1"}, "contacts": []}
    body = assert_error(api_client.post("/camel/", sent, format="json"), 400, "invalid_request")
    assert _unknown(body) == [("homeAddress.zipCode", "/homeAddress/zipCode")]


def test_the_message_can_be_reworded_as_drfs_own(api_client):
    body = assert_error(
        api_client.post("/worded/", {"title": "x", "tags": []}, format="json"), 400, "invalid_request"
    )
    assert body["details"][0]["message"] == "Not a field of notes."


def test_the_openapi_400_lists_the_code():
    assert "unknown_field" in _inspection.field_error_codes(NoteSerializer())
    assert "unknown_field" not in _inspection.field_error_codes(LaxNoteSerializer())


class ProfileCreate(Open, generics.CreateAPIView):
    serializer_class = ProfileSerializer


def test_the_openapi_request_body_allows_no_other_keys():
    from tests.schema_helpers import resolve, schema_for

    schema = schema_for(
        ("notes/", Notes.as_view()), ("lax/", LaxNotes.as_view()), ("p/", ProfileCreate.as_view())
    )

    def body(route):
        operation = schema["paths"][route]["post"]
        return resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])

    assert body("/notes/")["additionalProperties"] is False
    assert "additionalProperties" not in body("/lax/")
    profile = body("/p/")
    assert profile["additionalProperties"] is False
    assert profile["properties"]["home_address"]["additionalProperties"] is False
    assert profile["properties"]["contacts"]["items"]["additionalProperties"] is False
