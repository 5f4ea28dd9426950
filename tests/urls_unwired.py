from django.urls import path

from tests import views

urlpatterns = [path("x/", views.OrderView.as_view())]
handler404 = "django_api_errors.views.page_not_found"
