"""Views that raise each error of the mapping, for DRF and for plain Django."""

from django import forms
from django.contrib.auth import get_user_model
from django.core import exceptions as dj
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse, UnreadablePostError
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited
from rest_framework import exceptions as drf
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from django_api_errors import exceptions as api
from tests.models import Comment, Note


def _user(name="alice"):
    return get_user_model().objects.get_or_create(username=name)[0]


def _duplicate_note():
    user = _user()
    Note.objects.create(owner=user, title="dup")
    Note.objects.create(owner=user, title="dup")


def _protected_delete():
    user = _user()
    note = Note.objects.create(owner=user, title="protected")
    Comment.objects.create(note=note, author=user, text="hi")
    note.delete()


def _full_clean():
    Note(owner=_user(), title="x" * 200).full_clean()


def _full_clean_duplicate():
    user = _user()
    Note.objects.create(owner=user, title="dup")
    Note(owner=user, title="dup").full_clean()  # the UniqueConstraint on (owner, title)


def _full_clean_taken_username():
    _user()
    get_user_model()(username="alice", password="x").full_clean()  # unique=True


def _two_rows_then_fail():
    Note.objects.create(owner=_user(), title="first")
    Note.objects.create(owner=_user(), title="second")
    raise RuntimeError("secret-internal-detail /etc/passwd SELECT * FROM auth_user")


# What each raising view raises, by name.
RAISES = {
    "drf_validation": lambda: (_ for _ in ()).throw(
        drf.ValidationError({"title": ["This field is required."]})
    ),
    "django_validation": _full_clean,
    "django_unique_together": _full_clean_duplicate,
    "django_unique": _full_clean_taken_username,
    "bad_request": lambda: (_ for _ in ()).throw(dj.BadRequest("bad")),
    "suspicious": lambda: (_ for _ in ()).throw(dj.SuspiciousOperation("secret-internal-detail")),
    "disallowed_host": lambda: (_ for _ in ()).throw(dj.DisallowedHost("evil.example")),
    "too_many_fields": lambda: (_ for _ in ()).throw(dj.TooManyFieldsSent("too many")),
    "too_many_files": lambda: (_ for _ in ()).throw(dj.TooManyFilesSent("too many")),
    "too_big": lambda: (_ for _ in ()).throw(dj.RequestDataTooBig("too big")),
    "unreadable_body": lambda: (_ for _ in ()).throw(UnreadablePostError("Connection reset by peer")),
    "not_acceptable": lambda: (_ for _ in ()).throw(drf.NotAcceptable()),
    "unsupported": lambda: (_ for _ in ()).throw(drf.UnsupportedMediaType("text/xml")),
    "not_authenticated": lambda: (_ for _ in ()).throw(drf.NotAuthenticated()),
    "authentication_failed": lambda: (_ for _ in ()).throw(drf.AuthenticationFailed()),
    "session_expired": lambda: (_ for _ in ()).throw(api.SessionExpired()),
    "drf_permission": lambda: (_ for _ in ()).throw(drf.PermissionDenied()),
    "django_permission": lambda: (_ for _ in ()).throw(dj.PermissionDenied("secret-internal-detail")),
    "insufficient_scope": lambda: (_ for _ in ()).throw(
        api.InsufficientScope(scopes=["notes:write", "notes:read"])
    ),
    "http404": lambda: (_ for _ in ()).throw(Http404("No Note matches secret-internal-detail")),
    "drf_not_found": lambda: (_ for _ in ()).throw(drf.NotFound()),
    "get_object_or_404": lambda: get_object_or_404(Note, pk=987654),
    "integrity_unique": _duplicate_note,
    "integrity_other": lambda: (_ for _ in ()).throw(IntegrityError("NOT NULL constraint failed: secret")),
    "protected": _protected_delete,
    "precondition_failed": lambda: (_ for _ in ()).throw(api.PreconditionFailed()),
    "throttled": lambda: (_ for _ in ()).throw(drf.Throttled(wait=12.2)),
    "throttled_no_wait": lambda: (_ for _ in ()).throw(drf.Throttled()),
    "ratelimited": lambda: (_ for _ in ()).throw(Ratelimited()),
    "unexpected": lambda: (_ for _ in ()).throw(ValueError("secret-internal-detail /srv/app/settings.py")),
    "partial_write": _two_rows_then_fail,
}


class RaiseAPIView(APIView):
    renderer_classes = [JSONRenderer]  # an API without the browsable renderer
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request, name):
        RAISES[name]()
        return Response({"ok": True})

    post = get


class BrowsableRaiseAPIView(RaiseAPIView):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]


class RaiseView(View):
    def get(self, request, name):
        RAISES[name]()
        return HttpResponse("ok")

    post = get


class NestedSerializer(serializers.Serializer):
    name = serializers.CharField()
    qty = serializers.IntegerField(min_value=1)


