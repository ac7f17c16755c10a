"""Tables of the lists (django-tables2) and the 台账 workbook written from the same rows."""

import functools
from html import escape

import django_tables2 as tables
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django_tables2.data import TableQuerysetData
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import ActionItem, Assignment, Meeting


def labelled(label: str, **extra) -> dict:
    """Column attrs that name the cell, so a row can be laid out as a card on a phone."""
    return {"td": {"data-label": label, **extra}}


def sorted_by(*fields) -> tuple:
    """Sort by the given fields and then by pk, so the order is total (keyset pagination needs it)."""
    return (*fields, "pk")


class KeysFirst(TableQuerysetData):
    """Table data that reads a page's keys first and then its rows.

    The keys come from a narrow index in the list's order, so page 2,000 skips 50,000 index entries
    instead of joining and discarding 50,000 whole rows; the 25 rows are then fetched by key.
    """

    def __init__(self, data, length: int | None = None):
        super().__init__(data)
        self._length = length  # when the caller knows it already, the paginator need not count

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        keys = list(self.data.values_list("pk", flat=True)[key])
        by_key = {row.pk: row for row in self.data.filter(pk__in=keys).order_by()}
        return [by_key[k] for k in keys if k in by_key]


class HtmxTable(tables.Table):
    """A table whose sort and page links swap `htmx_target` in place (see templates/tracker/table.html)."""

    htmx_target = ""
    # record -> the <tr>'s attributes as HTML, for rows written in Python (Meta.row_attrs serves the template).
    row_attrs_html = None
    # Column name -> function(record) giving the cell's HTML. When a table names every column here,
    # its rows are written in Python (body_html): django-tables2's per-cell machinery (accessors,
    # signature inspection, attrs per cell, a template node per cell) cost more than the rest of the page.
    cells: dict = {}

    def body_html(self) -> str:
        """Return the <tr> rows of the current page written in Python, or "" to let the template loop."""
        columns = list(self.columns)
        if not self.cells or any(column.name not in self.cells for column in columns):
            return ""
        rows = self.page.object_list if self.page else self.rows
        # Cell attributes are static here: computed once per column, not once per cell.
        plan = [(column.attrs["td"].as_html(), self.cells[column.name]) for column in columns]
        row_attrs = self.row_attrs_html
        out = []
        for index, row in enumerate(rows):
            record = row.record
            if row_attrs:  # with the even/odd class django-tables2 adds
                out.append(f'<tr {row_attrs(record)} class="{"odd" if index % 2 else "even"}">')
            else:
                out.append(f"<tr {row.attrs.as_html()}>")
            for td_attrs, cell in plan:
                out.append(f"<td {td_attrs}>{html_of(cell(record))}</td>")
            out.append("</tr>")
        return mark_safe("\n".join(out))


def html_of(value) -> str:
    """Return a value as HTML: as it is if it is safe already, else escaped.

    What Django's conditional_escape does, without its checks for lazy strings: a list page passes
    a few hundred cells and options through it.
    """
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


# A pk no real row has: a URL is reversed once with it, then filled in for each row.
_PK = 2_147_483_647


@functools.cache
def _pk_url_parts(viewname: str, prefix: str, more: tuple) -> tuple[str, str]:
    head, _, tail = reverse(viewname, args=[_PK, *more]).partition(str(_PK))
    return head, tail


def pk_url(viewname: str, pk: int, *more) -> str:
    """Return reverse(viewname, args=[pk, *more]) for an integer pk, reversing once per view and script prefix.

    A list writes a link or two per row: reverse() for each cost more than the rest of the row.
    """
    head, tail = _pk_url_parts(viewname, get_script_prefix(), more)
    return f"{head}{int(pk)}{tail}"


