"""The dashboard's kept counts stay exactly equal to a recount after any sequence of changes."""

import contextlib
import datetime
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from importer.types import (
    Deadline,
    DepartmentRef,
    ParsedDocument,
    ParsedItem,
    ParsedMeeting,
    RecordedState,
)
from importer.write import write_documents
from tracker.models import (
    ActionItem,
    Assignment,
    AssignmentMonth,
    AssignmentTally,
    CountsVersion,
    Department,
    Meeting,
    TransitionError,
)

DAY = datetime.timedelta(days=1)
S = Assignment.Status


def recount(on):
    """Count by brute force over the assignments themselves."""
    return [dict(r) for r in Assignment.objects.summary_by_department(on)]


def kept(on):
    return [dict(r) for r in AssignmentTally.objects.summary_by_department(on)]


def counted_rows():
    rows = [a for a in Assignment.objects.live().select_related("item__meeting") if a.status != S.RETURNED]
    return rows, [AssignmentMonth.opened_on(a) for a in rows]


def recount_trend(year, on, rows, opened):
    """The monthly trend by brute force: the dashboard's definition applied to every assignment."""
    months = []
    for number in range(1, 13):
        first = datetime.date(year, number, 1)
        end = datetime.date(year + number // 12, number % 12 + 1, 1)
        point = min(end - DAY, on)
        overdue = None
        if first <= on:
            overdue = sum(
                1
                for a, o in zip(rows, opened, strict=True)
                if o <= point
                and a.due_date
                and a.due_date < point
                and (a.finished_on is None or a.finished_on > point)
            )
        months.append(
            {
                "month": number,
                "opened": sum(1 for o in opened if first <= o < end),
                "closed": sum(1 for a in rows if a.status == S.DONE and first <= a.finished_on < end),
                "overdue": overdue,
            }
        )
    return months


def kept_trend(year, on):
    overdue_now = AssignmentTally.objects.overdue_count(on)
    return AssignmentMonth.objects.trend(year, on, overdue_now=overdue_now)


def assert_live_flags_match():
    """Every assignment's kept `live` flag says what its item's state says."""
    truth = {
        a.pk for a in Assignment.objects.select_related("item") if a.item.state in ActionItem.LIVE_STATES
    }
    assert set(Assignment.objects.live().values_list("pk", flat=True)) == truth


def assert_tally_matches(today):
    assert_live_flags_match()
    for on in (today - 30 * DAY, today - DAY, today, today + 3 * DAY, today + 8 * DAY, today + 400 * DAY):
        assert kept(on) == recount(on), on
    rows, opened = counted_rows()
    years = kept_trend(None, today)["years"]
    assert years == sorted({o.year for o in opened} | {today.year})
    for year in years:
        trend = kept_trend(year, today)
        assert trend["year"] == year
        assert trend["months"] == recount_trend(year, today, rows, opened), year


class Workflow:
    """Random but legal-looking steps over a small city, taken through the model methods only."""

    def __init__(self, rng, meetings, users, departments, today):
        self.rng = rng
        self.meetings = meetings
        self.office = users["office"]
        self.staff = users["staff"]
        self.real = [d for d in departments if not d.is_group]
        self.today = today
        self.position = 1000

    def due(self):
        offsets = (-400, -200, -40, -8, -1, 0, 1, 5, 7, 8, 30, 90)
        return self.rng.choice([None, *(self.today + n * DAY for n in offsets)])

    def new_draft(self):
        self.position += 1
        deadline = self.due()
        item = ActionItem.objects.create(
            meeting=self.rng.choice(self.meetings),
            position=self.position,
            text=f"事项{self.position}",
            deadline=deadline,
        )
        chosen = self.rng.sample(self.real, self.rng.randint(1, 4))
        for n, d in enumerate(chosen):
            role = Assignment.Role.LEAD if n == 0 else Assignment.Role.SUPPORT
            # Some assignments carry their own date, others take the item's at confirmation.
            due = self.due() if self.rng.random() < 0.3 else None
            Assignment.objects.create(item=item, department=d, role=role, due_date=due)
        return item

    def pick(self, queryset):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        return queryset.get(pk=self.rng.choice(ids)) if ids else None

    def pick_item(self, *states):
        return self.pick(ActionItem.objects.filter(state__in=states))

    def pick_assignment(self):
        return self.pick(Assignment.objects.live())

    def step(self):
        """Take one random step; return its name (a refused step must change nothing)."""
        kind = self.rng.choice(
            ["draft", "confirm", "confirm", "cancel", "assign", *["work"] * 12],
        )
        if kind == "draft":
            self.new_draft()
        elif kind == "confirm":
            item = self.pick_item(ActionItem.State.DRAFT) or self.new_draft()
            item.confirm(by=self.office)
        elif kind == "cancel":
            item = self.pick_item(ActionItem.State.DRAFT, ActionItem.State.ACTIVE)
            if item:
                item.cancel(by=self.office, reason="随机撤销")
        elif kind == "assign":
            item = self.pick_item(ActionItem.State.DRAFT, ActionItem.State.ACTIVE)
            if item:
                taken = set(item.assignments.values_list("department_id", flat=True))
                free = [d for d in self.real if d.pk not in taken]
                if free:
                    item.assign(self.rng.choice(free), role=Assignment.Role.SUPPORT, by=self.office)
        else:
            assignment = self.pick_assignment()
            if assignment:
                kind = self.work(assignment)
        return kind

    def work(self, a):
        action = self.rng.choice(
            [
                "accept",
                "progress",
                "extension",
                "approve",
                "refuse",
                "submit",
                "close",
                "rework",
                "send_back",
                "reassign",
            ]
        )
        if action == "accept":
            a.accept(by=self.staff)
        elif action == "progress":
            a.report_progress(by=self.staff, progress=self.rng.randint(0, 99), note="推进中")
        elif action == "extension":
            base = max(a.due_date or self.today, self.today)
            a.request_extension(
                by=self.staff, new_date=base + self.rng.randint(1, 20) * DAY, reason="需要时间"
            )
        elif action == "approve":
            a.approve_extension(by=self.office)
        elif action == "refuse":
            a.refuse_extension(by=self.office, reason="不同意")
        elif action == "submit":
            a.submit_done(by=self.staff, note="已完成")
        elif action == "close":
            a.close(by=self.office)
        elif action == "rework":
            a.return_for_rework(by=self.office, reason="材料不全")
        elif action == "send_back":
            a.send_back(by=self.staff, reason="不属于本单位")
        elif action == "reassign":
            taken = set(a.item.assignments.values_list("department_id", flat=True))
            free = [d for d in self.real if d.pk not in taken]
            if free:
                a.reassign(self.rng.choice(free), by=self.office)
        return action


@pytest.fixture
def meetings(meeting):
    """Meetings over two years, so items open (and close) in different months."""
    days = [datetime.date(2025, 5, 10), datetime.date(2025, 12, 20), datetime.date(2026, 6, 1)]
    more = [
        Meeting.objects.create(
            title=f"专题会议{n}", date=day, natural_key=f"special:{day}:{n}", kind="special"
        )
        for n, day in enumerate(days)
    ]
    return [meeting, *more]


@pytest.fixture
def clock(today, monkeypatch):
    """A clock the random walk moves forward; the models read today from it."""
    now = [today]
    monkeypatch.setattr("tracker.models.today", lambda: now[0])
    return now


@pytest.fixture
def city(departments):
    """The fixture departments plus a few more real ones."""
    extra = [Department.objects.create(name=f"测试局{n}", kind=Department.Kind.CITY) for n in range(1, 5)] + [
        Department.objects.create(name="崇仁镇", kind=Department.Kind.TOWNSHIP)
    ]
    return [*departments.values(), *extra]


@pytest.mark.parametrize("seed", range(6))
def test_kept_counts_equal_a_recount_after_every_random_step(seed, city, meetings, users, clock):
    flow = Workflow(random.Random(seed), meetings, users, city, clock[0])
    taken = {}
    for _ in range(120):
        clock[0] += flow.rng.choice([0, 0, 1, 3, 10]) * DAY
        flow.today = clock[0]
        try:
            name = flow.step()
        except TransitionError:
            name = "refused"
        taken[name] = taken.get(name, 0) + 1
        assert_tally_matches(clock[0])
    # The walk really exercised the workflow, not just refusals.
    assert Assignment.objects.live().exclude(status=S.PENDING).exists()
    assert taken.get("refused", 0) < 120


def test_rebuild_gives_the_same_counts_as_keeping_them(city, meetings, users, today):
    flow = Workflow(random.Random(42), meetings, users, city, today)
    for _ in range(150):
        with contextlib.suppress(TransitionError):
            flow.step()
    before = kept(today), kept_trend(today.year - 1, today), kept_trend(today.year, today)
    AssignmentTally.rebuild()
    assert (kept(today), kept_trend(today.year - 1, today), kept_trend(today.year, today)) == before
    assert kept(today) == recount(today)


def test_every_status_reaches_the_counts(make_item, departments, users, today):
    nb, jt, town = departments["nongban"], departments["jiaoti"], departments["town"]
    items = [make_item(lead=d, deadline=today + n * DAY) for n, d in [(-2, nb), (3, jt), (-5, town), (2, nb)]]
    a = [i.assignments.get() for i in items]
    a[0].accept(by=users["staff"])
    a[1].send_back(by=users["other_staff"], reason="不是我们的")
    a[2].accept(by=users["office"])
    a[2].submit_done(by=users["office"], note="完成")
    a[3].accept(by=users["staff"])
    a[3].submit_done(by=users["staff"], note="完成")
    a[3].close(by=users["office"])
    assert_tally_matches(today)
    rows = {r["department__name"]: r for r in kept(today)}
    assert rows["市农办"]["overdue"] == 1 and rows["市农办"]["done_on_time"] == 1
    assert rows["教体局"]["returned"] == 1 and rows["教体局"]["assigned"] == 1
    assert rows["甘霖镇"]["review"] == 1 and rows["甘霖镇"]["in_progress"] == 0
    assert rows["甘霖镇"]["overdue"] == 1


def test_drafts_and_cancelled_items_are_not_counted(make_item, departments, today):
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, deadline=today)
    make_item(lead=departments["jiaoti"], state=ActionItem.State.CANCELLED, deadline=today)
    assert kept(today) == recount(today) == []
    assert sum(AssignmentTally.objects.values_list("count", flat=True)) == 0


