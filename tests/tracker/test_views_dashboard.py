"""The managers' dashboard: access, numbers checked against a brute-force count, sorting, queries."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import clear_caches
from tracker.models import ActionItem, Assignment, AssignmentTally, Department, Meeting
from tracker.templatetags.board_extras import nice_step, trend_chart

S = Assignment.Status
DAY = datetime.timedelta(days=1)
URL = "/dashboard/"


def build_city(users, today, *, departments=4, meetings=3, items_per_meeting=4, seed=7, prefix=""):
    """Create meetings, items and assignments in every status, with due dates around today."""
    rng = random.Random(seed)
    depts = [Department.objects.create(name=f"{prefix}单位{i:03d}") for i in range(departments)]
    for m in range(meetings):
        meeting = Meeting.objects.create(
            kind=Meeting.Kind.SPECIAL,
            title=f"{prefix}专题会议{m}",
            date=datetime.date(2026, 1 + m % 6, 10),
            natural_key=f"special:{prefix}{m}",
            text="会议要求,各单位要抓好落实。",
        )
        for p in range(items_per_meeting):
            item = ActionItem.objects.create(meeting=meeting, position=p, text=f"事项{m}-{p}")
            for d in rng.sample(depts, k=min(2, len(depts))):
                due = today + DAY * rng.randint(-40, 40) if rng.random() < 0.85 else None
                Assignment.objects.create(
                    item=item, department=d, role=rng.choice(["lead", "support"]), due_date=due
                )
            if not item.assignments.filter(role="lead").exists():
                item.assignments.update(role="lead")
            state = rng.random()
            if state < 0.1:
                continue  # stays a draft: not counted
            item.confirm(by=users["office"])
            if state < 0.15:
                item.cancel(by=users["office"], reason="测试")
                continue
            for a in item.assignments.all():
                roll = rng.random()
                if roll < 0.2:
                    continue
                a.accept(by=users["office"])
                if roll < 0.3:
                    a.send_back(by=users["office"], reason="不是本单位")
                elif roll < 0.6:
                    a.report_progress(by=users["office"], progress=rng.randint(0, 99), note="进展")
                else:
                    a.submit_done(by=users["office"], note="完成")
                    if roll > 0.7:
                        a.close(by=users["office"])
                        finished = today + DAY * rng.randint(-60, 0)
                        Assignment.objects.filter(pk=a.pk).update(finished_on=finished)
    AssignmentTally.rebuild()  # the updates above bypassed the model: recount the dashboard's kept counts
    return depts


def brute_force(today):
    """Count per department by looking at every assignment in Python."""
    counts = {}
    for a in Assignment.objects.select_related("item", "department"):
        if a.item.state not in ActionItem.LIVE_STATES:
            continue
        c = counts.setdefault(
            a.department.name,
            dict.fromkeys(
                [
                    "assigned",
                    "in_progress",
                    "review",
                    "done",
                    "done_on_time",
                    "overdue",
                    "due_soon",
                    "returned",
                ],
                0,
            ),
        )
        c["assigned"] += 1
        c["in_progress"] += a.status == S.IN_PROGRESS
        c["review"] += a.status == S.REVIEW
        c["done"] += a.status == S.DONE
        c["done_on_time"] += a.status == S.DONE and (a.due_date is None or a.finished_on <= a.due_date)
        c["returned"] += a.status == S.RETURNED
        if a.status in Assignment.OPEN_STATUSES and a.due_date is not None:
            c["overdue"] += a.due_date < today
            c["due_soon"] += today <= a.due_date <= today + 7 * DAY
    for c in counts.values():
        held = c["assigned"] - c["returned"]
        c["completion"] = round(100 * c["done"] / held) if held else None
        c["on_time"] = round(100 * c["done_on_time"] / c["done"]) if c["done"] else None
    return counts


def rows_of(response):
    return {r["name"]: r for r in response.context["departments"]["rows"]}


# --- access -----------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status"), [("staff", 403), ("other_staff", 403), ("manager", 200), ("office", 200)]
)
def test_only_managers_and_the_office_see_the_dashboard(client, users, who, status):
    client.force_login(users[who])
    assert client.get(URL).status_code == status


def test_the_full_page_has_the_three_parts(client, users, item):
    client.force_login(users["manager"])
    html = client.get(URL).content.decode()
    assert 'id="dept-table"' in html
    assert 'id="trend-chart"' in html
    assert "近期会议" in html
    assert "<svg" in html and '<title id="chart-title">' in html
    assert "查看数据表" in html


@pytest.mark.parametrize("target", ["dept-table", "trend-chart"])
def test_htmx_gets_only_the_part_it_swaps(client, users, item, target):
    client.force_login(users["manager"])
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section id="{target}"')
    assert "<html" not in html


# --- numbers ---------------------------------------------------------------------------------------------


def test_department_numbers_match_a_brute_force_count(client, users, today):
    build_city(users, today, departments=5, meetings=4, items_per_meeting=6)
    client.force_login(users["office"])
    rows = rows_of(client.get(URL))
    expected = brute_force(today)
    assert set(rows) == set(expected)
    for name, counts in expected.items():
        for key, value in counts.items():
            assert rows[name][key] == value, (name, key)


def test_totals_add_up_the_rows(client, users, today):
    build_city(users, today)
    client.force_login(users["office"])
    departments = client.get(URL).context["departments"]
    for key in ("assigned", "done", "overdue", "due_soon"):
        assert departments["totals"][key] == sum(r[key] for r in departments["rows"])


def test_a_manager_who_oversees_departments_sees_only_those(client, users, today):
    depts = build_city(users, today)
    users["manager"].oversees.set(depts[:2])
    client.force_login(users["manager"])
    assert set(rows_of(client.get(URL))) <= {d.name for d in depts[:2]}


def test_each_number_links_to_the_filtered_item_list(client, users, lead, departments):
    client.force_login(users["manager"])
    html = client.get(URL).content.decode()
    pk = departments["nongban"].pk
    assert f"/items/?department={pk}" in html
    assert f"/items/?department={pk}&amp;light=yellow" in html or f"department={pk}" in html


def test_each_count_matches_the_list_its_link_opens(client, users, make_item, departments, today):
    """办理中 and 待审核 are separate columns, so each number is exactly the list it opens."""
    office = users["office"]
    for n, status in enumerate([S.PENDING, S.IN_PROGRESS, S.IN_PROGRESS, S.REVIEW, S.DONE]):
        lead = make_item(lead=departments["nongban"], deadline=today + DAY * (n * 5 - 6)).assignments.get()
        if status != S.PENDING:
            lead.accept(by=users["staff"])
        if status in (S.REVIEW, S.DONE):
            lead.submit_done(by=users["staff"], note="已完成")
        if status == S.DONE:
            lead.close(by=office)
    client.force_login(users["manager"])
    row = rows_of(client.get(URL))["市农办"]
    checked = 0
    for cell in row["cells"]:
        if cell.get("percent") or cell["key"] == "done_on_time":  # 按期办结 opens all 已办结, by design
            continue
        listed = client.get(cell["url"]).context["table"].page.paginator.count
        assert listed == cell["value"], cell["key"]
        checked += 1
    assert checked == 6
    assert (row["in_progress"], row["review"]) == (2, 1)


def test_overdue_and_due_soon_link_to_the_lights(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], deadline=today - DAY)
    make_item(lead=departments["jiaoti"], deadline=today + DAY)
    client.force_login(users["office"])
    html = client.get(URL).content.decode()
    assert f"department={departments['nongban'].pk}&amp;light=red" in html
    assert f"department={departments['jiaoti'].pk}&amp;light=yellow" in html


def test_meeting_summary_counts_items_done_and_overdue(client, users, make_item, departments, meeting, today):
    late = make_item(lead=departments["nongban"], deadline=today - DAY)
    make_item(lead=departments["nongban"], deadline=today + 30 * DAY)
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    done = make_item(lead=departments["jiaoti"], deadline=today + DAY)
    a = done.assignments.get()
    a.accept(by=users["office"])
    a.submit_done(by=users["office"], note="完成")
    a.close(by=users["office"])
    client.force_login(users["office"])
    summary = list(client.get(URL).context["meetings"])
    assert [(m.pk, m.n_items, m.n_done, m.n_overdue) for m in summary] == [(meeting.pk, 3, 1, 1)]
    assert late.pk


def test_trend_counts_opened_closed_and_overdue_per_month(
    client, users, make_item, departments, meeting, today
):
    # The meeting is on 2026-03-13, so its assignments open in March.
    overdue = make_item(lead=departments["nongban"], deadline=datetime.date(2026, 4, 10))
    closed = make_item(lead=departments["jiaoti"], deadline=datetime.date(2026, 5, 31))
    a = closed.assignments.get()
    a.accept(by=users["office"])
    a.submit_done(by=users["office"], note="完成")
    a.close(by=users["office"])
    with AssignmentTally.tracking(Assignment.objects.filter(pk=a.pk)):  # an edit outside the workflow
        Assignment.objects.filter(pk=a.pk).update(finished_on=datetime.date(2026, 5, 20))
    client.force_login(users["office"])
    trend = client.get(URL, {"year": "2026"}).context["trend"]
    months = {m["month"]: m for m in trend["months"]}
    assert trend["year"] == 2026
    assert months[3]["opened"] == 2 and sum(m["opened"] for m in trend["months"]) == 2
    assert months[5]["closed"] == 1
    assert [months[m]["overdue"] for m in range(1, 7)] == [0, 0, 0, 1, 1, 1]  # today is 2026-06-15
    assert months[7]["overdue"] is None  # still to come
    assert overdue.pk


def test_trend_defaults_to_the_latest_year_with_data(client, users, make_item, departments, meeting, today):
    with AssignmentTally.tracking(Assignment.objects.filter(item__meeting=meeting)):
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2017, 3, 1))
    make_item(lead=departments["nongban"], deadline=datetime.date(2017, 12, 31))
    client.force_login(users["office"])
    trend = client.get(URL).context["trend"]
    assert trend["year"] == 2017
    assert trend["years"] == [2017, 2026]
    assert client.get(URL, {"year": "1999"}).context["trend"]["year"] == 2017


# --- sorting ------------------------------------------------------------------------------------------------


def test_departments_sort_by_overdue_by_default_with_name_as_tie_breaker(client, users, today):
    build_city(users, today, departments=6)
    client.force_login(users["office"])
    rows = client.get(URL).context["departments"]["rows"]
    assert [(-r["overdue"], r["name"]) for r in rows] == sorted((-r["overdue"], r["name"]) for r in rows)


@pytest.mark.parametrize("key", ["name", "assigned", "done", "completion", "on_time", "due_soon"])
def test_every_column_sorts_both_ways(client, users, today, key):
    build_city(users, today, departments=6)
    client.force_login(users["office"])

    def value(r):
        return -1 if r[key] is None else r[key]

    up = client.get(URL, {"sort": key}).context["departments"]["rows"]
    down = client.get(URL, {"sort": f"-{key}"}).context["departments"]["rows"]
    assert [value(r) for r in up] == sorted(value(r) for r in up)
    assert [value(r) for r in down] == sorted((value(r) for r in down), reverse=True)


def test_an_unknown_sort_falls_back_to_the_default(client, users, today):
    build_city(users, today)
    client.force_login(users["office"])
    assert client.get(URL, {"sort": "password"}).context["departments"]["sort"] == "-overdue"


def test_sorted_header_says_so_and_links_the_other_way(client, users, lead):
    client.force_login(users["office"])
    response = client.get(URL, {"sort": "-done"})
    headers = {h["key"]: h for h in response.context["departments"]["headers"]}
    assert headers["done"]["sorted"] == "descending"
    assert headers["done"]["next"] == "done"
    assert headers["assigned"]["next"] == "-assigned"
    assert 'aria-sort="descending"' in response.content.decode()


# --- constant queries ------------------------------------------------------------------------------------------


def count_queries(client):
    """Count a request's queries with nothing cached: the most it runs."""
    clear_caches()
    with CaptureQueriesContext(connection) as run:
        client.get(URL)
    return len(run)


