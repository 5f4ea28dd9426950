from django.urls import include, path

urlpatterns = [path("api/", include("example_project.notes.urls"))]

handler400 = "django_api_errors.views.bad_request"
handler403 = "django_api_errors.views.permission_denied"
handler404 = "django_api_errors.views.page_not_found"
handler500 = "django_api_errors.views.server_error"