def test_summary_from_the_kept_counts_is_three_small_queries_then_two_while_unchanged(item, today):
    """The counts' version, the sums and the departments' names; the sums come from the cache after."""
    with CaptureQueriesContext(connection) as cold:
        rows = kept(today)
    with CaptureQueriesContext(connection) as warm:
        assert kept(today) == rows
    assert len(cold.captured_queries) == 3
    assert len(warm.captured_queries) == 2
    assert not any("assignmenttally" in q["sql"].lower() for q in warm.captured_queries)
    assert [r["department__name"] for r in rows] == ["市农办", "教体局"]


def test_a_transition_that_keeps_the_key_does_not_touch_the_counts(lead, users, today):
    lead.accept(by=users["staff"])
    with CaptureQueriesContext(connection) as ctx:
        lead.report_progress(by=users["staff"], progress=40, note="过半")
    assert not any("assignmenttally" in q["sql"].lower() for q in ctx.captured_queries)


def test_summary_can_be_limited_to_some_departments(item, departments, today):
    rows = AssignmentTally.objects.filter(department=departments["jiaoti"]).summary_by_department(today)
    assert [r["department__name"] for r in rows] == ["教体局"]


def test_import_that_confirms_at_once_counts_its_assignments(departments, today):
    text = "会议要求,市农办牵头抓好落实,教体局配合。甘霖镇要做好保障。"
    meeting = ParsedMeeting(
        title="十六届政府第9次常务会议",
        kind="executive",
        session=16,
        number=9,
        date=today,
        text=text,
        source="测试",
        items=(
            ParsedItem(
                position=1,
                text=text[5:20],
                span=(5, 20),
                departments=(
                    DepartmentRef("市农办", "市农办"),
                    DepartmentRef("教体局", "教体局", role="support"),
                ),
                deadline=Deadline(kind="date", date=today + 3 * DAY, text="三天内"),
            ),
            ParsedItem(
                position=2,
                text=text[21:],
                span=(21, len(text)),
                departments=(DepartmentRef("甘霖镇", "甘霖镇"),),
            ),
            # A group word keeps its item a draft: not counted.
            ParsedItem(
                position=3, text="相关部门", span=(0, 4), departments=(DepartmentRef("相关部门", "相关部门"),)
            ),
        ),
    )
    report = write_documents([ParsedDocument(source="测试", meetings=(meeting,))], confirm=True)
    assert report.items_confirmed == 2
    assert Meeting.objects.count() == 1
    assert_tally_matches(today)
    assert sum(r["assigned"] for r in kept(today)) == 3


