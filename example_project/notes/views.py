import hashlib

from adrf import viewsets as async_viewsets
from adrf.decorators import api_view as async_api_view
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.db.models import Avg, Count
from django.db.models.functions import Length
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_filters import rest_framework as filters
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, viewsets
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
from example_project.notes.serializers import CommentSerializer, NoteSerializer, StrictCharField

READ = ("notes:read",)
WRITE = ("notes:write",)


# The scopes of the notes API, comments included: reading, writing, deleting.
SCOPES = {
    "GET": READ,
    "HEAD": READ,
    "POST": WRITE,
    "PUT": WRITE,
    "PATCH": WRITE,
    "DELETE": ("notes:delete",),
}


class NoteViewSet(ConditionalRequestMixin, viewsets.ModelViewSet):
    """Notes with ETags: send ``If-Match`` to update or delete without losing others' changes."""

    etag_version_field = "version"
    etag_modified_field = "updated_at"
    queryset = Note.objects.select_related("owner")
    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticated, HasScope, OwnerCanWrite]
    required_scopes = SCOPES


class SharedNoteViewSet(NoteViewSet):
    """The same notes for shared editing: every write must carry ``If-Match`` (428 otherwise)."""

    require_if_match = True


class CommentViewSet(ConditionalRequestMixin, async_viewsets.ModelViewSet):
    """Comments, served by an async (adrf) viewset, with ETags that hash the representation.

    Django refuses ``ATOMIC_REQUESTS`` for async views, so these opt out of it
    (``dispatch`` below).  Nothing is lost: a write here is one statement, or,
    for an update or delete, the mixin's own transaction around the
    precondition check and the write.
    """

    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticated, HasScope, AuthorCanWrite]
    required_scopes = SCOPES

    @transaction.non_atomic_requests
    def dispatch(self, request, *args, **kwargs):
        # as_view() copies this mark onto the view function Django checks.
        return super().dispatch(request, *args, **kwargs)


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


class CommentFilter(serializers.Serializer):
    # The bound keeps huge numbers out of the database driver (SQLite: OverflowError).
    note = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class CommentPages(PageNumberPagination):
    page_size = 20

    def get_page_number(self, request, paginator):
        # DRF reads an empty ?page= as page 1; the schema says it is a number.
        number = request.query_params.get(self.page_query_param, 1)
        return paginator.num_pages if number in self.last_page_strings else number


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


def _q(description):
    """The ``q`` parameter as SearchParams takes it: clients generated from the schema know its limit."""
    limit = SearchParams().fields["q"].max_length
    return OpenApiParameter("q", {"type": "string", "maxLength": limit}, description=description)


@extend_schema(
    parameters=[_q("Part of the title.")],
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


@transaction.non_atomic_requests  # Django refuses ATOMIC_REQUESTS for async views
@extend_schema(
    parameters=[_q("Part of the text.")],
    responses=inline_serializer("CommentSearchResults", {"results": CommentSerializer(many=True)}),
)
@async_api_view(["GET"])
@permission_classes([permissions.IsAuthenticated, HasScope])
@throttle_classes([ScopedRateThrottle])
async def comment_search(request):
    """Comments whose text has ``q``: an async (adrf) view, on the same ``search`` budget as /api/search/.

    Under ASGI with Redis the throttle counts on the event loop (redis.asyncio).
    """
    params = SearchParams(data=request.query_params)
    params.is_valid(raise_exception=True)
    comments = [c async for c in Comment.objects.filter(text__icontains=params.validated_data["q"])[:20]]
    return Response({"results": CommentSerializer(comments, many=True, context={"request": request}).data})


comment_search.cls.throttle_scope = "search"
comment_search.cls.required_scopes = {"GET": READ, "HEAD": READ}


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


@csrf_exempt  # read-only: a QUERY or POST gets 405 from require_safe, not a CSRF 403
@require_safe
@ratelimit(key="ip", rate=lambda group, request: settings.RATELIMIT_VIEW_RATE)
def ping(request):
    """A plain Django view, limited per client address by django-ratelimit."""
    return JsonResponse({"pong": True})


@csrf_exempt  # read-only, as above
@require_safe
def note_text(request, pk):
    """A plain Django view that serves a note as text: unknown ids are 404.

    It shows a note, so it asks what ``NoteViewSet`` asks before it does: the
    API's authenticators, its permissions and the ``notes:read`` scope.  A
    refusal raised here is answered by ``ErrorMiddleware`` with the API's codes.
    """
    # The viewset as its router builds it for GET /api/notes/<pk>/, without running it.
    notes = NoteViewSet(action_map={"get": "retrieve", "head": "retrieve"}, args=(), kwargs={"pk": pk})
    api_request = notes.request = notes.initialize_request(request)
    try:
        notes.check_permissions(api_request)
        note = get_object_or_404(Note, pk=pk)
        notes.check_object_permissions(api_request, note)
    except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed) as exc:
        # The challenge DRF's APIView.handle_exception would attach: the API's own.
        exc.auth_header = notes.get_authenticate_header(api_request)
        raise
    return JsonResponse({"title": note.title, "body": note.body})


class LoginRateThrottle(ScopedRateThrottle):
    """Counts login attempts per account name and client address (scope ``login``).

    Guessing one account's password from one address meets 429 after the
    ``login`` rate; other accounts and addresses keep logging in.  The name is
    hashed: cache keys stay short and safe whatever the client sends.
    """

    def get_cache_key(self, request, view):
        data = request.data
        username = str(data.get("username", "")) if isinstance(data, dict) else ""
        account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{account}"}


class LoginSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False)


@declares_errors("unauthorized_client")
@extend_schema(
    request=LoginSerializer,
    responses=inline_serializer("LoggedIn", {"username": serializers.CharField()}),
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
@throttle_classes([LoginRateThrottle])
def log_in(request):
    """Session login, throttled against password guessing.

    An unknown user and a wrong password get the very same answer.
    """
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if user is None:
        raise UnauthorizedClient(_("The username or password is not correct."))
    login(request._request, user)
    return Response({"username": user.username})


log_in.cls.throttle_scope = "login"


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
@authentication_classes([SessionAuthentication])
@permission_classes([permissions.IsAuthenticated])
def log_out(request):
    """Ends the session: its cookie answers ``session_expired`` from now on."""
    logout(request._request)
    return Response(status=204)