@pytest.mark.parametrize("who", ["office", "manager"])
def test_the_dashboard_runs_the_same_queries_for_few_and_many_rows(
    client, users, today, django_assert_max_num_queries, who
):
    build_city(users, today, departments=2, meetings=1, items_per_meeting=2)
    client.force_login(users[who])
    client.get(URL)
    few = count_queries(client)
    build_city(users, today, departments=40, meetings=25, items_per_meeting=8, seed=11, prefix="乙")
    clear_caches()
    with django_assert_max_num_queries(few):
        response = client.get(URL)
    assert len(response.context["departments"]["rows"]) > 40
    assert len(response.context["meetings"]) == 20
    assert few <= 11
    assert count_queries(client) == few


def test_the_dashboard_reads_the_counts_version_once(client, users, today):
    build_city(users, today, departments=3, meetings=2, items_per_meeting=3)
    client.force_login(users["manager"])
    clear_caches()
    with CaptureQueriesContext(connection) as run:
        assert client.get(URL).status_code == 200
    versions = [q for q in run.captured_queries if "tracker_countsversion" in q["sql"]]
    assert len(versions) == 1


# --- the chart's layout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "step"), [(0, 1), (0.3, 1), (1, 1), (1.5, 2), (3, 5), (7, 10), (12, 20), (260, 500)]
)
def test_nice_step_rounds_up_to_1_2_or_5(raw, step):
    assert nice_step(raw) == step


