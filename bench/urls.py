"""URLs shared by every configuration; Django's own error handlers."""

from django.urls import path

from bench import views

urlpatterns = [
    path("items/<int:pk>/", views.ItemView.as_view()),
    path("signup/", views.SignupView.as_view()),
    path("orders/", views.OrderView.as_view()),
    path("throttled/", views.ThrottledView.as_view()),
    path("boom/", views.BoomView.as_view()),
]
