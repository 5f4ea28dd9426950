"""``i18n_patterns`` without a prefix for the default language (``prefix_default_language=False``)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from tests import unconditional_views

urlpatterns = i18n_patterns(
    path("drf/notes/<int:pk>/", unconditional_views.detail(unconditional_views.Notes)),
    prefix_default_language=False,
)