class AssignmentTable(HtmxTable):
    """我的事项: one row per assignment the user may see."""

    htmx_target = "#item-table"

    item = tables.Column(
        "事项内容",
        accessor="item__text",
        order_by=sorted_by("item__meeting__date", "item__position"),
        attrs=labelled("事项内容", **{"class": "col-text"}),
    )
    meeting = tables.Column(
        "会议",
        accessor="item__meeting__title",
        order_by=sorted_by("item__meeting__date", "item__meeting_id"),
        attrs=labelled("会议", **{"class": "col-meeting"}),
    )
    department = tables.Column(
        "承办单位",
        accessor="department__name",
        order_by=sorted_by("department__name"),
        attrs=labelled("承办单位"),
    )
    role = tables.Column("角色", order_by=sorted_by("role"), attrs=labelled("角色"))
    status = tables.Column("办理状态", order_by=sorted_by("status"), attrs=labelled("办理状态"))
    progress = tables.Column("进度", order_by=sorted_by("progress"), attrs=labelled("进度"))
    due_date = tables.DateColumn(
        verbose_name="到期日",
        format="Y-m-d",
        order_by=sorted_by("due_date"),
        attrs=labelled("到期日", **{"class": "nowrap"}),
    )
    light = tables.Column("亮灯", accessor="light_code", orderable=False, attrs=labelled("亮灯"))

    class Meta:
        model = Assignment
        fields = ()
        sequence = ("item", "meeting", "department", "role", "status", "progress", "due_date", "light")
        empty_text = "没有符合条件的事项。"
        attrs = {"class": "data-table cards-on-phone"}
        row_attrs = {"data-light": lambda record: record.light_code}

    @staticmethod
    def row_attrs_html(record) -> str:
        return f'data-light="{escape(record.light_code)}"'

    def render_item(self, record):
        return item_cell(record)

    def render_meeting(self, record):
        return meeting_cell(record)

    def render_role(self, record):
        return role_cell(record)

    def render_status(self, record):
        return status_badge(record)

    def render_progress(self, record):
        return progress_cell(record)

    def render_light(self, value):
        return light_badge(value)


# The cells of AssignmentTable, shared by its render_* methods and its rows written in Python,
# as f-strings with html.escape (Django's escape without the lazy-string checks): 200 cells a page.
EMPTY = "—"  # django-tables2's default for an empty value
ITEM_TEXT = 60  # characters of an item's text in its cell; the whole text is the link's title
MEETING_TITLE = 18


def shorten(text: str, length: int) -> str:
    """Cut a text to `length` characters with an ellipsis (Truncator), skipping the work for short ones."""
    return text if len(text) <= length else Truncator(text).chars(length)


def item_cell(record) -> str:
    """Link an assignment's item, its text cut to 60 characters (the whole text as the title)."""
    text = record.item.text
    if text in (None, ""):
        return EMPTY
    short = shorten(text, ITEM_TEXT)
    url = pk_url("tracker:item_detail", record.item_id)
    return mark_safe(f'<a href="{url}" title="{escape(text)}">{escape(short)}</a>')


def meeting_cell(record) -> str:
    """Link an assignment's meeting, with its date below."""
    meeting = record.item.meeting
    if meeting.title in (None, ""):
        return EMPTY
    day = f"{meeting.date:%Y-%m-%d}" if meeting.date else ""
    title = meeting.title
    short = shorten(title, MEETING_TITLE)
    url = pk_url("tracker:meeting_detail", meeting.pk)
    return mark_safe(
        f'<a href="{url}" title="{escape(title)}">{escape(short)}</a><span class="muted block">{day}</span>'
    )


def department_cell(record) -> str:
    """Name an assignment's department."""
    return record.department.name or EMPTY


def role_cell(record) -> str:
    """Show an assignment's role (lead or support) as a badge."""
    return mark_safe(
        f'<span class="role role-{escape(record.role)}">{escape(record.get_role_display())}</span>'
    )


def progress_cell(record) -> str:
    """Show an assignment's progress as a bar and a percentage."""
    value = record.progress
    if value is None:
        return EMPTY
    value = int(value)
    return mark_safe(
        f'<span class="progress-cell"><progress max="100" value="{value}" aria-hidden="true"></progress>'
        f'<span class="num">{value}%</span></span>'
    )


def due_date_cell(record) -> str:
    """Show an assignment's due date as YYYY-MM-DD."""
    return f"{record.due_date:%Y-%m-%d}" if record.due_date else EMPTY


def light_cell(record) -> str:
    """Show an assignment's light by icon and text."""
    if record.light_code in (None, ""):
        return EMPTY
    return mark_safe(light_badge(record.light_code) + reminded_flag(record))


REMINDED_FLAG = ' <span class="flag flag-red" title="督查室已催办">已催办</span>'


def reminded_flag(record) -> str:
    """The 已催办 mark of an open assignment the office has chased (annotated by with_reminded), or ''."""
    return REMINDED_FLAG if getattr(record, "reminded", False) and record.is_open else ""


@functools.cache
def _light_badge(code: str) -> str:
    return mark_safe(render_to_string("tracker/_light.html", {"light": code}).strip())


def light_badge(code: str) -> str:
    """Render tracker/_light.html for a light: five possible outputs, each rendered once per process
    (the board shows 250 lights, the list 25; a template render each cost more than the rest of a card)."""
    if settings.DEBUG:  # while developing, follow edits of the template
        return mark_safe(render_to_string("tracker/_light.html", {"light": code}).strip())
    return _light_badge(str(code))


