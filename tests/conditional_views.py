"""Views with ConditionalRequestMixin: each validator, and the race databases.

The race views read and write the databases ``race_sqlite`` and
``race_postgres``, which tests/test_conditional_races.py adds while it runs.
"""

from django.db import transaction
from django.urls import path
from rest_framework import generics, renderers, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from django_api_errors.conditional.mixins import ConditionalRequestMixin
from tests.models import Note

# Called with the instance while a write validates its body: tests use them
# to act "between" a request's precondition check and its write.
HOOKS = []


class PlainNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "checklist", "version", "updated_at"]
        read_only_fields = ["version", "updated_at"]

    def validate(self, attrs):
        for hook in HOOKS:
            hook(self.instance)
        return attrs


class OpenNotes(ConditionalRequestMixin, viewsets.ModelViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = PlainNoteSerializer
    queryset = Note.objects.all()


class VersionedNotes(OpenNotes):
    etag_version_field = "version"
    etag_modified_field = "updated_at"
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer]  # Vary: Accept


class HashedNotes(OpenNotes):
    """No version field, no modification time: the ETag hashes the representation."""


class HashedDatedNotes(OpenNotes):
    etag_modified_field = "updated_at"


class OnePerPage(PageNumberPagination):
    page_size = 1


class PagedNotes(VersionedNotes):
    queryset = Note.objects.prefetch_related("comments")
    pagination_class = OnePerPage
    etag_cache_control = None


class NoDeleteNotes(VersionedNotes):
    http_method_names = ["get", "put", "patch", "head", "options"]


class EchoSerializer(serializers.Serializer):
    text = serializers.CharField()

    def create(self, validated_data):
        return dict(validated_data)  # no model instance: nothing to validate


class EchoView(ConditionalRequestMixin, generics.CreateAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = EchoSerializer


def race_views(alias):
    """Views on the database ``alias``, one per validator."""
    base = {"queryset": Note.objects.using(alias)}
    versioned = type(f"Versioned_{alias}", (OpenNotes,), {**base, "etag_version_field": "version"})
    hashed = type(f"Hashed_{alias}", (OpenNotes,), base)
    return {"version": versioned, "hash": hashed}


def _routes(prefix, viewset, wrap=lambda view: view):
    detail = viewset.as_view(
        {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
    )
    listing = viewset.as_view({"get": "list", "post": "create"})
    return [path(f"{prefix}/", wrap(listing)), path(f"{prefix}/<int:pk>/", wrap(detail))]


urlpatterns = [
    *_routes("versioned", VersionedNotes),
    *_routes("hashed", HashedNotes),
    *_routes("hashed-dated", HashedDatedNotes),
    *_routes("no-delete", NoDeleteNotes),
    *_routes("paged", PagedNotes),
    path("echo/", EchoView.as_view()),
]
for _alias in ("race_sqlite", "race_postgres"):
    for _kind, _view in race_views(_alias).items():
        # Only the race database's own ATOMIC_REQUESTS applies: the threads
        # of a race must not open transactions on the test database.
        urlpatterns += _routes(f"{_alias}/{_kind}", _view, transaction.non_atomic_requests(using="default"))
