"""Template context every page needs: what the navigation may show to this user."""

from . import permissions


def navigation(request):
    """Tell templates which parts of the navigation this user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "role": permissions.role_of(user),
            "can_manage": permissions.can_manage_items(user),
            "can_dashboard": permissions.can_view_dashboard(user),
            "can_admin": user.is_staff,
        }
    }
