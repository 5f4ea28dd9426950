"""The shared URLs with this app's Django error views, as its README wires them."""

from bench.urls import urlpatterns

__all__ = ["urlpatterns"]

handler400 = "django_api_errors.views.bad_request"
handler403 = "django_api_errors.views.permission_denied"
handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