def test_an_import_of_recorded_states_counts_them_as_the_workflow_would(departments, users, clock):
    """Ledger rows done, in progress and not started: assigned at import or confirmed later, then worked on."""
    today = clock[0]
    text = "".join(f"{n}.任务{n}。" for n in range(1, 7))
    done = RecordedState(kind="done", label="办理状态", text="已办结", finished=today - 40 * DAY)
    undated_done = RecordedState(kind="done", label="完成情况", text="完成")
    ongoing = RecordedState(kind="in_progress", label="进度", text="60%", progress=60)
    idle = RecordedState(kind="not_started", label="办理状态", text="未启动")
    nb, jt, town = (DepartmentRef(n, n) for n in ("市农办", "教体局", "甘霖镇"))
    support = DepartmentRef("教体局", "教体局", role="support")
    rows = [
        ((nb, support), done, today - 30 * DAY),  # finished before it was due: on time
        ((jt,), done, today - 90 * DAY),  # finished after it was due: late
        ((town, support), ongoing, today - 5 * DAY),  # overdue, in progress
        ((nb,), undated_done, None),
        ((jt,), idle, today + 3 * DAY),
        ((DepartmentRef("相关部门", "相关部门"),), ongoing, today + 30 * DAY),  # a draft until resolved
    ]
    items = []
    for n, (refs, state, due) in enumerate(rows, start=1):
        deadline = Deadline(kind="date", date=due) if due else Deadline()
        span = (text.index(f"{n}."), text.index(f"{n}.") + len(f"{n}.任务{n}"))
        items.append(
            ParsedItem(n, text[span[0] : span[1]], span, departments=refs, deadline=deadline, recorded=state)
        )
    meeting = ParsedMeeting(
        title="2025年重点工作推进台账", kind="other", session=None, number=None,
        date=today - 100 * DAY, text=text, source="台账.xlsx", items=tuple(items),
    )  # fmt: skip
    write_documents([ParsedDocument(source="台账.xlsx", meetings=(meeting,))], confirm=True)
    assert_tally_matches(today)
    statuses = dict(Assignment.objects.values_list("item__position", "status").filter(role="lead"))
    assert statuses == {1: S.DONE, 2: S.DONE, 3: S.IN_PROGRESS, 4: S.DONE, 5: S.PENDING, 6: S.PENDING}
    rows = {r["department__name"]: r for r in kept(today)}
    assert (rows["市农办"]["done"], rows["市农办"]["done_on_time"]) == (2, 2)
    assert (rows["教体局"]["done"], rows["教体局"]["done_on_time"]) == (2, 1)
    assert rows["甘霖镇"]["overdue"] == 1

    draft = ActionItem.objects.get(position=6)
    draft.resolve_group(departments["related"], [departments["town"]], by=users["office"])
    draft.confirm(by=users["office"])
    assert draft.assignments.get().status == S.IN_PROGRESS
    assert_tally_matches(today)

    clock[0] += 10 * DAY
    lead = Assignment.objects.get(item__position=3, role="lead")
    lead.submit_done(by=users["staff"], note="完成")
    lead.close(by=users["office"])
    Assignment.objects.get(item__position=5).accept(by=users["staff"])
    assert_tally_matches(clock[0])


