from rest_framework import permissions


class OwnerCanWrite(permissions.BasePermission):
    """Everybody signed in reads every note; only its owner changes it."""

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.owner_id == request.user.id
