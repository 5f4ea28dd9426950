from django.urls import path

from tests import auth_views as views

urlpatterns = [
    path("login/", views.LogIn.as_view()),
    path("logout/", views.LogOut.as_view()),
    path("session/", views.SessionView.as_view()),
    path("open/", views.OpenSessionView.as_view()),
    path("session-or-token/", views.SessionOrTokenView.as_view()),
    path("drf-token/", views.DrfTokenView.as_view()),
    path("expiring-token/", views.ExpiringTokenView.as_view()),
    path("jwt/", views.JWTView.as_view()),
    path("jwt-scoped/", views.ScopedJWTView.as_view()),
    path("jwt-stateless/", views.StatelessJWTView.as_view()),
    path("oauth/read/", views.OAuthReadView.as_view()),
    path("oauth/write/", views.OAuthWriteView.as_view()),
    path("oauth/read-write/", views.OAuthReadWriteView.as_view()),
    path("oauth/stock-scope/", views.OAuthStockScopeView.as_view()),
    path("oauth/has-scope/", views.OAuthHasScopeView.as_view()),
]
