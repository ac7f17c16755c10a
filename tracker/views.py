"""Pages of the board. Function views; access through tracker.permissions only."""

import contextlib
import hashlib
import html
import tempfile
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import push_url, reswap, retarget, trigger_client_event
from django_tables2 import RequestConfig

from . import forms, models, permissions
from .filters import AssignmentFilter, MeetingFilter
from .models import ActionItem, Assignment, Department, JournalEntry, TransitionError
from .tables import AssignmentTable, KeysFirst, MeetingTable, ledger_rows, write_ledger


@require_GET
def home(request):
    """Send each role to the page it uses most."""
    if permissions.can_view_dashboard(request.user) and not permissions.is_office(request.user):
        return redirect("tracker:dashboard")
    return redirect("tracker:item_list")


# --- Pages A: lists, board, meetings, export ------------------------------------------------------

ITEMS_PER_PAGE = 25
MEETINGS_PER_PAGE = 25
BOARD_COLUMN_LIMIT = 20  # a column shows the newest; the rest are one click away in the list
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The board's buttons: actions that move a card to another column. Those needing a note open their
# form (pages B) instead of posting straight away.
BOARD_ACTIONS = [
    ("accept", "签收", False),
    ("submit_done", "申请办结", True),
    ("close", "办结销号", False),
    ("return_for_rework", "退回重办", True),
]


BOARD_CARD_FIELDS = (
    "item_id",
    "department_id",
    "role",
    "status",
    "progress",
    "due_date",
    "extension_date",
    "item__text",
    "item__state",
    "department__name",
)


def _assignments_for(user):
    """Return the user's assigned work with everything a list row shows, fetched in one query."""
    return (
        permissions.visible_work(user)
        .with_light()
        .with_reminded()
        .select_related("item__meeting", "department")
        # A row shows the meeting's title; its text (the whole minutes) and the item's import
        # metadata would be read, decoded and dropped for every row.
        .defer("item__meeting__text", "item__mentions", "item__targets")
    )


def _default_order():
    """Open work first, soonest due first; pk last so the order is total."""
    # Columns the database computes (Assignment.open_rank, due_rank) and an index serves.
    return ("open_rank", "due_rank", "pk")


def _status_counts(queryset) -> dict:
    """Count assignments per status, and in all, with one aggregate query."""
    counts = {s.value: Count("pk", filter=Q(status=s)) for s in Assignment.Status}
    return queryset.order_by().aggregate(all=Count("pk"), **counts)


# Filters the kept counts (tracker.models.AssignmentTally) can answer; others need a real count.
TALLY_FILTERS = {"status", "department", "light"}


def _tab_counts(user, filterset) -> dict:
    """Counts per status for the tabs, read from the kept counts when the filters allow it.

    Only status (which the tabs ignore), department and light narrow the list: then the counts are
    sums over a few thousand kept rows, not a count of every assignment the user may see.
    """
    chosen = {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}
    if set(chosen) - TALLY_FILTERS:
        return _status_counts(filterset.qs_without("status"))
    counts = permissions.in_visible_departments(user, models.AssignmentTally.objects.all())
    if chosen.get("department"):
        counts = counts.filter(department=chosen["department"])
    return counts.status_counts(light=chosen.get("light"))


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
    counts = _tab_counts(request.user, filterset)
    current = filterset.form.cleaned_data.get("status") or ""
    tabs = [{"code": "", "label": "全部", "count": counts["all"], "active": not current}]
    tabs += [
        {"code": s.value, "label": s.label, "count": counts[s.value], "active": current == s.value}
        for s in Assignment.Status
    ]
    # Staff see their own department only: its name in every row would say nothing.
    exclude = () if "department" in filterset.filters else ("department",)
    # The tabs counted the rows already: the paginator needs no count of its own.
    length = counts[current or "all"] if filterset.form.is_valid() else None
    rows = KeysFirst(filterset.qs.order_by(*_default_order()), length=length)
    table = AssignmentTable(rows, exclude=exclude)
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
    write_ledger(ledger_rows(table.data.data), file)
    file.seek(0)
    name = f"督办台账-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX)


