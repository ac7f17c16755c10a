"""Pages of the board. Function views; access through tracker.permissions only."""

import tempfile

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url
from django_tables2 import RequestConfig

from . import permissions
from .filters import AssignmentFilter, MeetingFilter
from .models import ActionItem, Assignment
from .tables import AssignmentTable, MeetingTable, write_ledger


@require_GET
def home(request):
    """Send each role to the page it uses most."""
    if permissions.can_view_dashboard(request.user) and not permissions.is_office(request.user):
        return redirect("tracker:dashboard")
    return redirect("tracker:item_list")


# --- Pages A: lists, board, meetings, export ------------------------------------------------------

ITEMS_PER_PAGE = 25
MEETINGS_PER_PAGE = 25
BOARD_COLUMN_LIMIT = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The board's buttons: actions that move a card to another column. Those needing a note open their
# form (pages B) instead of posting straight away.
BOARD_ACTIONS = [
    ("accept", "签收", False),
    ("submit_done", "申请办结", True),
    ("close", "办结销号", False),
    ("return_for_rework", "退回重办", True),
]


def _assignments_for(user):
    """Return the user's assignments with everything a row shows, fetched in one query."""
    return permissions.visible_assignments(user).select_related("item__meeting", "department").with_light()


def _default_order():
    """Open work first, soonest due first; pk last so the order is total."""
    open_first = Case(When(status__in=Assignment.OPEN_STATUSES, then=Value(0)), default=Value(1))
    return (open_first, F("due_date").asc(nulls_last=True), "pk")


def _status_counts(queryset) -> dict:
    """Count assignments per status, and in all, with one aggregate query."""
    counts = {s.value: Count("pk", filter=Q(status=s)) for s in Assignment.Status}
    return queryset.order_by().aggregate(all=Count("pk"), **counts)


def _more_filters_open(filterset) -> bool:
    """Unfold the less used filters when one of them is set."""
    folded = ("meeting", "department", "role", "due_from", "due_to")
    return any(filterset.form.cleaned_data.get(name) for name in folded)


def _fragment_or_page(request, template, fragment, context):
    """Render the fragment for htmx and the whole page otherwise; the two must not share a cache entry."""
    name = f"{template}#{fragment}" if request.htmx else template
    response = render(request, name, context)
    patch_vary_headers(response, ["HX-Request"])
    if request.htmx and any(not v for v in request.GET.values()):
        # Keep the address bar free of the form's empty fields.
        clean = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            clean.setlist(key, [v for v in values if v])
        push_url(response, f"{request.path}?{clean.urlencode()}" if clean else request.path)
    return response


@require_GET
def item_list(request):
    """我的事项: the assignments the user may see, filtered, sorted, paged, with counts per status."""
    filterset = AssignmentFilter(request.GET, queryset=_assignments_for(request.user), request=request)
    filterset.is_valid()
    counts = _status_counts(filterset.qs_without("status"))
    current = filterset.form.cleaned_data.get("status") or ""
    tabs = [{"code": "", "label": "全部", "count": counts["all"], "active": not current}]
    tabs += [
        {"code": s.value, "label": s.label, "count": counts[s.value], "active": current == s.value}
        for s in Assignment.Status
    ]
    table = AssignmentTable(filterset.qs.order_by(*_default_order()))
    RequestConfig(request, paginate={"per_page": ITEMS_PER_PAGE}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "tabs": tabs,
        "status": current,
        "can_export": permissions.can_export(request.user),
        "more_filters_open": _more_filters_open(filterset),
    }
    return _fragment_or_page(request, "tracker/item_list.html", "item-table", context)


@require_GET
def item_export(request):
    """Download the filtered, sorted list as a 台账 .xlsx."""
    if not permissions.can_export(request.user):
        raise PermissionDenied
    filterset = AssignmentFilter(request.GET, queryset=_assignments_for(request.user), request=request)
    filterset.is_valid()
    # The table applies the same sort as the page the user is looking at.
    table = AssignmentTable(filterset.qs.order_by(*_default_order()), order_by=request.GET.get("sort"))
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_ledger(table.data.data.iterator(chunk_size=2000), file)
    file.seek(0)
    name = f"督办台账-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX)


