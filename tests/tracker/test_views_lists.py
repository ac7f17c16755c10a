"""Pages A: 我的事项, the board, the meeting list and a meeting's page — pages, fragments, access, queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker.models import ActionItem, Assignment, AssignmentTally, Meeting, User
from tracker.views import BOARD_COLUMN_LIMIT

S = Assignment.Status
DAY = datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true"}

LIST_URLS = ["tracker:item_list", "tracker:board", "tracker:meeting_list"]


def set_status(assignment, status, **extra):
    # Outside the workflow methods: tell the kept counts (the tabs read them) about the change.
    with AssignmentTally.tracking(Assignment.objects.filter(pk=assignment.pk)):
        Assignment.objects.filter(pk=assignment.pk).update(status=status, **extra)


def make_meeting(title, *, day=datetime.date(2026, 4, 1), kind=Meeting.Kind.SPECIAL):
    return Meeting.objects.create(
        kind=kind, title=title, date=day, natural_key=Meeting.make_natural_key(kind, None, None, day, title)
    )


def bulk_assignments(meeting, department, n, *, status=S.PENDING, due=None, start=1000):
    """Create n live items of a meeting, each with one lead assignment, in two queries."""
    items = ActionItem.objects.bulk_create(
        ActionItem(meeting=meeting, position=start + i, text=f"批量事项{i}", state=ActionItem.State.ACTIVE)
        for i in range(n)
    )
    created = Assignment.objects.bulk_create(
        Assignment(item=item, department=department, status=status, due_date=due, live=True) for item in items
    )
    AssignmentTally.add(created)  # live rows made outside the workflow: count them for the tabs
    return created


def count_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx)


@pytest.fixture
def jiaoti_item(make_item, departments, today):
    """An item only 教体局 works on, in its own meeting."""
    meeting = make_meeting("教体专题会议")
    item = make_item(lead=departments["jiaoti"], deadline=today + 3 * DAY, text="教体局要做好校园安全")
    ActionItem.objects.filter(pk=item.pk).update(meeting=meeting)
    item.refresh_from_db()
    return item


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*LIST_URLS, "tracker:item_export"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_is_sent_to_login_from_a_meeting(client, meeting):
    response = client.get(reverse("tracker:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_name_an_icon_of_our_own_so_browsers_ask_for_no_missing_favicon(client, db):
    import re

    from django.contrib.staticfiles import finders

    html = client.get(reverse("login")).content.decode()
    href = re.search(r'<link rel="icon" href="/static/([^"]+)"', html).group(1)
    assert finders.find(href)


@pytest.mark.parametrize("role", ["office", "manager", "staff", "other_staff"])
@pytest.mark.parametrize("name", LIST_URLS)
def test_every_role_opens_the_lists(client, users, item, role, name):
    client.force_login(users[role])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["tracker:item_list", "tracker:board"])
def test_staff_sees_only_own_departments_assignments(client, users, item, jiaoti_item, name):
    client.force_login(users["staff"])
    body = client.get(reverse(name)).content.decode()
    assert item.text in body
    assert jiaoti_item.text not in body


@pytest.mark.parametrize("role", ["office", "manager"])
@pytest.mark.parametrize("name", ["tracker:item_list", "tracker:board"])
def test_office_and_manager_see_every_department(client, users, item, jiaoti_item, role, name):
    client.force_login(users[role])
    body = client.get(reverse(name)).content.decode()
    assert item.text in body
    assert jiaoti_item.text in body


def test_staff_cannot_open_a_meeting_of_another_department(client, users, jiaoti_item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:meeting_detail", args=[jiaoti_item.meeting_id]))
    assert response.status_code == 404


def test_staff_opens_a_meeting_of_own_department(client, users, jiaoti_item):
    client.force_login(users["other_staff"])
    response = client.get(reverse("tracker:meeting_detail", args=[jiaoti_item.meeting_id]))
    assert response.status_code == 200
    assert jiaoti_item.text in response.content.decode()


@pytest.mark.parametrize("role", ["office", "manager"])
def test_office_and_manager_open_any_meeting(client, users, jiaoti_item, role):
    client.force_login(users[role])
    response = client.get(reverse("tracker:meeting_detail", args=[jiaoti_item.meeting_id]))
    assert response.status_code == 200


def test_meeting_list_shows_staff_only_meetings_with_own_items(client, users, item, jiaoti_item):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:meeting_list")).content.decode()
    assert item.meeting.title in body
    assert jiaoti_item.meeting.title not in body


def test_a_user_without_role_sees_empty_lists(client, db, departments, item):
    nobody = User.objects.create_user("nobody", password="pw-123456", department=departments["nongban"])
    client.force_login(nobody)
    response = client.get(reverse("tracker:item_list"))
    assert response.status_code == 200
    assert item.text not in response.content.decode()


# --- Navigation -------------------------------------------------------------------------------


def test_nav_shows_staff_no_dashboard_import_or_admin(client, users, db):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list")).content.decode()
    assert "我的事项" in body and "看板" in body and "会议" in body
    assert reverse("tracker:dashboard") not in body
    assert reverse("importer:import_start") not in body
    assert reverse("admin:index") not in body


def test_nav_shows_manager_the_dashboard_but_not_import(client, users, db):
    client.force_login(users["manager"])
    body = client.get(reverse("tracker:item_list")).content.decode()
    assert reverse("tracker:dashboard") in body
    assert reverse("importer:import_start") not in body


def test_nav_shows_office_dashboard_import_and_admin(client, users, db):
    client.force_login(users["office"])
    body = client.get(reverse("tracker:item_list")).content.decode()
    assert reverse("tracker:dashboard") in body
    assert reverse("importer:import_start") in body
    assert reverse("admin:index") in body


def test_nav_marks_the_current_page(client, users, db):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:board")).content.decode()
    assert f'<a href="{reverse("tracker:board")}" aria-current="page">看板</a>' in body


def test_login_page_is_in_chinese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "登录督办系统" in body
    assert 'for="id_username"' in body


def test_password_change_page_is_in_chinese(client, users):
    client.force_login(users["staff"])
    body = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in body and "保存新密码" in body


# --- 我的事项 ----------------------------------------------------------------------------------


def test_item_list_page_has_filters_tabs_and_the_table(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"))
    body = response.content.decode()
    assert "<html" in body
    assert 'id="item-filter"' in body and 'id="item-table"' in body
    assert 'hx-target="#item-table"' in body
    assert 'hx-push-url="true"' in body
    assert reverse("tracker:item_detail", args=[item.pk]) in body


def test_item_list_fragment_is_only_the_table(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"), **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="item-filter"' not in body
    assert body.lstrip().startswith('<section id="item-table"')
    assert item.text in body
    assert "HX-Request" in response["Vary"]


def test_item_list_counts_each_status_in_tabs(client, users, make_item, departments, today):
    items = [make_item(lead=departments["nongban"], deadline=today + 20 * DAY) for _ in range(3)]
    set_status(items[0].assignments.get(), S.IN_PROGRESS)
    client.force_login(users["staff"])
    tabs = {t["code"]: t["count"] for t in client.get(reverse("tracker:item_list")).context["tabs"]}
    assert tabs[""] == 3
    assert tabs[S.PENDING] == 2
    assert tabs[S.IN_PROGRESS] == 1
    assert tabs[S.DONE] == 0


def test_status_tab_filters_the_rows_but_keeps_the_counts(client, users, make_item, departments, today):
    first, second = (
        make_item(lead=departments["nongban"], deadline=today + 20 * DAY, text=t)
        for t in ("甲事项", "乙事项")
    )
    set_status(first.assignments.get(), S.IN_PROGRESS)
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"), {"status": S.IN_PROGRESS})
    body = response.content.decode()
    assert "甲事项" in body and "乙事项" not in body
    tabs = {t["code"]: t for t in response.context["tabs"]}
    assert tabs[S.IN_PROGRESS]["active"] and tabs[""]["count"] == 2


def test_tab_links_keep_the_other_filters(client, users, item):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list"), {"q": "部署", "page": "1"}).content.decode()
    assert 'href="?q=%E9%83%A8%E7%BD%B2&amp;status=pending"' in body


def test_text_filter_narrows_the_list(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="抓好秸秆禁烧", deadline=today)
    make_item(lead=departments["nongban"], text="做好防汛准备", deadline=today)
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list"), {"q": "防汛"}).content.decode()
    assert "做好防汛准备" in body and "抓好秸秆禁烧" not in body


def test_light_filter_narrows_the_list(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="已经逾期的事项", deadline=today - 5 * DAY)
    make_item(lead=departments["nongban"], text="时间充裕的事项", deadline=today + 60 * DAY)
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list"), {"light": "red"}).content.decode()
    assert "已经逾期的事项" in body and "时间充裕的事项" not in body


def test_list_sorts_by_a_column(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="晚到期事项", deadline=today + 40 * DAY)
    make_item(lead=departments["nongban"], text="早到期事项", deadline=today + 10 * DAY)
    client.force_login(users["staff"])
    ascending = client.get(reverse("tracker:item_list"), {"sort": "due_date"}).content.decode()
    descending = client.get(reverse("tracker:item_list"), {"sort": "-due_date"}).content.decode()
    assert ascending.index("早到期事项") < ascending.index("晚到期事项")
    assert descending.index("晚到期事项") < descending.index("早到期事项")


def test_unknown_sort_is_ignored(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"), {"sort": "password"})
    assert response.status_code == 200
    assert item.text in response.content.decode()


def test_default_order_puts_open_work_first(client, users, make_item, departments, today):
    done = make_item(lead=departments["nongban"], text="早已办结事项", deadline=today - 30 * DAY)
    set_status(done.assignments.get(), S.DONE)
    make_item(lead=departments["nongban"], text="正在办理事项", deadline=today + 30 * DAY)
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list")).content.decode()
    assert body.index("正在办理事项") < body.index("早已办结事项")


def test_list_pages_by_25(client, users, meeting, departments):
    bulk_assignments(meeting, departments["nongban"], 30)
    client.force_login(users["staff"])
    first = client.get(reverse("tracker:item_list"))
    second = client.get(reverse("tracker:item_list"), {"page": 2})
    assert len(first.context["table"].page.object_list) == 25
    assert len(second.context["table"].page.object_list) == 5
    assert "共 30 条" in first.content.decode()


def test_htmx_filtering_pushes_a_clean_address(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"), {"q": "", "light": "red", "status": ""}, **HTMX)
    assert response["HX-Push-Url"] == reverse("tracker:item_list") + "?light=red"


def test_invalid_filter_value_shows_an_error_and_keeps_the_list(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:item_list"), {"due_from": "不是日期"})
    assert response.status_code == 200
    assert item.text in response.content.decode()
    assert response.context["filter"].form.errors["due_from"]


def test_department_filter_is_offered_to_office_but_not_staff(client, users, item):
    client.force_login(users["office"])
    assert 'name="department"' in client.get(reverse("tracker:item_list")).content.decode()
    client.force_login(users["staff"])
    assert 'name="department"' not in client.get(reverse("tracker:item_list")).content.decode()


def test_export_link_keeps_the_filters(client, users, item):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:item_list"), {"light": "green", "page": 1}).content.decode()
    assert f'href="{reverse("tracker:item_export")}?light=green"' in body


# --- Board ------------------------------------------------------------------------------------


def test_board_page_has_a_column_per_status(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:board"))
    body = response.content.decode()
    assert "<html" in body and 'id="board"' in body
    for status in S:
        assert f'id="col-{status.value}"' in body
    assert 'hx-trigger="itemUpdated from:body"' in body


def test_board_fragment_is_only_the_columns(client, users, item):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:board"), **HTMX).content.decode()
    assert "<html" not in body and 'id="board-filter"' not in body
    assert body.lstrip().startswith('<div id="board"')
    assert item.text in body


def test_board_puts_cards_in_their_status_column(client, users, make_item, departments, today):
    pending = make_item(lead=departments["nongban"], text="等待签收的事项", deadline=today)
    review = make_item(lead=departments["nongban"], text="等待审核的事项", deadline=today)
    set_status(review.assignments.get(), S.REVIEW)
    client.force_login(users["staff"])
    columns = {c["code"]: c for c in client.get(reverse("tracker:board")).context["columns"]}
    assert [c.item_id for c in columns[S.PENDING]["cards"]] == [pending.pk]
    assert [c.item_id for c in columns[S.REVIEW]["cards"]] == [review.pk]


def test_board_offers_staff_accept_on_a_pending_card(client, users, lead):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:board")).content.decode()
    url = reverse("tracker:assignment_update", args=[lead.pk, "accept"])
    assert f'action="{url}"' in body and f'hx-post="{url}"' in body
    assert 'hx-swap="none"' in body


def test_board_opens_the_form_for_actions_that_need_a_note(client, users, lead):
    set_status(lead, S.IN_PROGRESS)
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:board")).content.decode()
    url = reverse("tracker:assignment_update", args=[lead.pk, "submit_done"])
    assert f'href="{url}?next=' in body
    assert 'hx-target="#dialog-body"' in body


def test_board_offers_office_close_and_return_on_a_card_in_review(client, users, lead):
    set_status(lead, S.REVIEW)
    client.force_login(users["office"])
    body = client.get(reverse("tracker:board")).content.decode()
    assert reverse("tracker:assignment_update", args=[lead.pk, "close"]) in body
    assert reverse("tracker:assignment_update", args=[lead.pk, "return_for_rework"]) in body


def test_board_offers_a_manager_no_buttons(client, users, lead):
    client.force_login(users["manager"])
    body = client.get(reverse("tracker:board")).content.decode()
    assert lead.item.text in body
    assert "assignments/" not in body


def test_board_caps_each_column_and_links_to_the_rest(client, users, meeting, departments):
    bulk_assignments(meeting, departments["nongban"], BOARD_COLUMN_LIMIT + 3)
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:board"))
    pending = next(c for c in response.context["columns"] if c["code"] == S.PENDING)
    assert len(pending["cards"]) == BOARD_COLUMN_LIMIT
    assert pending["count"] == BOARD_COLUMN_LIMIT + 3 and pending["more"] == 3
    assert f'href="{reverse("tracker:item_list")}?status=pending"' in response.content.decode()


def test_board_filters_like_the_list(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="抓好秸秆禁烧", deadline=today)
    make_item(lead=departments["nongban"], text="做好防汛准备", deadline=today)
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:board"), {"q": "防汛"}, **HTMX).content.decode()
    assert "做好防汛准备" in body and "抓好秸秆禁烧" not in body


# --- Meetings ---------------------------------------------------------------------------------


def test_meeting_list_page_and_fragment(client, users, item):
    client.force_login(users["office"])
    page = client.get(reverse("tracker:meeting_list")).content.decode()
    fragment = client.get(reverse("tracker:meeting_list"), **HTMX).content.decode()
    assert "<html" in page and 'id="meeting-filter"' in page
    assert "<html" not in fragment and fragment.lstrip().startswith('<section id="meeting-table"')
    assert item.meeting.title in fragment


def test_meeting_list_counts_items_done_and_overdue(client, users, make_item, departments, today):
    late = make_item(lead=departments["nongban"], deadline=today - 2 * DAY)
    done = make_item(lead=departments["nongban"], deadline=today + 9 * DAY)
    Assignment.objects.filter(item=done).update(status=S.DONE)
    ActionItem.objects.filter(pk=done.pk).update(state=ActionItem.State.DONE)
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    client.force_login(users["office"])
    row = client.get(reverse("tracker:meeting_list")).context["table"].page.object_list.data[0]
    assert (row.n_items, row.n_done, row.n_overdue, row.n_drafts) == (2, 1, 1, 1)
    assert late.meeting_id == row.pk


def test_meeting_list_hides_the_draft_count_from_staff(client, users, item):
    client.force_login(users["staff"])
    assert "待确认" not in client.get(reverse("tracker:meeting_list")).content.decode()
    client.force_login(users["office"])
    assert "待确认" in client.get(reverse("tracker:meeting_list")).content.decode()


def test_meeting_list_filters_by_kind_and_year(client, users, meeting, db):
    make_meeting("二〇二五年专题会议", day=datetime.date(2025, 5, 1))
    client.force_login(users["office"])
    by_kind = client.get(reverse("tracker:meeting_list"), {"kind": "executive"}).content.decode()
    by_year = client.get(reverse("tracker:meeting_list"), {"year": "2025"}).content.decode()
    assert meeting.title in by_kind and "二〇二五年专题会议" not in by_kind
    assert "二〇二五年专题会议" in by_year and meeting.title not in by_year
    assert '<option value="2025" selected>2025年</option>' in by_year
    assert '<option value="2026">2026年</option>' in by_year


def test_meeting_list_sorts_by_title(client, users, db):
    make_meeting("乙会议")
    make_meeting("甲会议")
    client.force_login(users["office"])
    body = client.get(reverse("tracker:meeting_list"), {"sort": "-title"}).content.decode()
    assert body.index("甲会议") < body.index("乙会议")


def test_meeting_page_shows_items_with_their_assignments_and_lights(client, users, item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:meeting_detail", args=[item.meeting_id]))
    body = response.content.decode()
    assert "<html" in body and item.meeting.title in body
    assert reverse("tracker:item_detail", args=[item.pk]) in body
    assert "市农办" in body and "教体局" in body
    assert "light-green" in body and "正常" in body


def test_meeting_page_fragment_is_only_the_items(client, users, item):
    client.force_login(users["staff"])
    body = client.get(reverse("tracker:meeting_detail", args=[item.meeting_id]), **HTMX).content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="meeting-items"')
    assert item.text in body


def test_meeting_page_shows_drafts_to_the_office_only(client, users, make_item, departments, item):
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, text="尚待确认的事项")
    url = reverse("tracker:meeting_detail", args=[item.meeting_id])
    client.force_login(users["office"])
    assert "尚待确认的事项" in client.get(url).content.decode()
    for role in ("manager", "staff"):
        client.force_login(users[role])
        assert "尚待确认的事项" not in client.get(url).content.decode()


def test_meeting_page_filters_items_by_state(client, users, make_item, departments, item):
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, text="尚待确认的事项")
    client.force_login(users["office"])
    url = reverse("tracker:meeting_detail", args=[item.meeting_id])
    body = client.get(url, {"state": "draft"}, **HTMX).content.decode()
    assert "尚待确认的事项" in body and item.text not in body


# --- Constant queries -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tracker:item_list", "tracker:board"])
@pytest.mark.parametrize("role", ["office", "manager", "staff"])
@pytest.mark.parametrize("extra", [{}, HTMX])
def test_lists_run_the_same_queries_for_10_and_1000_rows(
    client, users, meeting, departments, today, django_assert_max_num_queries, name, role, extra
):
    client.force_login(users[role])
    dept = departments["nongban"]
    for status in S:
        bulk_assignments(meeting, dept, 2, status=status, due=today, start=100 * len(status))
    url = reverse(name) + "?meeting=" + str(meeting.pk)
    with_ten = count_queries(client, url, **extra)
    for n, status in enumerate(S):
        bulk_assignments(meeting, dept, 198, status=status, due=today + n * DAY, start=10_000 * (n + 1))
    with django_assert_max_num_queries(with_ten):
        response = client.get(url, **extra)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["office", "staff"])
def test_meeting_list_runs_the_same_queries_for_10_and_1000_meetings(
    client, users, departments, django_assert_max_num_queries, role
):
    client.force_login(users[role])

    def meetings(n, start):
        created = Meeting.objects.bulk_create(
            Meeting(title=f"会议{i}", date=datetime.date(2026, 1, 1), natural_key=f"k{i}", kind="special")
            for i in range(start, start + n)
        )
        for m in created:
            bulk_assignments(m, departments["nongban"], 1)

    meetings(10, 0)
    with_ten = count_queries(client, reverse("tracker:meeting_list"))
    meetings(990, 10)
    with django_assert_max_num_queries(with_ten):
        client.get(reverse("tracker:meeting_list"))


def test_meeting_page_runs_the_same_queries_for_10_and_1000_items(
    client, users, meeting, departments, django_assert_max_num_queries
):
    client.force_login(users["office"])
    url = reverse("tracker:meeting_detail", args=[meeting.pk])
    bulk_assignments(meeting, departments["nongban"], 10)
    with_ten = count_queries(client, url)
    bulk_assignments(meeting, departments["jiaoti"], 990, start=5000)
    with django_assert_max_num_queries(with_ten):
        client.get(url)


def test_staff_list_leaves_out_the_department_column(client, users, item):
    client.force_login(users["staff"])
    assert "department" not in [
        c.name for c in client.get(reverse("tracker:item_list")).context["table"].columns
    ]
    client.force_login(users["manager"])
    assert "department" in [c.name for c in client.get(reverse("tracker:item_list")).context["table"].columns]


def test_not_found_page_is_in_chinese(client, users, jiaoti_item):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:meeting_detail", args=[jiaoti_item.meeting_id]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_page_says_why_in_chinese(client, departments):
    nobody = User.objects.create_user("nobody", password="pw-123456", department=departments["nongban"])
    client.force_login(nobody)
    response = client.get(reverse("tracker:item_export"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


@pytest.mark.parametrize("state", ["all", "bogus"])
def test_meeting_page_ignores_an_unknown_state(client, users, item, state):
    client.force_login(users["staff"])
    response = client.get(reverse("tracker:meeting_detail", args=[item.meeting_id]), {"state": state})
    assert item.text in response.content.decode()


@pytest.mark.parametrize("name", ["tracker:item_list", "tracker:board"])
def test_office_lists_leave_out_drafts_and_cancelled_items(client, users, make_item, departments, name):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, text="草稿事项要先核对")
    cancelled = make_item(lead=departments["nongban"], state=ActionItem.State.CANCELLED, text="已撤销的事项")
    live = make_item(lead=departments["nongban"], text="已交办的事项要推进")
    client.force_login(users["office"])
    body = client.get(reverse(name)).content.decode()
    assert live.text in body
    assert draft.text not in body and cancelled.text not in body


def test_the_list_marks_the_open_rows_the_office_has_chased(client, users, item, lead, departments):
    support = item.assignments.get(department=departments["jiaoti"])
    lead.remind(by=users["office"], note="请本周内报送进展")
    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("tracker:item_list")).content.decode()
    rows = {row.split("</tr>")[0] for row in html.split("<tr")[1:]}
    chased = [r for r in rows if "已催办" in r]
    assert len(chased) == 1 and "市农办" in chased[0] and support.department.name not in chased[0]
    # The page's keys come from the narrow index alone: only the rows' read looks at the journal.
    journal_reads = [q["sql"] for q in queries if '"tracker_journalentry"' in q["sql"]]
    assert len(journal_reads) == 1


def test_a_closed_row_is_not_marked_as_chased(client, users, lead):
    lead.remind(by=users["office"])
    set_status(lead, S.DONE)
    client.force_login(users["staff"])
    assert "已催办" not in client.get(reverse("tracker:item_list")).content.decode()


def test_the_board_marks_the_open_cards_the_office_has_chased(client, users, item, lead, departments):
    lead.remind(by=users["office"])
    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("tracker:board")).content.decode()
    cards = html.split('<li class="board-card"')[1:]
    chased = [c for c in cards if "已催办" in c]
    assert len(cards) == 2 and len(chased) == 1 and "市农办" in chased[0]
    # Each column's cards carry the mark from their own read; the tab counts do not look at the journal.
    journal_reads = [q["sql"] for q in queries if '"tracker_journalentry"' in q["sql"]]
    assert len(journal_reads) == len(Assignment.Status)


def test_a_closed_card_is_not_marked_as_chased(client, users, lead):
    lead.remind(by=users["office"])
    set_status(lead, S.DONE)
    client.force_login(users["staff"])
    assert "已催办" not in client.get(reverse("tracker:board")).content.decode()
