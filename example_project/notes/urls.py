from adrf.routers import DefaultRouter  # DRF's, routing async viewsets to alist, aretrieve, ...
from django.urls import path

from example_project.notes import views

router = DefaultRouter(trailing_slash=True)
router.register("notes", views.NoteViewSet)
router.register("shared-notes", views.SharedNoteViewSet, basename="shared-note")
router.register("camel-notes", views.CamelNoteViewSet, basename="camel-note")
router.register("comments", views.CommentViewSet)
router.register("comment-refs", views.CommentRefViewSet, basename="comment-ref")

urlpatterns = [
    path("auth/login/", views.log_in, name="login"),
    path("auth/logout/", views.log_out, name="logout"),
    path("search/", views.search, name="search"),
    path("comment-search/", views.comment_search, name="comment-search"),
    path("stats/", views.stats, name="stats"),
    path("ping/", views.ping, name="ping"),
    path("notes/<int:pk>/text/", views.note_text, name="note-text"),
    *router.urls,
]