@require_GET
def board(request):
    """看板: assignments in columns by status, newest first, each column capped."""
    user = request.user
    filterset = AssignmentFilter(request.GET, queryset=_assignments_for(user), request=request)
    filterset.is_valid()
    assignments = filterset.qs_without("status")
    counts = _status_counts(assignments)
    newest = Window(RowNumber(), partition_by=F("status"), order_by=[F("updated_at").desc(), F("pk").desc()])
    cards = assignments.annotate(rank=newest).filter(rank__lte=BOARD_COLUMN_LIMIT).order_by("status", "rank")
    columns = {
        s.value: {"code": s.value, "label": s.label, "count": counts[s.value], "cards": []}
        for s in Assignment.Status
    }
    for card in cards:
        allowed = permissions.allowed_actions(user, card)
        card.board_actions = [
            {"name": name, "label": label, "needs_form": needs_form}
            for name, label, needs_form in BOARD_ACTIONS
            if name in allowed
        ]
        columns[card.status]["cards"].append(card)
    for column in columns.values():
        column["more"] = column["count"] - len(column["cards"])
    context = {
        "filter": filterset,
        "columns": list(columns.values()),
        "total": counts["all"],
        "limit": BOARD_COLUMN_LIMIT,
        "more_filters_open": _more_filters_open(filterset),
    }
    return _fragment_or_page(request, "tracker/board.html", "board", context)


@require_GET
def meeting_list(request):
    """Meetings with how many of their items the user may see, are done and are overdue."""
    user = request.user
    live = Q(items__state__in=[ActionItem.State.ACTIVE, ActionItem.State.DONE])
    if not permissions.is_office(user):
        live &= Q(items__in=permissions.visible_items(user).values("pk"))
    meetings = permissions.visible_meetings(user).annotate(
        n_items=Count("items", filter=live),
        n_done=Count("items", filter=live & Q(items__state=ActionItem.State.DONE)),
        n_overdue=Count("items", filter=live & Q(items__in=ActionItem.objects.overdue().values("pk"))),
        n_drafts=Count("items", filter=Q(items__state=ActionItem.State.DRAFT)),
    )
    filterset = MeetingFilter(request.GET, queryset=meetings, request=request)
    exclude = () if permissions.is_office(user) else ("n_drafts",)
    table = MeetingTable(filterset.qs.order_by("-date", "-pk"), exclude=exclude)
    RequestConfig(request, paginate={"per_page": MEETINGS_PER_PAGE}).configure(table)
    context = {"filter": filterset, "table": table}
    return _fragment_or_page(request, "tracker/meeting_list.html", "meeting-table", context)


MEETING_ITEM_STATES = [
    ("", "全部"),
    ("active", "办理中"),
    ("done", "已办结"),
    ("draft", "待确认"),
    ("cancelled", "已撤销"),
]


@require_GET
def meeting_detail(request, pk):
    """One meeting: its facts, and its items with each department's part and light."""
    user = request.user
    meeting = get_object_or_404(permissions.visible_meetings(user), pk=pk)
    items = permissions.visible_items(user).filter(meeting=meeting)
    counts = items.order_by().aggregate(
        all=Count("pk"),
        **{code: Count("pk", filter=Q(state=code)) for code, _ in MEETING_ITEM_STATES if code},
    )
    state = request.GET.get("state", "")
    if state not in counts:
        state = ""
    tabs = [
        {"code": code, "label": label, "count": counts[code or "all"], "active": code == state}
        for code, label in MEETING_ITEM_STATES
        if not code or counts[code] or code in ("active", "done")
    ]
    if state:
        items = items.filter(state=state)
    parts = (
        Assignment.objects.select_related("department")
        .with_light()
        .order_by("-role", "department__name", "pk")
    )
    items = items.prefetch_related(Prefetch("assignments", queryset=parts)).order_by("position", "pk")
    context = {"meeting": meeting, "items": items, "tabs": tabs, "state": state}
    return _fragment_or_page(request, "tracker/meeting_detail.html", "meeting-items", context)


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
