from django.utils.translation import gettext_lazy as _
from rest_framework import authentication

from django_api_errors.exceptions import SessionExpired, UnauthorizedClient
from example_project.notes.models import ApiToken


class ExpiringTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <key>``; expired tokens answer ``session_expired``."""

    keyword = "Bearer"
    # For the OpenAPI schema: the 401s this authenticator answers with.
    api_errors = ("unauthorized_client", "session_expired")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise UnauthorizedClient(_("The Authorization header must be 'Bearer <token>'."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise UnauthorizedClient(_("The token is not valid.")) from None
        token = ApiToken.objects.select_related("user").filter(key=key).first()
        if token is None or not token.user.is_active:
            raise UnauthorizedClient(_("The token is not valid."))
        if token.expired:
            raise SessionExpired(_("The token has expired."))
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="notes"'