def status_badge(assignment) -> str:
    """Render an assignment's status as a small labelled badge."""
    status, label = escape(assignment.status), escape(assignment.get_status_display())
    return mark_safe(f'<span class="status status-{status}">{label}</span>')


AssignmentTable.cells = {
    "item": item_cell,
    "meeting": meeting_cell,
    "department": department_cell,
    "role": role_cell,
    "status": status_badge,
    "progress": progress_cell,
    "due_date": due_date_cell,
    "light": light_cell,
}


class CountColumn(tables.Column):
    """A number column, right-aligned, that shows 0 rather than a dash."""

    def __init__(self, verbose_name, *, label=None, **kwargs):
        kwargs.setdefault(
            "attrs", {**labelled(label or verbose_name, **{"class": "num"}), "th": {"class": "num"}}
        )
        kwargs.setdefault("default", 0)
        super().__init__(verbose_name, **kwargs)


class MeetingTable(HtmxTable):
    """The meeting list: kind, date, title and how its items stand."""

    htmx_target = "#meeting-table"

    date = tables.DateColumn(
        verbose_name="会议日期",
        format="Y-m-d",
        order_by=sorted_by("date"),
        attrs=labelled("会议日期", **{"class": "nowrap"}),
    )
    kind = tables.Column("类型", order_by=sorted_by("kind"), attrs=labelled("类型"))
    title = tables.Column(
        "会议名称", order_by=sorted_by("title"), attrs=labelled("会议名称", **{"class": "col-text"})
    )
    n_drafts = CountColumn("待确认", order_by=sorted_by("n_drafts"))
    n_items = CountColumn("事项", order_by=sorted_by("n_items"))
    n_done = CountColumn("已办结", order_by=sorted_by("n_done"))
    n_overdue = CountColumn("逾期", order_by=sorted_by("n_overdue"))

    class Meta:
        model = Meeting
        fields = ()
        sequence = ("date", "kind", "title", "n_drafts", "n_items", "n_done", "n_overdue")
        empty_text = "没有符合条件的会议。"
        attrs = {"class": "data-table cards-on-phone"}

    def render_kind(self, record):
        return format_html('<span class="kind kind-{}">{}</span>', record.kind, record.get_kind_display())

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_n_overdue(self, value):
        if not value:
            return "0"
        return format_html('<span class="overdue-count">{}</span>', value)


# --- 台账 (ledger) export ---------------------------------------------------------------------

# (header, column width, field of an assignment annotated with its light, labels of coded values).
# Values come straight from values_list(): building model instances would double the export's time.
LEDGER_COLUMNS = [
    ("会议", 28, "item__meeting__title", None),
    ("会议日期", 12, "item__meeting__date", None),
    ("事项内容", 60, "item__text", None),
    ("承办单位", 18, "department__name", None),
    ("角色", 6, "role", dict(Assignment.Role.choices)),
    ("办理状态", 10, "status", dict(Assignment.Status.choices)),
    ("进度(%)", 8, "progress", None),
    ("到期日", 12, "due_date", None),
    ("亮灯", 8, "light_code", dict(Assignment.Light.choices)),
    ("完成时限原文", 18, "item__deadline_text", None),
    ("申请延期至", 12, "extension_date", None),
    ("办结日期", 12, "finished_on", None),
    ("事项状态", 10, "item__state", dict(ActionItem.State.choices)),
]
LEDGER_HEADERS = ["序号", *(name for name, *_ in LEDGER_COLUMNS)]
DATE_FORMAT = "yyyy-mm-dd"


def ledger_rows(assignments):
    """Stream the ledger's values of assignments annotated with their light, in chunks."""
    return assignments.values_list(*(field for _, _, field, _ in LEDGER_COLUMNS)).iterator(chunk_size=2000)


def write_ledger(rows, file, *, title: str = "督办台账") -> int:
    """Write ledger rows (see ledger_rows) to `file` as an .xlsx; return how many were written.

    A write-only workbook keeps memory flat however many rows the iterator yields.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    widths = [6, *(width for _, width, _, _ in LEDGER_COLUMNS)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    header = []
    for name in LEDGER_HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)

    labels = [labels for _, _, _, labels in LEDGER_COLUMNS]
    text_at = LEDGER_HEADERS.index("事项内容")
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for count, values in enumerate(rows, start=1):
        row = [count]
        for value, names in zip(values, labels, strict=True):
            row.append(names.get(value, value) if names else value)
        # Plain values are written fast (dates get a date format on their own); only the long
        # text needs a styled cell.
        text = WriteOnlyCell(sheet, value=row[text_at])
        text.alignment = wrap
        row[text_at] = text
        sheet.append(row)
    workbook.save(file)
    return count