@require_GET
def board(request):
    """看板: assignments in columns by status, newest first, each column capped."""
    user = request.user
    # Only what a card shows and its buttons need: a list row carries more (meeting, dates). The
    # light is worked out in Python for the 100 cards rather than by the database for each column.
    cards = (
        permissions.visible_work(user)
        .select_related("item", "department")
        .only(*BOARD_CARD_FIELDS)
        .with_reminded()
    )
    filterset = AssignmentFilter(request.GET, queryset=cards, request=request)
    filterset.is_valid()
    assignments = filterset.qs_without("status")
    counts = _tab_counts(user, filterset)
    columns = []
    on = models.today()
    # The buttons depend on a few facts of a card, not on the card: asked once per combination.
    buttons = {}
    for status in Assignment.Status:
        # One small query per column: a top-N sort is far cheaper than ranking every row.
        newest = assignments.filter(status=status).order_by("-updated_at", "-pk")[:BOARD_COLUMN_LIMIT]
        cards = list(newest)
        for card in cards:
            card.light_code = card.light(on)
            facts = (card.status, card.extension_date is None, card.department_id, card.item.state)
            if facts not in buttons:
                allowed = permissions.allowed_actions(user, card)
                buttons[facts] = [
                    {"name": name, "label": label, "needs_form": needs_form}
                    for name, label, needs_form in BOARD_ACTIONS
                    if name in allowed
                ]
            card.board_actions = buttons[facts]
        count = counts[status.value]
        columns.append(
            {
                "code": status.value,
                "label": status.label,
                "count": count,
                "cards": cards,
                "more": count - len(cards),
            }
        )
    context = {
        "filter": filterset,
        "columns": columns,
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
    if state not in {code for code, _ in MEETING_ITEM_STATES}:
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

ITEM_PARTS = ("item-summary", "item-assignments", "item-journal")
DASHBOARD_PARTS = ("dept-table", "trend-chart")
# Actions shown as a button that posts at once: nothing to type, nothing to review.
ONE_CLICK_ACTIONS = {"accept"}
RECENT_MEETINGS = 20


def _part(request, template, parts):
    """Name the fragment htmx asked for by its target's id, or the whole template."""
    target = request.htmx.target if request.htmx else None
    return f"{template}#{target}" if target in parts else template


def _next_url(request) -> str:
    """Return the safe local address to go back to after an action (the board sends one), or ''."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _action_done(request, item, message):
    """Answer a successful action: htmx closes the dialog and refreshes the page's parts; else redirect."""
    if request.htmx:
        response = HttpResponse(status=204)
        trigger_client_event(response, "itemUpdated")
        trigger_client_event(response, "closeDialog")
        return trigger_client_event(response, "showMessage", {"text": message})
    messages.success(request, message)
    return redirect(_next_url(request) or item.get_absolute_url())


def _action_form(request, form, template, context):
    """Save a valid posted form through its model method, or show it with its errors.

    Without htmx the form is a page; with htmx it is the #action-form fragment, which a request
    from anywhere but the form itself (a button on the item page or the board) gets in the dialog.
    """
    item = context["item"]
    if request.method == "POST" and form.is_valid():
        try:
            form.save(by=request.user)
        except TransitionError as error:
            form.add_error(None, error)
        else:
            return _action_done(request, item, context.pop("done_message"))
    context |= {"form": form, "next": _next_url(request)}
    if not request.htmx:
        return render(request, template, context)
    response = render(request, f"{template}#action-form", context)
    if request.htmx.target != "action-form":
        retarget(response, "#dialog-body")
        reswap(response, "innerHTML")
    return response


def _posted(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


JOURNAL_SHOWN = 50  # the newest records on the item page; the rest are one click away


def _item_context(user, item, *, whole_journal=False):
    """Gather what the item page shows: source, assignments with their actions, journal, permissions.

    The journal is the newest JOURNAL_SHOWN records unless `whole_journal`: an item reported on
    weekly for years would otherwise make its page longer, and slower, with every report.
    """
    # Leads first ("lead" < "support"), then by name; pk makes the order total.
    parts = item.assignments.select_related("department").with_light()
    assignments = list(parts.order_by("role", "department__name", "pk"))
    for a in assignments:
        allowed = permissions.allowed_actions(user, a)
        a.actions = [
            {
                "name": name,
                "title": form.title,
                "primary": form.primary,
                "one_click": name in ONE_CLICK_ACTIONS,
            }
            for name, form in forms.ASSIGNMENT_FORMS.items()
            if name in allowed
        ]
    journal = permissions.visible_journal(user, item).select_related("actor", "assignment__department")
    journal_more = False
    if not whole_journal:
        journal = list(journal[: JOURNAL_SHOWN + 1])  # one more tells whether there are more
        journal_more = len(journal) > JOURNAL_SHOWN
        journal = journal[:JOURNAL_SHOWN]
    before, sentence, after = item.source_parts()
    drafting = permissions.can_manage_items(user) and item.state == ActionItem.State.DRAFT
    return {
        "item": item,
        "assignments": assignments,
        "journal": journal,
        "journal_more": journal_more,
        "journal_shown": JOURNAL_SHOWN,
        "source": {"before": before, "sentence": sentence, "after": after},
        "targets": [forms.format_target(t) for t in item.targets or []],
        "can_edit": drafting,
        "can_confirm": drafting,
        "can_cancel": permissions.can_cancel(user, item),
        "can_comment": permissions.can_comment(user, item),
    }


def _visible_item(request, pk):
    return get_object_or_404(permissions.visible_items(request.user).select_related("meeting"), pk=pk)


@require_GET
def item_detail(request, pk):
    """One item: its source sentence, assignments, journal, and the actions the viewer may take."""
    item = _visible_item(request, pk)
    response = render(
        request,
        _part(request, "tracker/item_detail.html", ITEM_PARTS),
        _item_context(request.user, item, whole_journal=request.GET.get("journal") == "all"),
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_http_methods(["GET", "POST"])
def item_update(request, pk):
    """Office: edit a draft's wording, deadline, targets and departments, resolving group words."""
    item = _visible_item(request, pk)
    if not (permissions.can_manage_items(request.user) and item.state == ActionItem.State.DRAFT):
        raise PermissionDenied("只有督办员可以修改待确认的事项。")
    form = forms.ItemForm(_posted(request)[0], instance=item)
    context = {"item": item, "done_message": "事项已保存。", "source": item.source_parts()}
    return _action_form(request, form, "tracker/item_update.html", context)


@require_http_methods(["GET", "POST"])
def item_confirm(request, pk):
    """Office: confirm a reviewed draft (交办), so each department gets its assignment."""
    item = _visible_item(request, pk)
    if not permissions.can_manage_items(request.user):
        raise PermissionDenied("只有督办员可以交办事项。")
    form = forms.ConfirmForm(_posted(request)[0], item=item)
    assignments = list(item.assignments.select_related("department"))
    context = {
        "item": item,
        "assignments": assignments,
        "has_groups": any(a.department.is_group for a in assignments),
        "done_message": "事项已交办。",
    }
    return _action_form(request, form, "tracker/item_confirm.html", context)


@require_http_methods(["GET", "POST"])
def item_cancel(request, pk):
    """Office: cancel an item with a reason; nothing is deleted."""
    item = _visible_item(request, pk)
    if not permissions.can_cancel(request.user, item):
        raise PermissionDenied("您不能撤销这个事项。")
    form = forms.CancelForm(_posted(request)[0], item=item)
    context = {"item": item, "done_message": "事项已撤销。"}
    return _action_form(request, form, "tracker/item_cancel.html", context)


@require_http_methods(["GET", "POST"])
def item_comment(request, pk):
    """Managers and the office: leave an instruction (批示) or a comment."""
    item = _visible_item(request, pk)
    if not permissions.can_comment(request.user, item):
        raise PermissionDenied("您不能在这个事项上批示或评论。")
    form = forms.CommentForm(
        _posted(request)[0], item=item, instruction_first=permissions.is_manager(request.user)
    )
    context = {"item": item, "done_message": "已发表。"}
    return _action_form(request, form, "tracker/item_comment.html", context)


@require_http_methods(["GET", "POST"])
def assignment_update(request, pk, action):
    """Take one workflow action on an assignment through its small form (a page, or a dialog with htmx)."""
    form_class = forms.ASSIGNMENT_FORMS.get(action)
    if form_class is None:
        raise Http404("没有这个操作。")
    assignments = permissions.visible_assignments(request.user).select_related("department")
    if request.method == "GET" or form_class.moves_counts:
        # The page names the meeting (its minutes are not shown); the counts need its date. A
        # progress report, the most frequent action, needs neither: 0.4 ms less without the join.
        assignments = assignments.select_related("item__meeting").defer("item__meeting__text")
    if request.method == "GET":
        return _assignment_action(request, get_object_or_404(assignments, pk=pk), form_class, None, None)
    # The body (evidence up to 10 MB) is read before the transaction, so a slow upload holds no lock.
    data, files = _posted(request)
    # A POST reads the assignment once, locked until the action commits (the model acts on it as read).
    with contextlib.ExitStack() as held:
        try:
            assignment = held.enter_context(assignments.acting_on(pk))
        except Assignment.DoesNotExist:
            raise Http404("没有找到这项任务。") from None
        return _assignment_action(request, assignment, form_class, data, files)


def _assignment_action(request, assignment, form_class, data, files):
    if not permissions.may_attempt(request.user, assignment, form_class.action):
        raise PermissionDenied("您不能对这项任务进行此操作。")
    form = form_class(data, files, assignment=assignment)
    context = {
        "item": assignment.item,
        "assignment": assignment,
        "done_message": f"{assignment.department.name}：{form_class.title}完成。",
    }
    return _action_form(request, form, "tracker/assignment_update.html", context)


@require_GET
def assignment_notice(request, pk):
    """督办单: a printable notice to one department naming its item, the source, the deadline and the state."""
    assignments = (
        permissions.visible_assignments(request.user)
        .filter(live=True)  # a draft is not assigned yet; there is nobody to send a notice to
        .select_related("department", "item__meeting")
        .defer("item__meeting__text")
    )
    assignment = get_object_or_404(assignments, pk=pk)
    item = assignment.item
    reminders = assignment.journal.filter(action=JournalEntry.Action.REMIND)
    days_left = assignment.days_left()
    context = {
        "assignment": assignment,
        "item": item,
        "others": item.assignments.exclude(pk=assignment.pk)
        .select_related("department")
        .order_by("role", "department__name"),
        "reminders": list(reminders.order_by("-at")[:NOTICE_REMINDERS]),
        "reminder_count": reminders.count(),
        "targets": [forms.format_target(t) for t in item.targets or []],
        "days_left": days_left,
        "overdue_days": -days_left if days_left is not None and days_left < 0 else None,
        "issuer": settings.DUBAN_NOTICE_ISSUER,
        "today": models.today(),
    }
    return render(request, "tracker/assignment_notice.html", context)


NOTICE_REMINDERS = 5  # the latest reminders a notice lists; it counts them all


@require_GET
def journal_attachment(request, pk):
    """Download the evidence attached to a journal entry of an item the user may see."""
    entry = get_object_or_404(JournalEntry.objects.exclude(attachment=""), pk=pk)
    get_object_or_404(permissions.visible_items(request.user), pk=entry.item_id)
    name = entry.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(entry.attachment.open("rb"), as_attachment=True, filename=name)


# Dashboard columns: key in summary_by_department, header, the item list's filter for its link.
DASHBOARD_COLUMNS = [
    ("assigned", "交办", {}),
    ("in_progress", "办理中", {"status": Assignment.Status.IN_PROGRESS}),
    ("review", "待审核", {"status": Assignment.Status.REVIEW}),
    ("done", "已办结", {"status": Assignment.Status.DONE}),
    ("done_on_time", "按期办结", {"status": Assignment.Status.DONE}),
    ("overdue", "逾期", {"light": Assignment.Light.RED}),
    ("due_soon", "7日内到期", {"light": Assignment.Light.YELLOW}),
]
DASHBOARD_RATES = [("completion", "办结率"), ("on_time", "按期率")]
DASHBOARD_SORTS = {"name"} | {key for key, *_ in DASHBOARD_COLUMNS} | {key for key, _ in DASHBOARD_RATES}
DEFAULT_DASHBOARD_SORT = "-overdue"


def _percent(part, whole):
    return round(100 * part / whole) if whole else None


def _with_rates(row):
    """Add completion (done of those not sent back) and on-time (done in time of done) percentages."""
    held = row["assigned"] - row["returned"]
    return row | {
        "completion": _percent(row["done"], held),
        "on_time": _percent(row["done_on_time"], row["done"]),
    }


def _rows_html(rows) -> str:
    """Write the departments' <tr>s in Python, as the admin and django-tables2 write theirs.

    150 departments × 10 cells through template tags took 30–40 ms, most of the dashboard's time.
    The values are numbers; names and links are escaped here (html.escape: Django's escape without
    its lazy-string checks).
    """
    out = []
    for row in rows:
        out.append(f'<tr><th scope="row" class="dept-name">{html.escape(row["name"])}</th>')
        for cell in row["cells"]:
            key, value = cell["key"], cell["value"]
            css = "num"
            if value and key == "overdue":
                css += " is-red"
            elif value and key == "due_soon":
                css += " is-yellow"
            if cell.get("percent"):
                if value is None:
                    inner = '<span class="muted">—</span>'
                else:
                    inner = (
                        f'<span class="rate"><span class="rate-bar"><meter min="0" max="100" value="{int(value)}"'
                        f' aria-hidden="true"></meter></span>{int(value)}%</span>'
                    )
            elif value:
                inner = f'<a href="{html.escape(cell["url"])}">{int(value)}</a>'
            else:
                inner = '<span class="zero">0</span>'
            out.append(f'<td class="{css}">{inner}</td>')
        out.append("</tr>\n")
    return mark_safe("".join(out))


def _department_table(request, counts, on):
    """The department table for ?sort=, kept in the cache with the counts it shows (models.cached_counts).

    Building 150 rows of links took a quarter of the dashboard; the same counts, order, day and
    names give the same table. The names are read each time: a renamed department shows at once.
    """
    sort = request.GET.get("sort", DEFAULT_DASHBOARD_SORT)
    if sort.lstrip("-") not in DASHBOARD_SORTS:
        sort = DEFAULT_DASHBOARD_SORT
    names = tuple(Department.objects.order_by("name").values_list("pk", "name"))
    return models.cached_counts(_build_department_table, counts, sort, on, names)


def _build_department_table(counts, sort, on, names):
    """Rows per department from the kept counts, sorted by `sort` with name and id as tie-breakers."""
    keys = [key for key, *_ in DASHBOARD_COLUMNS] + ["returned"]
    base = f"{reverse('tracker:item_list')}?department="
    # Each column's link, encoded once: the links differ only in the department.
    suffixes = {key: f"&{urlencode(filters)}" if filters else "" for key, _, filters in DASHBOARD_COLUMNS}
    rows = []
    for summary in counts.summary_by_department(on, names):
        row = _with_rates({"id": summary["department_id"], "name": summary["department__name"]} | summary)
        link = f"{base}{int(row['id'])}"
        row["cells"] = [
            {"key": key, "value": row[key], "url": link + suffix} for key, suffix in suffixes.items()
        ] + [{"key": key, "value": row[key], "percent": True} for key, _ in DASHBOARD_RATES]
        rows.append(row)
    key, descending = sort.lstrip("-"), sort.startswith("-")
    rows.sort(key=lambda r: (r["name"], r["id"]))
    if key != "name":
        # Stable sort: equal values stay in name order; no rate (None) sorts below 0%.
        rows.sort(key=lambda r: -1 if r[key] is None else r[key], reverse=descending)
    elif descending:
        rows.reverse()
    totals = _with_rates({k: sum(r[k] for r in rows) for k in keys})
    headers = [{"key": "name", "label": "单位"}]
    headers += [{"key": k, "label": label} for k, label, _ in DASHBOARD_COLUMNS]
    headers += [{"key": k, "label": label} for k, label in DASHBOARD_RATES]
    for h in headers:
        h["sorted"] = (
            "descending" if h["key"] == key and descending else "ascending" if h["key"] == key else ""
        )
        # Numbers sort largest first on the first click, names A→Z.
        first = h["key"] if h["key"] == "name" else f"-{h['key']}"
        h["next"] = (h["key"] if descending else f"-{h['key']}") if h["key"] == key else first
    return {
        "rows": rows,
        "rows_html": _rows_html(rows),
        "totals": totals,
        "total_cells": [{"value": totals[k]} for k, *_ in DASHBOARD_COLUMNS]
        + [{"value": totals[k], "percent": True} for k, _ in DASHBOARD_RATES],
        "headers": headers,
        "sort": sort,
    }


DASHBOARD_FRAGMENT_SECONDS = 600


def _digest(data) -> str:
    """Name a template fragment cached under the data it shows (its repr: numbers, dates, strings)."""
    return hashlib.blake2b(repr(data).encode(), digest_size=16).hexdigest()


def _meeting_summary(user, on):
    """The recent meetings with the user's live items, with their items, done and overdue counts.

    Two queries: the meetings, then their items counted together. As one query of four correlated
    subqueries, building its SQL took more time than running it.
    """
    items = permissions.visible_items(user).live()
    meetings = list(
        permissions.visible_meetings(user)
        .defer("text")  # the minutes are not shown here
        .filter(Exists(items.filter(meeting=OuterRef("pk"))))
        .order_by("-date", "-pk")[:RECENT_MEETINGS]
    )
    counts = items.filter(meeting__in=[m.pk for m in meetings]).counts_by_meeting(on)
    for meeting in meetings:
        found = counts.get(meeting.pk, {})
        meeting.n_items = found.get("items", 0)
        meeting.n_done = found.get("done", 0)
        meeting.n_overdue = found.get("overdue", 0)
    return meetings


def _trend(request, months, counts, on, overdue_now=None):
    """Assignments opened and closed per month of a year, and how many were overdue at each month's end.

    An assignment opens with its meeting (or when it was created, if the meeting has no date) and
    closes on its finished date; assignments sent back are left out. Read from the monthly counts
    kept with every change (tracker.models.AssignmentMonth): two small queries for any amount of data.
    """
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    if overdue_now is None:  # not counted already by the department table
        overdue_now = counts.overdue_count(on)
    trend = months.trend(year, on, overdue_now=overdue_now)
    for month in trend["months"]:
        month["label"] = f"{month['month']}月"
    return trend


@require_GET
def dashboard(request):
    """Managers and the office: progress by department and by meeting, and the monthly trend."""
    user = request.user
    if not permissions.can_view_dashboard(user):
        raise PermissionDenied("领导看板只对领导和督办员开放。")
    on = models.today()
    # Counts kept current with every change (tracker.models.AssignmentTally): no scan of assignments.
    counts = permissions.in_visible_departments(user, models.AssignmentTally.objects.all())
    months = permissions.in_visible_departments(user, models.AssignmentMonth.objects.all())
    target = request.htmx.target if request.htmx else None
    part = target if target in DASHBOARD_PARTS else None
    context = {"today": on}
    # The table and the trend both read kept counts: the counts' version is read once for both.
    with models.CountsVersion.pinned():
        if part in (None, "dept-table"):
            context["departments"] = _department_table(request, counts, on)
        # The chart and the meetings' rows are cached as HTML under a digest of the data they show
        # ({% cache %} in the template): the same numbers give the same markup, and rendering them was
        # a third of the page.
        context["fragment_seconds"] = 0 if settings.DEBUG else DASHBOARD_FRAGMENT_SECONDS
        if part is None:
            meetings = _meeting_summary(user, on)
            context["meetings"] = meetings
            context["meetings_key"] = _digest(
                [(m.pk, m.title, m.date, m.n_items, m.n_done, m.n_overdue) for m in meetings]
            )
        if part in (None, "trend-chart"):
            table = context.get("departments")
            overdue_now = table["totals"]["overdue"] if table else None
            context["trend"] = _trend(request, months, counts, on, overdue_now)
            context["trend_key"] = _digest(context["trend"])
    response = render(request, _part(request, "tracker/dashboard.html", DASHBOARD_PARTS), context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
