from django.contrib.staticfiles.views import serve
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# Everything the example serves is in its OpenAPI schema except these paths
# (and the ".json" format-suffix aliases DRF's router adds to every route);
# tests/test_clients.py checks that nothing else is left out.
NOT_IN_SCHEMA = {
    "/api/schema/": "the schema document itself",
    "/api/docs/": "the HTML page that renders the schema",
    "/api/": "DRF's API root: links to the collections, for people browsing",
    "/static/{path}": "the docs page's assets",
    "/api/camel-notes/": "the notes again in camelCase; one Note component cannot describe both spellings",
    "/api/camel-notes/{id}/": "as above",
}

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
