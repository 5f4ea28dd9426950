from rest_framework import permissions

from django_api_errors.exceptions import InsufficientScope
from example_project.notes.models import ApiToken


class TokenScopes(permissions.BasePermission):
    """Token requests need the view's ``required_scopes[method]``; sessions pass."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = set(getattr(view, "required_scopes", {}).get(request.method, ()))
        if needed - token.scope_set:
            raise InsufficientScope(scopes=sorted(needed))
        return True


class OwnerCanWrite(permissions.BasePermission):
    """Everybody signed in reads every note; only its owner changes it."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.owner_id == request.user.id


class AuthorCanWrite(permissions.BasePermission):
    """Everybody signed in reads every comment; only its author changes or deletes it."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.author_id == request.user.id
