from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class IsAuthenticatedOrRegistering(permissions.IsAuthenticated):
    """Anyone may register (POST); everything else needs a signed-in client."""

    def has_permission(self, request, view):
        return request.method == "POST" or super().has_permission(request, view)


class IsSelfOrReadOnly(permissions.BasePermission):
    message = _("You can only change your own account.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.pk == request.user.pk


class IsAuthorOrReadOnly(permissions.BasePermission):
    message = _("You can only delete your own posts.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or obj.can_be_deleted_by(request.user)
