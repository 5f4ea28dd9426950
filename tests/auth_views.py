"""Views behind each authentication scheme, for the authentication tests.

The optional packages' classes are named by dotted path and imported when a
request comes in, so the URLconf loads without them.
"""

from django.contrib.auth import authenticate, login, logout
from django.utils.module_loading import import_string
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django_api_errors.auth.authentication import ExpiringTokenAuthentication
from django_api_errors.auth.permissions import HasScope


def lazy(path):
    """A stand-in for a class in ``authentication_classes``/``permission_classes``."""
    return lambda: import_string(path)()


class LogIn(APIView):
    """A session login, as an application writes one: the session tests need a real cookie."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        user = authenticate(request._request, **request.data)
        if user is None:
            raise AuthenticationFailed()
        login(request._request, user)
        return Response({"username": user.username})


class LogOut(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        logout(request._request)
        return Response(status=204)


class WhoAmI(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.username or None})

    post = get


class SessionView(WhoAmI):
    authentication_classes = [SessionAuthentication]


class OpenSessionView(WhoAmI):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]


class SessionOrTokenView(WhoAmI):
    authentication_classes = [SessionAuthentication, TokenAuthentication]


class DrfTokenView(WhoAmI):
    authentication_classes = [TokenAuthentication]


class ExpiringTokenView(WhoAmI):
    authentication_classes = [ExpiringTokenAuthentication]


class JWTView(WhoAmI):
    authentication_classes = [lazy("django_api_errors.contrib.simplejwt.JWTAuthentication")]
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = {"POST": ["notes:write"]}


class ScopedJWTView(JWTView):
    """The README's scopes by method, which name no scope for PUT or PATCH."""

    required_scopes = {"GET": ["notes:read"], "POST": ["notes:write"], "DELETE": ["notes:delete"]}
    put = patch = delete = WhoAmI.get


class StatelessJWTView(WhoAmI):
    authentication_classes = [lazy("django_api_errors.contrib.simplejwt.JWTStatelessUserAuthentication")]

    def get(self, request):
        return Response({"user_id": request.user.id})


OAUTH = [lazy("django_api_errors.contrib.oauth2.OAuth2Authentication")]


class OAuthReadView(WhoAmI):
    authentication_classes = OAUTH
    permission_classes = [lazy("django_api_errors.contrib.oauth2.TokenHasScope")]
    required_scopes = ["notes:read"]


class OAuthWriteView(OAuthReadView):
    required_scopes = ["notes:write", "notes:read"]


class OAuthReadWriteView(WhoAmI):
    authentication_classes = OAUTH
    permission_classes = [lazy("django_api_errors.contrib.oauth2.TokenHasReadWriteScope")]


class OAuthStockScopeView(WhoAmI):
    """The toolkit's own TokenHasScope: only the handler sees its refusal."""

    authentication_classes = OAUTH
    permission_classes = [lazy("oauth2_provider.contrib.rest_framework.TokenHasScope")]
    required_scopes = ["notes:write"]


class OAuthHasScopeView(WhoAmI):
    authentication_classes = OAUTH
    permission_classes = [HasScope]
    required_scopes = ["notes:write"]
