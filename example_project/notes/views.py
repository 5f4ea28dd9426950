from django.conf import settings
from django.db.models import Avg, Count
from django.db.models.functions import Length
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from example_project.notes.models import Comment, Note
from example_project.notes.permissions import AuthorCanWrite, OwnerCanWrite, TokenScopes
from example_project.notes.serializers import CommentSerializer, NoteSerializer

READ = ("notes:read",)
WRITE = ("notes:write",)


class NoteViewSet(viewsets.ModelViewSet):
    queryset = Note.objects.select_related("owner")
    serializer_class = NoteSerializer
    permission_classes = [permissions.IsAuthenticated, TokenScopes, OwnerCanWrite]
    required_scopes = {
        "GET": READ,
        "HEAD": READ,
        "POST": WRITE,
        "PUT": WRITE,
        "PATCH": WRITE,
        "DELETE": ("notes:delete",),
    }


class CommentViewSet(viewsets.ModelViewSet):
    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    permission_classes = [permissions.IsAuthenticated, TokenScopes, AuthorCanWrite]
    required_scopes = {"GET": READ, "POST": WRITE, "PUT": WRITE, "PATCH": WRITE, "DELETE": WRITE}


@extend_schema(
    parameters=[OpenApiParameter("q", str, description="Part of the title.")],
    responses=inline_serializer("SearchResults", {"results": NoteSerializer(many=True)}),
)
@api_view(["GET"])
@throttle_classes([ScopedRateThrottle])
def search(request):
    """Full-text-ish search, throttled to a few requests a minute per user."""
    query = request.query_params.get("q", "")
    notes = Note.objects.filter(title__icontains=query)[:20]
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
