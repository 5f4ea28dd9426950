"""A site whose API sits under ``i18n_patterns``, as sites that translate their URLs have it."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from tests import unconditional_views, views

urlpatterns = [path("drf/moved/", views.to_english)]  # a view's own redirect into the prefixed paths
urlpatterns += i18n_patterns(
    path("plain/echo/", views.echo_body),
    path("drf/echo/", views.EchoAPIView.as_view()),
    path("drf/moved/", views.EchoAPIView.as_view()),
    path("drf/notes/<int:pk>/", unconditional_views.detail(unconditional_views.Notes)),
)

handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
