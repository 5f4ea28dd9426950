from django.urls import path

from tests import views

# A view throttled by its own throttle_classes, for the W004 check.
urlpatterns = [path("drf/scoped-throttle/", views.ScopedThrottledView.as_view())]