def test_trend_chart_scales_bars_to_the_highest_value():
    months = [{"label": f"{m}月", "opened": 0, "closed": 0, "overdue": None} for m in range(1, 13)]
    months[2] |= {"opened": 8, "closed": 2, "overdue": 3}
    chart = trend_chart(months)
    top = chart["ticks"][-1]
    assert top["value"] >= 8
    march = chart["columns"][2]
    assert march["opened_y"] < march["closed_y"] < chart["baseline"]
    assert chart["columns"][0]["opened_h"] == 0
    assert len(chart["points"]) == 1


def test_department_rows_escape_the_name_and_show_each_count_as_a_link(
    client, users, make_item, departments, today
):
    departments["nongban"].name = '<b>农办</b> & "新"'
    departments["nongban"].save()
    make_item(lead=departments["nongban"], deadline=today - DAY)
    client.force_login(users["office"])
    html = client.get(URL).content.decode()
    assert '<th scope="row" class="dept-name">&lt;b&gt;农办&lt;/b&gt; &amp; &quot;新&quot;</th>' in html
    assert "<b>农办</b>" not in html
    pk = departments["nongban"].pk
    assert f'<td class="num is-red"><a href="/items/?department={pk}&amp;light=red">1</a></td>' in html


def test_the_cached_chart_and_meeting_rows_follow_the_data(
    client, users, make_item, departments, meeting, today
):
    """Both are cached as HTML under a digest of their data: new numbers, new HTML at once."""
    make_item(lead=departments["nongban"], deadline=today - DAY)
    client.force_login(users["office"])
    before = client.get(URL).content.decode()
    assert client.get(URL).content.decode().count("3月 新交办 1") == 1  # from the cache, the same
    assert f'?meeting={meeting.pk}">1</a>' in before
    make_item(lead=departments["jiaoti"], deadline=today - DAY)
    after = client.get(URL).content.decode()
    assert "3月 新交办 2" in after and "3月 新交办 1" not in after
    assert f'?meeting={meeting.pk}">2</a>' in after
    assert f'?meeting={meeting.pk}&amp;light=red">2</a>' in after


def test_the_cached_department_table_follows_counts_names_and_sort(
    client, users, make_item, departments, today
):
    """The table's rows are cached with the counts: a change, a renamed department or a sort shows at once."""
    make_item(lead=departments["nongban"], deadline=today - DAY)
    client.force_login(users["manager"])

    def nongban_row(**query):
        rows = client.get(URL, query).context["departments"]["rows"]
        return next(r for r in rows if r["id"] == departments["nongban"].pk), rows

    row, _ = nongban_row()
    assert (row["name"], row["assigned"], row["overdue"]) == ("市农办", 1, 1)
    assert nongban_row()[0]["assigned"] == 1  # from the cache
    make_item(lead=departments["nongban"], deadline=today + DAY)
    assert nongban_row()[0]["assigned"] == 2
    departments["nongban"].name = "市农业农村局"
    departments["nongban"].save()
    assert nongban_row()[0]["name"] == "市农业农村局"
    assert "市农业农村局" in client.get(URL).content.decode()
    _, by_name = nongban_row(sort="name")
    assert [r["name"] for r in by_name] == sorted(r["name"] for r in by_name)