def test_edits_outside_the_workflow_are_counted_when_tracked(make_item, departments, meeting, users, today):
    item = make_item(lead=departments["nongban"], support=[departments["jiaoti"]], deadline=today + 3 * DAY)
    lead = item.assignments.get(department=departments["nongban"])
    with AssignmentTally.tracking(Assignment.objects.filter(item=item)):
        # What the admin's forms do: change a due date, add a department, delete one.
        Assignment.objects.filter(pk=lead.pk).update(due_date=today - 5 * DAY)
        Assignment.objects.create(item=item, department=departments["town"], role="support", due_date=today)
        item.assignments.filter(department=departments["jiaoti"]).delete()
    assert_tally_matches(today)
    with AssignmentTally.tracking(Assignment.objects.filter(item__meeting=meeting)):
        Meeting.objects.filter(pk=meeting.pk).update(date=datetime.date(2025, 11, 2))
    assert_tally_matches(today)


def test_admin_edits_keep_the_counts(client, lead, meeting, users, departments, today):
    users["office"].is_superuser = True
    users["office"].save()
    client.force_login(users["office"])
    url = f"/admin/tracker/assignment/{lead.pk}/change/"
    data = {
        "item": lead.item_id,
        "department": departments["town"].pk,
        "role": "lead",
        "due_date": "2026-06-01",
    }
    assert client.post(url, data).status_code == 302
    lead.refresh_from_db()
    assert (lead.department_id, lead.due_date) == (departments["town"].pk, datetime.date(2026, 6, 1))
    assert_tally_matches(today)
    url = f"/admin/tracker/meeting/{meeting.pk}/change/"
    data = {
        "kind": meeting.kind,
        "session": 16,
        "number": 1,
        "title": meeting.title,
        "date": "2025-12-01",
        "text": "x",
    }
    assert client.post(url, data).status_code == 302
    assert_tally_matches(today)
    assert client.post(f"/admin/tracker/assignment/{lead.pk}/delete/", {"post": "yes"}).status_code == 302
    assert_tally_matches(today)


