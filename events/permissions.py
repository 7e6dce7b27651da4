from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsOrganiserOrReadOnly(BasePermission):
    """Anyone may read; only organisers (and superusers) may create."""

    message = "Only organisers can create events."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_organiser)
