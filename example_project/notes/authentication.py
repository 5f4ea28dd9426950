from django_api_errors.authentication import ExpiringTokenAuthentication
from example_project.notes.models import ApiToken


class ApiTokenAuthentication(ExpiringTokenAuthentication):
    """``Authorization: Bearer <key>`` with the app's documented errors.

    Expired tokens answer ``session_expired``, unknown ones ``unauthorized_client``;
    ``request.auth.scopes`` is what ``HasScope`` checks.
    """

    model = ApiToken
    keyword = "Bearer"
    www_authenticate_realm = "notes"

    def expires_at(self, token):
        return token.expires