@pytest.mark.parametrize("who", ["office", "manager", "staff", "other_staff"])
def test_list_tabs_from_the_kept_counts_equal_a_count_of_the_rows(
    rf, city, meetings, users, clock, make_item, departments, who
):
    from tracker.filters import AssignmentFilter
    from tracker.views import _assignments_for, _status_counts, _tab_counts

    flow = Workflow(random.Random(5), meetings, users, city, clock[0])
    for _ in range(80):
        with contextlib.suppress(TransitionError):
            flow.step()
    make_item(lead=departments["nongban"], support=[departments["jiaoti"]])  # undated: a grey light
    make_item(lead=departments["nongban"], deadline=clock[0] - DAY)
    make_item(lead=departments["nongban"], deadline=clock[0] + 30 * DAY)
    user = users[who]
    choices = [{}, {"status": "in_progress"}] + [{"light": light} for light in Assignment.Light.values]
    if who in ("office", "manager"):
        choices += [
            {"department": str(users["staff"].department_id)},
            {"department": str(city[1].pk), "light": "red"},
        ]
    for query in [*choices, {"role": "lead"}]:
        request = rf.get("/items/", query)
        request.user = user
        filterset = AssignmentFilter(request.GET, queryset=_assignments_for(user), request=request)
        assert filterset.is_valid(), query
        assert _tab_counts(user, filterset) == _status_counts(filterset.qs_without("status")), query


# --- cached reads of the kept counts (tracker.models.cached_counts) ----------------------------------


def test_every_change_to_the_counts_gives_its_departments_a_new_version(item, users, departments):
    lead = item.assignments.get(department=departments["nongban"])
    before = dict(CountsVersion.objects.values_list("department_id", "token"))
    lead.accept(by=users["staff"])
    after = dict(CountsVersion.objects.values_list("department_id", "token"))
    assert after[departments["nongban"].pk] != before[departments["nongban"].pk]
    assert after[departments["jiaoti"].pk] == before[departments["jiaoti"].pk]


def test_a_progress_report_keeps_the_version_and_the_cached_counts(lead, users, today):
    lead.accept(by=users["staff"])
    version = CountsVersion.current()
    kept(today)
    lead.report_progress(by=users["staff"], progress=40, note="过半")
    assert CountsVersion.current() == version
    with CaptureQueriesContext(connection) as ctx:
        kept(today)
    assert not any("assignmenttally" in q["sql"].lower() for q in ctx.captured_queries)


def test_a_pinned_version_is_read_once_and_only_inside_its_block(lead, users, django_assert_num_queries):
    with CountsVersion.pinned():
        with django_assert_num_queries(1):
            version = CountsVersion.current()
            assert CountsVersion.current() == version
        lead.accept(by=users["staff"])  # a change inside the block shows from the next page on
        assert CountsVersion.current() == version
    assert CountsVersion.current() != version


def test_a_rolled_back_change_leaves_no_cached_counts_behind(item, users, departments, today):
    lead = item.assignments.get(department=departments["nongban"])
    before = kept(today)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        lead.accept(by=users["staff"])
        assert kept(today) != before  # read and cached inside the transaction
        raise RuntimeError("roll back")
    assert kept(today) == before == recount(today)
    lead.refresh_from_db()
    lead.accept(by=users["staff"])
    assert kept(today) == recount(today) != before


def test_rebuilding_the_counts_changes_every_version(item, departments):
    before = dict(CountsVersion.objects.values_list("department_id", "token"))
    AssignmentTally.rebuild()
    after = dict(CountsVersion.objects.values_list("department_id", "token"))
    assert set(after) >= set(Department.objects.values_list("pk", flat=True))
    assert all(after[pk] != token for pk, token in before.items())


