"""DRF's own write code, without ConditionalRequestMixin, and views that change or wrap it.

ErrorMiddleware answers 412 to a write carrying If-Match (or If-None-Match: *)
that DRF's unchanged create, update or destroy would carry out regardless;
the views here that change that code, or wrap it, are left alone.
"""

from adrf import generics as async_generics
from adrf import viewsets as async_viewsets
from adrf.decorators import api_view as async_api_view
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from rest_framework import generics, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from tests.conditional_views import AsyncNoteSerializer, PlainNoteSerializer
from tests.models import Note


def _owner():
    return get_user_model().objects.order_by("pk").first()


class Open:
    authentication_classes = []
    permission_classes = [AllowAny]
    queryset = Note.objects.all()


class Notes(Open, viewsets.ModelViewSet):
    """DRF's ModelViewSet as it comes."""

    serializer_class = PlainNoteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=_owner())

    @action(detail=True, methods=["post"])
    def shout(self, request, pk=None):
        """An @action: the project's own code, which may read If-Match (this one does not)."""
        note = self.get_object()
        note.title = note.title.upper()
        note.save()
        return Response({"title": note.title})


class AsyncNotes(Open, async_viewsets.ModelViewSet):
    """adrf's ModelViewSet as it comes."""

    serializer_class = AsyncNoteSerializer

    async def perform_acreate(self, serializer):
        await serializer.asave(owner=await get_user_model().objects.order_by("pk").afirst())


class GenericNote(Open, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = PlainNoteSerializer


class AsyncGenericNote(Open, async_generics.RetrieveUpdateDestroyAPIView):
    serializer_class = AsyncNoteSerializer


class SaysNotes(Notes):
    evaluates_preconditions = True  # it compares If-Match in get_object, say


class OwnUpdateNotes(Notes):
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)


def version_tag(request, pk):
    note = Note.objects.filter(pk=pk).first()
    return f"v{note.version}" if note else None


@method_decorator(condition(etag_func=version_tag), name="dispatch")
class DispatchConditionedNotes(Notes):
    """Django's @condition on dispatch: it evaluates If-Match itself."""


class NoPutNotes(Notes):
    http_method_names = ["get", "patch", "head", "options"]


@api_view(["POST"])
def echo(request):
    return Response(request.data)


@async_api_view(["POST"])
async def async_echo(request):
    return Response(request.data)


_DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
_ASYNC_DETAIL = {"get": "aretrieve", "put": "aupdate", "patch": "partial_aupdate", "delete": "adestroy"}


def detail(viewset):
    return viewset.as_view(_ASYNC_DETAIL if viewset.view_is_async else _DETAIL)


def listing(viewset):
    return viewset.as_view(
        {"get": "alist", "post": "acreate"} if viewset.view_is_async else {"get": "list", "post": "create"}
    )


_router = SimpleRouter()
_router.register("notes", Notes, basename="notes")
# Django refuses ATOMIC_REQUESTS (on in the test settings) for async views.
_async = transaction.non_atomic_requests(using="default")
urlpatterns = [
    *_router.urls,
    path("async/notes/", _async(listing(AsyncNotes))),
    path("async/notes/<int:pk>/", _async(detail(AsyncNotes))),
    path("generic/<int:pk>/", GenericNote.as_view()),
    path("async/generic/<int:pk>/", _async(AsyncGenericNote.as_view())),
    path("says/<int:pk>/", detail(SaysNotes)),
    path("own-update/<int:pk>/", detail(OwnUpdateNotes)),
    path("conditioned/<int:pk>/", condition(etag_func=version_tag)(detail(Notes))),
    path("dispatch-conditioned/<int:pk>/", detail(DispatchConditionedNotes)),
    path("no-put/<int:pk>/", NoPutNotes.as_view({"put": "update", "patch": "partial_update"})),
    path("echo/", echo),
    path("async/echo/", _async(async_echo)),
]
