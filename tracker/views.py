"""Pages of the board."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import permissions


@require_GET
def home(request):
    """Send each role to the page it uses most."""
    return render(request, "tracker/home.html", {})


@require_GET
def item_detail(request, pk):
    """Show one item with its source sentence, assignments and journal."""
    item = get_object_or_404(permissions.visible_items(request.user).select_related("meeting"), pk=pk)
    return render(request, "tracker/item_detail.html", {"item": item})


@require_GET
def meeting_detail(request, pk):
    """Show one meeting with its items."""
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=pk)
    return render(request, "tracker/meeting_detail.html", {"meeting": meeting})
