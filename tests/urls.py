from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.parsers import JSONParser

from tests import views

urlpatterns = [
    path("drf/raise/<str:name>/", views.RaiseAPIView.as_view()),
    path("drf/browsable/raise/<str:name>/", views.BrowsableRaiseAPIView.as_view()),
    path("plain/raise/<str:name>/", views.RaiseView.as_view()),
    path("drf/orders/", views.OrderView.as_view()),
    path("drf/session/", views.SessionOnlyView.as_view()),
    path("drf/ratelimited/", views.drf_ratelimited),
    path("plain/ratelimited-cbv/", views.RatelimitedView.as_view()),
    path("plain/ratelimited-fbv/", views.fbv_ratelimited),
    path("plain/csrf/", views.csrf_form),
    path("plain/atomic/", views.atomic_partial_write),
    path("plain/get-only/", views.GetOnlyView.as_view()),
    path("plain/returns-400/", views.returns_bad_request),
    path("plain/returns-429/", views.returns_429),
    path("plain/returns-429-wait/", views.returns_429_with_wait),
    path("plain/returns-401/", views.returns_401),
    path("plain/returns-json-400/", views.returns_json_error),
    path("plain/returns-429-now/", views.returns_429_now),
    path("plain/echo/", views.echo_body),
    path("plain/echo-decoded/", views.echo_decoded),
    path("plain/see-other/", views.see_other),
    path("plain/dated/", views.dated),
    path("drf/echo/", views.EchoAPIView.as_view()),
    path("drf/json-echo/", views.EchoAPIView.as_view(parser_classes=[JSONParser])),
    path("drf/merge-patch/", views.MergePatchAPIView.as_view()),
    path("drf/comment-check/", views.CommentCheckAPIView.as_view()),
    path("drf/notes-since/", views.NotesSinceAPIView.as_view()),
    path("plain/part/", views.echo_part),
    path("drf/part/", views.PartAPIView.as_view()),
    path("drf/part-viewset/", views.PartViewSet.as_view({"put": "update"})),
    path("plain/part-class/", views.PartView.as_view()),
    path("plain/part-off/", views.PartView.as_view(accepts_partial_put=False)),
    path("drf/part-on/", views.EchoAPIView.as_view(accepts_partial_put=True)),
    path("drf/post-viewset/", views.PartViewSet.as_view({"post": "update"}, accepts_partial_put=False)),
    path("plain/upload/", views.upload),
    path("drf/upload/", views.UploadAPIView.as_view()),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("conditional/", include("tests.conditional_views")),
    path("unconditional/", include("tests.unconditional_views")),
    path("authn/", include("tests.auth_urls")),
    path("trace/", include("tests.trace_views")),
    path("naming/", include("tests.naming_views")),
]

handler400 = "django_api_errors.views.bad_request"
handler403 = "django_api_errors.views.permission_denied"
handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
