from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db.models import Avg, Count
from django.db.models.functions import Length
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from django_api_errors.decorators import declares_errors
from django_api_errors.exceptions import UnauthorizedClient
from django_api_errors.mixins import ConditionalRequestMixin
from django_api_errors.permissions import HasScope
from django_api_errors.ratelimit import ratelimit
from django_api_errors.throttling import ScopedRateThrottle, UserRateThrottle
from example_project.notes.models import Comment, Note
from example_project.notes.permissions import AuthorCanWrite, OwnerCanWrite
from example_project.notes.serializers import CommentSerializer, NoteSerializer

READ = ("notes:read",)
WRITE = ("notes:write",)


class NoteViewSet(ConditionalRequestMixin, viewsets.ModelViewSet):
    """Notes with ETags: send ``If-Match`` to update or delete without losing others' changes."""

    etag_version_field = "version"
    etag_modified_field = "updated_at"
    queryset = Note.objects.select_related("owner")
    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticated, HasScope, OwnerCanWrite]
    required_scopes = {
        "GET": READ,
        "HEAD": READ,
        "POST": WRITE,
        "PUT": WRITE,
        "PATCH": WRITE,
        "DELETE": ("notes:delete",),
    }


class SharedNoteViewSet(NoteViewSet):
    """The same notes for shared editing: every write must carry ``If-Match`` (428 otherwise)."""

    require_if_match = True


class CamelNoteFilter(filters.FilterSet):
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")

    class Meta:
        model = Note
        fields = []


@extend_schema(exclude=True)
class CamelNoteViewSet(NoteViewSet):
    """The notes in camelCase (djangorestframework-camel-case), filtered by ``?updated_after=``.

    Error bodies name fields as the client sent them (``labels.dueDate``,
    ``checklist.0.text``), and mark the filter's errors ``"in": "query"``.
    Left out of the OpenAPI document: drf-spectacular's camelize hook renames
    every component, and the same Note component serves the snake_case routes.
    """

    parser_classes = [CamelCaseJSONParser]
    renderer_classes = [CamelCaseJSONRenderer]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CamelNoteFilter


class CommentViewSet(viewsets.ModelViewSet):
    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticated, HasScope, AuthorCanWrite]
    required_scopes = {"GET": READ, "POST": WRITE, "PUT": WRITE, "PATCH": WRITE, "DELETE": WRITE}


class CommentFilter(serializers.Serializer):
    # The bound keeps huge numbers out of the database driver (SQLite: OverflowError).
    note = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class CommentPages(PageNumberPagination):
    page_size = 20


class CommentRefViewSet(viewsets.ReadOnlyModelViewSet):
    """Comments by their public UUID reference, a page at a time, filtered by ``?note=``."""

    queryset = Comment.objects.order_by("pk")
    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticated, HasScope]
    required_scopes = {"GET": READ, "HEAD": READ}
    lookup_field = "ref"
    pagination_class = CommentPages

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            params = CommentFilter(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            if "note" in params.validated_data:
                queryset = queryset.filter(note_id=params.validated_data["note"])
        return queryset


class SearchParams(serializers.Serializer):
    # CharField refuses NUL characters, which PostgreSQL cannot store or compare.
    q = serializers.CharField(max_length=100, allow_blank=True, default="")


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="Part of the title.")],
    responses=inline_serializer("SearchResults", {"results": NoteSerializer(many=True)}),
)
@api_view(["GET"])
@throttle_classes([ScopedRateThrottle])
def search(request):
    """Full-text-ish search, throttled to a few requests a minute per user.

    The app's ScopedRateThrottle counts atomically in the shared cache and
    answers with RateLimit-Policy / RateLimit headers.
    """
    params = SearchParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    notes = Note.objects.filter(title__icontains=params.validated_data["q"])[:20]
    return Response({"results": NoteSerializer(notes, many=True, context={"request": request}).data})


search.cls.throttle_scope = "search"


@extend_schema(
    responses=inline_serializer(
        "Stats", {"notes": serializers.IntegerField(), "body_per_comment": serializers.FloatField()}
    )
)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
@throttle_classes([UserRateThrottle])
def stats(request):
    """Average checklist length per comment: divides by zero without comments."""
    totals = Note.objects.filter(owner=request.user).aggregate(
        notes=Count("id"), comments=Count("comments"), body=Avg(Length("body"))
    )
    return Response({"notes": totals["notes"], "body_per_comment": totals["notes"] / totals["comments"]})


@ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_VIEW_RATE)
def ping(request):
    """A plain Django view, limited per client address by django-ratelimit."""
    return JsonResponse({"pong": True})


def note_text(request, pk):
    """A plain Django view that serves a note as text: unknown ids are 404."""
    note = get_object_or_404(Note, pk=pk)
    return JsonResponse({"title": note.title, "body": note.body})


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


@declares_errors("unauthorized_client")
@extend_schema(
    request=LoginSerializer,
    responses=inline_serializer("LoggedIn", {"username": serializers.CharField()}),
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def log_in(request):
    """Session login.  An unknown user and a wrong password get the very same answer."""
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if user is None:
        raise UnauthorizedClient(_("The username or password is not correct."))
    login(request._request, user)
    return Response({"username": user.username})


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
@authentication_classes([SessionAuthentication])
@permission_classes([permissions.IsAuthenticated])
def log_out(request):
    """Ends the session: its cookie answers ``session_expired`` from now on."""
    logout(request._request)
    return Response(status=204)
