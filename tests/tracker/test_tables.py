"""The tables: columns, cells, a total order for every sort, and the shared table template."""

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django_tables2 import RequestConfig

from tracker.models import ActionItem, Assignment, Meeting
from tracker.tables import AssignmentTable, MeetingTable


def annotated():
    return Assignment.objects.select_related("item__meeting", "department").with_light()


def render(table, query=""):
    """Render a table as a page does, with {% render_table %} and the request in the context."""
    request = RequestFactory().get("/items/" + query)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    template = Template("{% load django_tables2 %}{% render_table table %}")
    return template.render(RequestContext(request, {"table": table}))


@pytest.mark.parametrize("table_class", [AssignmentTable, MeetingTable])
def test_every_sortable_column_ends_with_pk(table_class):
    table = table_class([])
    for column in table.columns:
        if column.orderable:
            assert list(column.order_by)[-1] == "pk", column.name
            assert list(column.order_by.opposite)[-1] == "-pk", column.name


def test_assignment_columns_in_order():
    names = [c.name for c in AssignmentTable([]).columns]
    assert names == ["item", "meeting", "department", "role", "status", "progress", "due_date", "light"]


def test_assignment_row_shows_item_link_status_progress_and_light(lead, today):
    html = render(AssignmentTable(annotated().filter(pk=lead.pk)))
    assert f'href="/items/{lead.item_id}/"' in html
    assert 'class="status status-pending"' in html and "待签收" in html
    assert '<progress max="100" value="0"' in html
    assert "light-green" in html and "正常" in html
    assert 'data-light="green"' in html
    assert 'data-label="承办单位"' in html


def test_long_item_text_is_cut_but_kept_in_the_title(make_item, departments, today):
    text = "要" + "加快推进重点项目建设" * 10
    item = make_item(lead=departments["nongban"], text=text, deadline=today)
    html = render(AssignmentTable(annotated().filter(item=item)))
    assert f'title="{text}"' in html
    assert f">{text[:50]}" in html
    assert f">{text}<" not in html


def test_sort_links_keep_the_query_and_swap_the_table_with_htmx(lead, today):
    html = render(AssignmentTable(annotated()), "?light=green&page=1")
    assert 'href="?light=green&amp;sort=due_date"' in html
    assert 'hx-get="?light=green&amp;sort=due_date"' in html
    assert 'hx-target="#item-table"' in html


def test_sorted_column_is_marked_for_screen_readers(lead, today):
    table = AssignmentTable(annotated(), order_by="-due_date")
    html = render(table, "?sort=-due_date")
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=due_date"' in html


def test_pagination_links_keep_the_query(meeting, departments):
    items = ActionItem.objects.bulk_create(
        ActionItem(meeting=meeting, position=i, text=f"批量{i}", state="active") for i in range(30)
    )
    Assignment.objects.bulk_create(
        Assignment(item=i, department=departments["nongban"], live=True) for i in items
    )
    html = render(AssignmentTable(annotated()), "?q=%E6%89%B9&sort=due_date")
    assert "共 30 条，第 1 / 2 页" in html
    assert 'href="?q=%E6%89%B9&amp;sort=due_date&amp;page=2"' in html
    assert "下一页" in html


def test_empty_table_says_so_in_chinese(db):
    assert "没有符合条件的事项。" in render(AssignmentTable(annotated()))


def test_meeting_table_links_titles_and_flags_overdue_counts(db):
    Meeting.objects.create(title="第一次会议", natural_key="m1")
    meetings = Meeting.objects.all().extra(select={"n_items": 3, "n_done": 1, "n_overdue": 2, "n_drafts": 0})
    html = render(MeetingTable(meetings))
    assert "第一次会议</a>" in html
    assert '<span class="overdue-count">2</span>' in html
    assert 'hx-target="#meeting-table"' in html


def test_meeting_table_can_leave_out_the_draft_count():
    table = MeetingTable([], exclude=("n_drafts",))
    assert "n_drafts" not in [c.name for c in table.columns]


class TemplateRowsTable(AssignmentTable):
    """The same table with its rows left to django-tables2's own per-cell template loop."""

    cells = {}

    class Meta(AssignmentTable.Meta):
        pass


def test_rows_written_in_python_match_django_tables2s_own_rows(make_item, departments, today):
    departments["nongban"].name = '农业<农村>局 & "办"'
    departments["nongban"].save()
    make_item(lead=departments["nongban"], text="<b>要</b>" + "加快推进" * 20, deadline=today)
    make_item(lead=departments["nongban"], text="短的事项", deadline=None)
    python_rows = render(AssignmentTable(annotated().order_by("pk")))
    template_rows = render(TemplateRowsTable(annotated().order_by("pk")))
    assert "农业&lt;农村&gt;局 &amp; &quot;办&quot;" in python_rows
    assert "&lt;b&gt;要&lt;/b&gt;" in python_rows
    assert python_rows.count("<tr ") == template_rows.count("<tr ") >= 2
    assert " ".join(python_rows.split()) == " ".join(template_rows.split())
