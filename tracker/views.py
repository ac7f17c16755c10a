"""Pages of the board. Function views; access through tracker.permissions only."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions


@require_GET
def home(request):
    """Send each role to the page it uses most."""
    if permissions.can_view_dashboard(request.user) and not permissions.is_office(request.user):
        return redirect("tracker:dashboard")
    return redirect("tracker:item_list")


# --- Pages A: lists, board, meetings, export ------------------------------------------------------


@require_GET
def item_list(request):
    """我的事项: the user's assignments as a filterable, sortable table (TODO pages A)."""
    return render(request, "tracker/item_list.html", {})


@require_GET
def item_export(request):
    """Download the filtered list as a 台账 .xlsx (TODO pages A)."""
    return HttpResponse(status=501)


@require_GET
def board(request):
    """看板: assignments in columns by status (TODO pages A)."""
    return render(request, "tracker/board.html", {})


@require_GET
def meeting_list(request):
    """Meetings with item counts (TODO pages A)."""
    return render(request, "tracker/meeting_list.html", {})


@require_GET
def meeting_detail(request, pk):
    """One meeting with its items and lights (TODO pages A)."""
    meeting = get_object_or_404(permissions.visible_meetings(request.user), pk=pk)
    return render(request, "tracker/meeting_detail.html", {"meeting": meeting})


# --- Pages B: one item and its actions, dashboard -------------------------------------------------


@require_GET
def item_detail(request, pk):
    """One item: source sentence, assignments, journal, and the actions the viewer may take (TODO B)."""
    item = get_object_or_404(permissions.visible_items(request.user).select_related("meeting"), pk=pk)
    return render(request, "tracker/item_detail.html", {"item": item})


@require_http_methods(["GET", "POST"])
def item_update(request, pk):
    """Office: edit a draft's text, deadline and departments (TODO B)."""
    return HttpResponse(status=501)


@require_POST
def item_confirm(request, pk):
    """Office: confirm a reviewed draft (交办) (TODO B)."""
    return HttpResponse(status=501)


@require_http_methods(["GET", "POST"])
def item_cancel(request, pk):
    """Office: cancel an item with a reason (TODO B)."""
    return HttpResponse(status=501)


@require_http_methods(["GET", "POST"])
def item_comment(request, pk):
    """Managers: leave an instruction (批示) or a comment (TODO B)."""
    return HttpResponse(status=501)


@require_http_methods(["GET", "POST"])
def assignment_update(request, pk, action):
    """Take one workflow action on an assignment through its small form (TODO B)."""
    return HttpResponse(status=501)


@require_GET
def dashboard(request):
    """Managers: progress by department and by meeting, trends (TODO B)."""
    return render(request, "tracker/dashboard.html", {})
