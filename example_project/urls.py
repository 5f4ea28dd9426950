from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("example_project.notes.urls")),
    # The docs page's assets, served by Django for the example only (DEBUG or not);
    # a real deployment serves static files from its web server or WhiteNoise.
    re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}),
]

handler400 = "django_api_errors.views.bad_request"
handler403 = "django_api_errors.views.permission_denied"
handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