class OrderSerializer(serializers.Serializer):
    customer = serializers.CharField()
    items = NestedSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=3))
    meta = serializers.DictField(child=serializers.IntegerField())
    address = serializers.DictField(required=False)

    def validate(self, attrs):
        if attrs.get("customer") == "nobody":
            raise serializers.ValidationError("Orders need a real customer.")
        return attrs


class OrderView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class ScopedThrottledView(APIView):
    """Throttled by its view only (no DEFAULT_THROTTLE_CLASSES): what the W004 check must find."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "search"

    def get(self, request):
        return Response({"ok": True})


class SessionOnlyView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username})

    post = get


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@ratelimit(key="ip", rate="2/m", group="tests.drf_ratelimited")
def drf_ratelimited(request):
    return Response({"ok": True})


@method_decorator(ratelimit(key="ip", rate="2/m", group="tests.cbv_ratelimited"), name="get")
class RatelimitedView(View):
    def get(self, request):
        return JsonResponse({"ok": True})


@ratelimit(key="ip", rate="2/m", group="tests.fbv_ratelimited")
def fbv_ratelimited(request):
    return JsonResponse({"ok": True})


@csrf_protect
def csrf_form(request):
    return JsonResponse({"ok": True})


def atomic_partial_write(request):
    with transaction.atomic():
        _two_rows_then_fail()
    return HttpResponse("unreachable")


class GetOnlyView(View):
    def get(self, request):
        return JsonResponse({"ok": True})


def returns_bad_request(request):
    from django.http import HttpResponseBadRequest

    return HttpResponseBadRequest("secret-internal-detail")


def returns_429(request):
    return HttpResponse("slow down", status=429)


def returns_401(request):
    response = HttpResponse("who are you", status=401)
    response.set_cookie("hint", "1")
    return response


def returns_json_error(request):
    return JsonResponse({"detail": "the view's own JSON"}, status=400)


def returns_429_with_wait(request):
    response = HttpResponse("slow down", status=429)
    response["Retry-After"] = "7"
    return response


def returns_429_now(request):
    response = HttpResponse("slow down", status=429, content_type="text/plain")
    response["Retry-After"] = "0"
    return response


@csrf_exempt
def echo_body(request):
    """A plain view that answers with what it received."""
    return JsonResponse({"length": len(request.body), "body": request.body.decode()})


def echo_decoded(request):
    """A plain view that decodes the body in the charset of its label."""
    return JsonResponse({"decoded": request.body.decode(request.encoding or "utf-8")})


def to_english(request):
    """A view outside ``i18n_patterns`` that answers a write with a redirect into them."""
    return HttpResponseRedirect("/en/drf/moved/")


def dated(request):
    """A plain view whose response says when it last changed (ConditionalGetMiddleware reads it)."""
    response = JsonResponse({"ok": True})
    response["Last-Modified"] = "Sat, 01 Jan 2022 00:00:00 GMT"
    return response


def see_other(request):
    """Post/Redirect/Get: a view that answers a write with a redirect to follow with a GET."""
    return HttpResponseRedirect("/plain/echo/")


def echo_part(request):
    """``echo_body`` for a view that stores the parts of a partial PUT itself."""
    return JsonResponse({"range": request.headers.get("Content-Range"), "body": request.body.decode()})


echo_part.accepts_partial_put = True


def _upload(data, files):
    return {"title": data.get("title"), "files": {name: upload.size for name, upload in files.items()}}


@csrf_exempt
def upload(request):
    """A plain view that answers with the form's title and its files' sizes."""
    return JsonResponse(_upload(request.POST, request.FILES))


class UploadAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response(_upload(request.data, request.FILES))


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["note", "text"]


class CommentCheckAPIView(APIView):
    """Validates a comment (its note by primary key) without saving it."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"note": serializer.validated_data["note"].pk})


class NotesSinceAPIView(APIView):
    """Counts the notes changed since ``?since=``, read as django-filter reads it (a Django form field)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        since = forms.DateTimeField().clean(request.query_params.get("since"))  # keeps the offset sent
        return Response({"count": Note.objects.filter(updated_at__gte=since).count()})


class EchoAPIView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    accepts_partial_put = False  # so that as_view() may be given it

    def post(self, request):
        if request.query_params:
            return Response({"data": request.data, "query": request.query_params.dict()})
        return Response({"data": request.data})

    put = patch = post


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class MergePatchAPIView(EchoAPIView):
    """Adds a parser in get_parsers(), not parser_classes: DRF asks get_parsers()."""

    def get_parsers(self):
        return [*super().get_parsers(), MergePatchParser()]


class PartAPIView(EchoAPIView):
    accepts_partial_put = True


class PartViewSet(viewsets.ViewSet):
    accepts_partial_put = True
    permission_classes = [AllowAny]
    authentication_classes = []

    def update(self, request):
        return Response({"data": request.data})


class PartView(View):
    accepts_partial_put = True

    def put(self, request):
        return echo_part(request)