def test_a_renamed_department_shows_at_once_in_the_cached_summary(item, departments, today):
    kept(today)
    Department.objects.filter(pk=departments["jiaoti"].pk).update(name="教育体育局")
    assert [r["department__name"] for r in kept(today)] == ["市农办", "教育体育局"]


# --- SQLite 3.40 and "status IN (three values) AND a range on the next index column" -------------


def test_open_work_is_found_right_with_planner_statistics(make_item, departments, today):
    """With these statistics (ANALYZE), SQLite 3.40 answered `status IN (open) AND due_date < today` from
    an index with a row outside the range: a department whose three open assignments are all due
    later showed one overdue. Filters say "open" as "not closed", which it answers right."""
    from django.db import connection

    for due in (today + DAY, today + 7 * DAY, None):
        make_item(lead=departments["jiaoti"], deadline=due)
    make_item(lead=departments["nongban"], deadline=today - 14 * DAY)
    late = make_item(lead=departments["town"], deadline=today - 5 * DAY).assignments.get()
    Assignment.objects.filter(pk=late.pk).update(status=S.REVIEW)  # under review, still overdue
    AssignmentTally.rebuild()  # five kept rows, as in the case that went wrong
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    jiaoti = departments["jiaoti"]
    assert AssignmentTally.objects.filter(department=jiaoti).status_counts(light="red", on=today)["all"] == 0
    assert not Assignment.objects.filter(department=jiaoti).filter_light("red", today).exists()
    assert Assignment.objects.filter(department=jiaoti).overdue(today).count() == 0
    assert Assignment.objects.overdue(today).count() == 2
    assert AssignmentTally.objects.overdue_count(today) == 2


def test_an_items_assignments_are_live_from_confirmation_until_cancellation(make_item, departments, users):
    draft = make_item(
        lead=departments["nongban"], support=[departments["jiaoti"]], state=ActionItem.State.DRAFT
    )
    assert not Assignment.objects.live().filter(item=draft).exists()
    draft.confirm(by=users["office"])
    assert Assignment.objects.live().filter(item=draft).count() == 2
    added = draft.assign(departments["town"], role=Assignment.Role.SUPPORT, by=users["office"])
    assert added.live and Assignment.objects.live().filter(item=draft).count() == 3
    draft.cancel(by=users["office"], reason="重复")
    assert not Assignment.objects.live().filter(item=draft).exists()
    assert_live_flags_match()


def test_rebuild_repairs_live_flags_left_wrong_by_a_bulk_write(item, make_item, departments, today):
    draft = make_item(lead=departments["town"], state=ActionItem.State.DRAFT)
    Assignment.objects.filter(item=item).update(live=False)
    Assignment.objects.filter(item=draft).update(live=True)
    AssignmentTally.rebuild()
    assert_tally_matches(today)
    assert Assignment.objects.live().filter(item=item).count() == 2


def test_admin_moving_an_assignment_to_a_draft_takes_it_out_of_the_lists(
    client, lead, make_item, departments, users, today
):
    draft = make_item(lead=departments["town"], state=ActionItem.State.DRAFT)
    users["office"].is_superuser = True
    users["office"].save()
    client.force_login(users["office"])
    data = {"item": draft.pk, "department": lead.department_id, "role": "support", "due_date": "2026-07-01"}
    assert client.post(f"/admin/tracker/assignment/{lead.pk}/change/", data).status_code == 302
    assert not Assignment.objects.live().filter(pk=lead.pk).exists()
    assert_tally_matches(today)
    client.force_login(users["staff"])  # 市农办's 联络员: the moved row is a draft's now
    assert f"/items/{draft.pk}/" not in client.get("/items/").content.decode()


def test_sync_live_changes_only_wrong_flags_and_says_how_many(item, make_item, departments):
    draft = make_item(lead=departments["town"], state=ActionItem.State.DRAFT)
    Assignment.objects.filter(item=item).update(live=False)
    Assignment.objects.filter(item=draft).update(live=True)
    assert Assignment.objects.filter(item=item).sync_live() == 2  # only the queryset's rows
    assert Assignment.objects.sync_live() == 1
    assert Assignment.objects.sync_live() == 0
    assert_live_flags_match()
