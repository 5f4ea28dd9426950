"""Views with ConditionalRequestMixin: each validator, and the race databases.

The race views read and write the databases ``race_sqlite`` and
``race_postgres``, which tests/test_conditional_races.py adds while it runs.
Each viewset has an async twin on adrf's ``ModelViewSet`` under ``async/``.
"""

from adrf import generics as async_generics
from adrf import serializers as async_serializers
from adrf import viewsets as async_viewsets
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import path
from rest_framework import generics, renderers, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from django_api_errors.conditional.mixins import ConditionalRequestMixin
from django_api_errors.exceptions import Conflict
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

    def perform_create(self, serializer):
        # No authentication here: new notes belong to the first user.
        serializer.save(owner=get_user_model().objects.order_by("pk").first())


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


def async_twin(view):
    """``view`` on adrf's async ModelViewSet: the attributes this module gave it, async actions."""
    attrs = {}
    for cls in reversed(view.__mro__):
        if cls.__module__ == __name__:
            attrs.update({k: v for k, v in vars(cls).items() if not k.startswith("__")})
    return type(f"Async{view.__name__}", (ConditionalRequestMixin, async_viewsets.ModelViewSet), attrs)


class AsyncNoteSerializer(async_serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "version"]
        read_only_fields = ["version"]


class AsyncNotes(ConditionalRequestMixin, async_viewsets.ModelViewSet):
    """adrf's own save hooks, DRF's ``perform_create``/``perform_update``."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = AsyncNoteSerializer
    queryset = Note.objects.all()
    etag_version_field = "version"


class AsyncHookedNotes(AsyncNotes):
    """Overrides adrf's save hooks: they run inside the write's transaction."""

    async def perform_aupdate(self, serializer):
        await serializer.asave(body=f"saved by perform_aupdate: {serializer.validated_data['title']}")
        if serializer.instance.title == "roll back":
            raise Conflict("Refused after the write.")  # the transaction must undo it all

    async def perform_adestroy(self, instance):
        await instance.adelete()
        raise Conflict("Refused after the delete.")


class SignedNoteSerializer(AsyncNoteSerializer):
    """Writes what adrf's own viewsets write with: ``acreate``/``aupdate``, not ``create``/``update``."""

    signature = serializers.CharField(write_only=True)

    class Meta(AsyncNoteSerializer.Meta):
        fields = [*AsyncNoteSerializer.Meta.fields, "signature"]

    async def acreate(self, validated_data):
        signature = validated_data.pop("signature")
        owner = await get_user_model().objects.order_by("pk").afirst()
        return await super().acreate({**validated_data, "owner": owner, "body": f"signed {signature}"})

    async def aupdate(self, instance, validated_data):
        validated_data["body"] = f"signed {validated_data.pop('signature')}"
        return await super().aupdate(instance, validated_data)


class AsyncSignedNotes(AsyncNotes):
    serializer_class = SignedNoteSerializer


class AsyncGenericNote(ConditionalRequestMixin, async_generics.RetrieveUpdateDestroyAPIView):
    """adrf's generic view (not a viewset): its get/put/patch/delete await the mixin's actions."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = PlainNoteSerializer
    queryset = Note.objects.all()
    etag_version_field = "version"


def race_views(alias):
    """Views on the database ``alias``, one per validator, sync and async."""
    base = {"queryset": Note.objects.using(alias)}
    versioned = type(f"Versioned_{alias}", (OpenNotes,), {**base, "etag_version_field": "version"})
    hashed = type(f"Hashed_{alias}", (OpenNotes,), base)
    views = {"version": versioned, "hash": hashed}
    return {**views, **{f"async/{kind}": async_twin(view) for kind, view in views.items()}}


def _routes(prefix, viewset, wrap=lambda view: view):
    names = ("retrieve", "update", "partial_update", "destroy", "list", "create")
    if viewset.view_is_async:
        names = ("aretrieve", "aupdate", "partial_aupdate", "adestroy", "alist", "acreate")
        # Django refuses ATOMIC_REQUESTS (on in the test settings) for async views.
        wrap = transaction.non_atomic_requests(using="default")
    detail = viewset.as_view(dict(zip(("get", "put", "patch", "delete"), names[:4], strict=True)))
    listing = viewset.as_view({"get": names[4], "post": names[5]})
    return [path(f"{prefix}/", wrap(listing)), path(f"{prefix}/<int:pk>/", wrap(detail))]


_VIEWS = {
    "versioned": VersionedNotes,
    "hashed": HashedNotes,
    "hashed-dated": HashedDatedNotes,
    "no-delete": NoDeleteNotes,
    "paged": PagedNotes,
}
urlpatterns = [
    path("echo/", EchoView.as_view()),
    *_routes("async/hooked", AsyncHookedNotes),
    *_routes("async/signed", AsyncSignedNotes),
    path("async/generic/<int:pk>/", transaction.non_atomic_requests(AsyncGenericNote.as_view())),
]
for _prefix, _view in _VIEWS.items():
    urlpatterns += _routes(_prefix, _view) + _routes(f"async/{_prefix}", async_twin(_view))
for _alias in ("race_sqlite", "race_postgres"):
    for _kind, _view in race_views(_alias).items():
        # Only the race database's own ATOMIC_REQUESTS applies: the threads
        # of a race must not open transactions on the test database.
        urlpatterns += _routes(f"{_alias}/{_kind}", _view, transaction.non_atomic_requests(using="default"))
