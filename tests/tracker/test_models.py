import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.models import ActionItem, Assignment, JournalEntry, Meeting, TransitionError, User

S = Assignment.Status
DAY = datetime.timedelta(days=1)


def journal_count(assignment):
    return JournalEntry.objects.filter(assignment=assignment).count()


def set_status(assignment, status, **extra):
    Assignment.objects.filter(pk=assignment.pk).update(status=status, **extra)
    assignment.refresh_from_db()
    return assignment


# --- legal transitions write a journal row ------------------------------------------------------


LEGAL = [
    ("accept", S.PENDING, S.IN_PROGRESS, {}),
    ("send_back", S.PENDING, S.RETURNED, {"reason": "不属于本单位职责"}),
    ("send_back", S.IN_PROGRESS, S.RETURNED, {"reason": "职责调整"}),
    ("report_progress", S.IN_PROGRESS, S.IN_PROGRESS, {"progress": 50, "note": "已完成一半"}),
    ("submit_done", S.IN_PROGRESS, S.REVIEW, {"note": "已全部完成"}),
    ("close", S.REVIEW, S.DONE, {}),
    ("return_for_rework", S.REVIEW, S.IN_PROGRESS, {"reason": "材料不全"}),
]


@pytest.mark.parametrize(("method", "start", "end", "kwargs"), LEGAL)
def test_legal_transition_changes_status_and_writes_one_journal_row(lead, users, method, start, end, kwargs):
    set_status(lead, start)
    before = journal_count(lead)
    entry = getattr(lead, method)(by=users["staff"], **kwargs)
    lead.refresh_from_db()
    assert lead.status == end
    assert journal_count(lead) == before + 1
    assert (entry.from_status, entry.to_status, entry.actor) == (start, end, users["staff"])


ILLEGAL = [
    ("accept", [S.IN_PROGRESS, S.REVIEW, S.DONE, S.RETURNED], {}),
    ("send_back", [S.REVIEW, S.DONE, S.RETURNED], {"reason": "理由"}),
    ("report_progress", [S.PENDING, S.REVIEW, S.DONE, S.RETURNED], {"progress": 10, "note": "进展"}),
    ("submit_done", [S.PENDING, S.REVIEW, S.DONE, S.RETURNED], {"note": "完成"}),
    ("close", [S.PENDING, S.IN_PROGRESS, S.DONE, S.RETURNED], {}),
    ("return_for_rework", [S.PENDING, S.IN_PROGRESS, S.DONE, S.RETURNED], {"reason": "理由"}),
]


@pytest.mark.parametrize(
    ("method", "start", "kwargs"), [(m, s, k) for m, starts, k in ILLEGAL for s in starts]
)
def test_illegal_transition_raises_and_changes_nothing(lead, users, method, start, kwargs):
    set_status(lead, start)
    before = journal_count(lead)
    with pytest.raises(TransitionError):
        getattr(lead, method)(by=users["staff"], **kwargs)
    lead.refresh_from_db()
    assert lead.status == start
    assert journal_count(lead) == before


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("send_back", {"reason": "  "}),
        ("report_progress", {"progress": 10, "note": ""}),
        ("submit_done", {"note": ""}),
    ],
)
def test_transition_without_required_text_is_refused(lead, users, method, kwargs):
    set_status(lead, S.IN_PROGRESS)
    with pytest.raises(TransitionError):
        getattr(lead, method)(by=users["staff"], **kwargs)
    assert journal_count(lead) == 0


@pytest.mark.parametrize("progress", [-1, 100, 101])
def test_progress_report_outside_0_to_99_is_refused(lead, users, progress):
    set_status(lead, S.IN_PROGRESS)
    with pytest.raises(TransitionError):
        lead.report_progress(by=users["staff"], progress=progress, note="进展")
    lead.refresh_from_db()
    assert lead.progress == 0


def test_progress_report_records_percentage(lead, users):
    lead.accept(by=users["staff"])
    entry = lead.report_progress(by=users["staff"], progress=50, note="完成一半")
    lead.refresh_from_db()
    assert lead.progress == 50
    assert entry.progress == 50 and entry.note == "完成一半"


def test_submit_done_sets_progress_to_100(lead, users):
    set_status(lead, S.IN_PROGRESS)
    lead.submit_done(by=users["staff"], note="完成")
    lead.refresh_from_db()
    assert (lead.status, lead.progress) == (S.REVIEW, 100)


def test_close_records_finish_date(lead, users, today):
    set_status(lead, S.REVIEW)
    lead.close(by=users["office"])
    lead.refresh_from_db()
    assert lead.finished_on == today
    assert lead.finished_on_time is True


def test_a_reminder_is_journaled_and_leaves_status_progress_and_dates_alone(lead, users):
    lead.accept(by=users["staff"])
    lead.report_progress(by=users["staff"], progress=30, note="推进中")
    entry = lead.remind(by=users["office"], note="请本周内报送进展")
    lead.refresh_from_db()
    assert (lead.status, lead.progress, lead.due_date) == (S.IN_PROGRESS, 30, lead.item.deadline)
    assert (entry.action, entry.note, entry.actor) == ("remind", "请本周内报送进展", users["office"])
    assert entry.from_status == entry.to_status == S.IN_PROGRESS


def test_a_reminder_without_words_gets_the_usual_ones(lead, users):
    assert lead.remind(by=users["office"]).note == "请抓紧办理，按时反馈进展。"


@pytest.mark.parametrize("status", [S.DONE, S.RETURNED])
def test_a_closed_assignment_cannot_be_reminded(lead, users, status):
    set_status(lead, status)
    with pytest.raises(TransitionError):
        lead.remind(by=users["office"])
    assert journal_count(lead) == 0


@pytest.mark.parametrize(
    ("status", "due_in", "expected"),
    [(S.IN_PROGRESS, 5, 5), (S.PENDING, -3, -3), (S.REVIEW, 0, 0), (S.DONE, -3, None), (S.RETURNED, 5, None)],
)
def test_days_left_counts_to_the_due_date_while_open(lead, today, status, due_in, expected):
    lead.status, lead.due_date = status, today + datetime.timedelta(days=due_in)
    assert lead.days_left() == expected


def test_days_left_is_none_without_a_due_date(lead):
    lead.due_date = None
    assert lead.days_left() is None


def test_transitions_are_refused_on_a_cancelled_item(lead, users):
    lead.item.cancel(by=users["office"], reason="重复事项")
    with pytest.raises(TransitionError):
        lead.accept(by=users["staff"])


def test_transitions_are_refused_on_a_draft(make_item, departments, users):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    with pytest.raises(TransitionError):
        draft.assignments.get().accept(by=users["staff"])


# --- extensions ---------------------------------------------------------------------------------


def test_extension_request_then_approval_moves_due_date(lead, users, today):
    lead.accept(by=users["staff"])
    new_date = lead.due_date + 30 * DAY
    lead.request_extension(by=users["staff"], new_date=new_date, reason="汛期施工受阻")
    lead.refresh_from_db()
    assert lead.extension_date == new_date
    lead.approve_extension(by=users["office"])
    lead.refresh_from_db()
    assert (lead.due_date, lead.extension_date) == (new_date, None)
    actions = list(JournalEntry.objects.filter(assignment=lead).values_list("action", flat=True))
    assert (
        JournalEntry.Action.EXTENSION_REQUEST in actions and JournalEntry.Action.EXTENSION_APPROVE in actions
    )


def test_refused_extension_keeps_due_date(lead, users):
    old = lead.due_date
    lead.request_extension(by=users["staff"], new_date=old + 10 * DAY, reason="理由")
    lead.refuse_extension(by=users["office"], reason="时限不能调整")
    lead.refresh_from_db()
    assert (lead.due_date, lead.extension_date) == (old, None)


def test_extension_to_an_earlier_date_is_refused(lead, users):
    with pytest.raises(TransitionError):
        lead.request_extension(by=users["staff"], new_date=lead.due_date - DAY, reason="理由")


def test_second_extension_request_while_one_is_pending_is_refused(lead, users):
    lead.request_extension(by=users["staff"], new_date=lead.due_date + 10 * DAY, reason="理由")
    lead.refresh_from_db()
    with pytest.raises(TransitionError):
        lead.request_extension(by=users["staff"], new_date=lead.due_date + 20 * DAY, reason="再延")


def test_approving_without_a_request_is_refused(lead, users):
    with pytest.raises(TransitionError):
        lead.approve_extension(by=users["office"])


# --- items ----------------------------------------------------------------------------------------


def test_item_is_done_when_all_lead_assignments_are_closed(item, users, departments):
    lead = item.assignments.get(department=departments["nongban"])
    set_status(lead, S.REVIEW)
    lead.close(by=users["office"])
    item.refresh_from_db()
    assert item.state == ActionItem.State.DONE  # the open support assignment does not hold it back


def test_item_stays_active_while_one_lead_is_open(make_item, departments, users, today):
    item = make_item(lead=departments["nongban"], deadline=today)
    item.assign(departments["jiaoti"], role=Assignment.Role.LEAD, by=users["office"])
    first = item.assignments.get(department=departments["nongban"])
    set_status(first, S.REVIEW)
    first.close(by=users["office"])
    item.refresh_from_db()
    assert item.state == ActionItem.State.ACTIVE


def test_confirm_turns_draft_active_and_copies_deadline(make_item, departments, users, today):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, deadline=today + 5 * DAY)
    Assignment.objects.filter(item=draft).update(due_date=None)
    draft.confirm(by=users["office"])
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.ACTIVE
    assert draft.assignments.get().due_date == today + 5 * DAY
    assert draft.journal.filter(action=JournalEntry.Action.CONFIRM).count() == 1


def test_confirm_refuses_an_unresolved_group(make_item, departments, users):
    draft = make_item(lead=departments["related"], state=ActionItem.State.DRAFT)
    with pytest.raises(TransitionError, match="泛指"):
        draft.confirm(by=users["office"])
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.DRAFT


def test_confirm_refuses_an_item_without_lead(meeting, users):
    draft = ActionItem.objects.create(meeting=meeting, position=99, text="要加强管理")
    with pytest.raises(TransitionError, match="牵头"):
        draft.confirm(by=users["office"])


def test_confirm_twice_is_refused(item, users):
    with pytest.raises(TransitionError):
        item.confirm(by=users["office"])


def recorded_draft(make_item, departments, today, **recorded):
    draft = make_item(
        lead=departments["nongban"],
        support=[departments["jiaoti"]],
        state=ActionItem.State.DRAFT,
        deadline=today + 5 * DAY,
    )
    ActionItem.objects.filter(pk=draft.pk).update(**recorded)
    draft.refresh_from_db()
    return draft


def test_confirming_a_draft_its_ledger_recorded_done_closes_its_assignments_and_the_item(
    make_item, departments, users, today
):
    draft = recorded_draft(
        make_item,
        departments,
        today,
        recorded_status="done",
        recorded_finished_on=today - 3 * DAY,
        recorded_text="办理状态:已办结",
    )
    draft.confirm(by=users["office"])
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.DONE
    assert {(a.status, a.progress, a.finished_on) for a in draft.assignments.all()} == {
        (S.DONE, 100, today - 3 * DAY)
    }
    notes = draft.journal.filter(action=JournalEntry.Action.IMPORT, assignment__isnull=False)
    assert [e.note for e in notes] == ["按导入台账记录的状态开始办理：“办理状态:已办结”"] * 2
    assert draft.journal.filter(action=JournalEntry.Action.ITEM_DONE).count() == 1


def test_confirming_a_draft_its_ledger_recorded_in_progress_starts_its_assignments_at_that_progress(
    make_item, departments, users, today
):
    draft = recorded_draft(
        make_item,
        departments,
        today,
        recorded_status="in_progress",
        recorded_progress=80,
        recorded_text="进展情况:推进中80%",
    )
    assert draft.recorded_label == "推进中 80%"
    draft.confirm(by=users["office"])
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.ACTIVE
    assert {(a.status, a.progress, a.finished_on) for a in draft.assignments.all()} == {
        (S.IN_PROGRESS, 80, None)
    }
    lead = draft.assignments.get(department=departments["nongban"])
    lead.report_progress(by=users["staff"], progress=90, note="又有进展")
    assert lead.progress == 90


def test_confirming_a_draft_its_ledger_recorded_not_started_starts_it_as_any_other(
    make_item, departments, users, today
):
    draft = recorded_draft(
        make_item, departments, today, recorded_status="not_started", recorded_text="办理状态:未启动"
    )
    assert draft.recorded_label == "未启动"
    draft.confirm(by=users["office"])
    assert set(draft.assignments.values_list("status", flat=True)) == {S.PENDING}
    assert list(draft.journal.values_list("action", flat=True)) == [JournalEntry.Action.CONFIRM]


def test_resolve_group_replaces_placeholder_with_real_departments(make_item, departments, users):
    draft = make_item(lead=departments["related"], state=ActionItem.State.DRAFT)
    draft.resolve_group(
        departments["related"], [departments["nongban"], departments["jiaoti"]], by=users["office"]
    )
    names = set(draft.assignments.values_list("department__name", flat=True))
    assert names == {"市农办", "教体局"}
    draft.confirm(by=users["office"])
    assert ActionItem.objects.get(pk=draft.pk).state == ActionItem.State.ACTIVE


def test_cancel_needs_a_reason_and_is_journaled(item, users):
    with pytest.raises(TransitionError):
        item.cancel(by=users["office"], reason="")
    item.cancel(by=users["office"], reason="与第3项重复")
    item.refresh_from_db()
    assert (item.state, item.cancel_reason) == (ActionItem.State.CANCELLED, "与第3项重复")
    assert item.journal.filter(action=JournalEntry.Action.CANCEL).exists()


def test_cancelled_item_cannot_be_cancelled_again(item, users):
    item.cancel(by=users["office"], reason="重复")
    with pytest.raises(TransitionError):
        item.cancel(by=users["office"], reason="再撤销")


def test_reassign_gives_a_sent_back_assignment_to_another_department(lead, users, departments):
    lead.send_back(by=users["staff"], reason="不属于本单位")
    new = lead.reassign(departments["town"], by=users["office"])
    assert new.department == departments["town"] and new.status == S.PENDING and new.role == lead.role
    assert JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.REASSIGN).exists()


def test_reassign_of_an_open_assignment_is_refused(lead, users, departments):
    with pytest.raises(TransitionError):
        lead.reassign(departments["town"], by=users["office"])


def test_comment_and_instruction_are_journaled(item, users):
    item.comment(by=users["manager"], note="抓紧推进", instruction=True)
    entry = item.journal.get(action=JournalEntry.Action.INSTRUCTION)
    assert entry.note == "抓紧推进" and entry.actor == users["manager"]
    with pytest.raises(TransitionError):
        item.comment(by=users["manager"], note=" ")


def test_source_parts_highlight_the_items_sentence(item):
    before, sentence, after = item.source_parts()
    assert sentence == item.meeting.text[5:18]
    assert before + sentence + after == item.meeting.text


def test_natural_key_tells_sessions_apart():
    k15 = Meeting.make_natural_key("executive", 15, 1, None, "第1次常务会议")
    k16 = Meeting.make_natural_key("executive", 16, 1, None, "第1次常务会议")
    special = Meeting.make_natural_key("special", None, None, datetime.date(2017, 1, 10), "土地开发 工作会议")
    assert k15 != k16
    assert special == "special:2017-01-10:土地开发工作会议"


# --- lights ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_offset", "status", "light"),
    [
        (-1, S.IN_PROGRESS, "red"),
        (0, S.IN_PROGRESS, "yellow"),
        (7, S.PENDING, "yellow"),
        (8, S.IN_PROGRESS, "green"),
        (None, S.IN_PROGRESS, "grey"),
        (-30, S.DONE, "blue"),
        (-30, S.RETURNED, "grey"),
        (-1, S.REVIEW, "red"),
    ],
)
def test_light_on_boundary_dates(lead, today, due_offset, status, light):
    due = None if due_offset is None else today + due_offset * DAY
    set_status(lead, status, due_date=due)
    assert lead.light(on=today) == light
    annotated = Assignment.objects.with_light(on=today).get(pk=lead.pk)
    assert annotated.light_code == light
    assert Assignment.objects.filter_light(light, on=today).filter(pk=lead.pk).exists()


def test_light_is_computed_not_stored(lead, today):
    set_status(lead, S.IN_PROGRESS, due_date=today + 3 * DAY)
    assert lead.light(on=today) == "yellow"
    assert lead.light(on=today + 4 * DAY) == "red"


# --- querysets ----------------------------------------------------------------------------------


@pytest.fixture
def spread(make_item, departments, today):
    """Items due yesterday, today, in 7 and in 20 days, one without a date, one done, one draft."""
    nb = departments["nongban"]
    items = {
        "late": make_item(lead=nb, deadline=today - DAY),
        "today": make_item(lead=nb, deadline=today),
        "week": make_item(lead=departments["jiaoti"], deadline=today + 7 * DAY),
        "later": make_item(lead=nb, deadline=today + 20 * DAY),
        "undated": make_item(lead=nb),
        "draft": make_item(lead=nb, deadline=today - 5 * DAY, state=ActionItem.State.DRAFT),
    }
    done = make_item(lead=nb, deadline=today - 3 * DAY)
    set_status(done.assignments.get(), S.REVIEW).close(by=None)
    items["done"] = done
    return items


def test_overdue_and_due_within_count_open_live_assignments_only(spread, today):
    assert Assignment.objects.overdue(today).count() == 1
    assert Assignment.objects.due_within(7, today).count() == 2
    assert ActionItem.objects.overdue(today).get() == spread["late"]
    assert ActionItem.objects.open().count() == 5


def test_counts_by_meeting_agree_with_counting_each_meeting(spread, make_item, departments, today):
    other = Meeting.objects.create(kind=Meeting.Kind.SPECIAL, title="另一次专题会议", date=today)
    moved = [
        make_item(lead=departments["jiaoti"], deadline=today - 2 * DAY),
        make_item(lead=departments["jiaoti"], deadline=today + DAY),
    ]
    ActionItem.objects.filter(pk__in=[i.pk for i in moved]).update(meeting=other)
    live = ActionItem.objects.live()
    counts = live.counts_by_meeting(today)
    assert len(counts) == 2
    for meeting_id, found in counts.items():
        mine = live.filter(meeting=meeting_id)
        assert found == {
            "items": mine.count(),
            "done": mine.filter(state=ActionItem.State.DONE).count(),
            "overdue": mine.overdue(today).count(),
        }
    assert counts[other.pk] == {"items": 2, "done": 0, "overdue": 1}


def test_for_department_filters_by_department(spread, departments):
    assert Assignment.objects.for_department(departments["jiaoti"]).count() == 1
    assert ActionItem.objects.for_department(departments["jiaoti"]).get() == spread["week"]


def test_summary_by_department_counts_in_one_query(spread, departments, today):
    with CaptureQueriesContext(connection) as ctx:
        rows = {r["department__name"]: r for r in Assignment.objects.summary_by_department(today)}
    assert len(ctx.captured_queries) == 1
    nb = rows["市农办"]
    assert nb["assigned"] == 5  # the draft is not counted
    assert (nb["overdue"], nb["due_soon"], nb["done"], nb["pending"]) == (1, 1, 1, 4)
    assert nb["done_on_time"] == 0  # closed after its due date
    assert rows["教体局"]["due_soon"] == 1


def test_summary_counts_on_time_when_closed_before_due(make_item, departments, today):
    item = make_item(lead=departments["jiaoti"], deadline=today + DAY)
    set_status(item.assignments.get(), S.REVIEW).close(by=None)
    row = Assignment.objects.summary_by_department(today).get(department_id=departments["jiaoti"].pk)
    assert (row["done"], row["done_on_time"]) == (1, 1)


def test_support_assignment_can_still_be_worked_after_the_item_is_done(item, users, departments):
    set_status(item.assignments.get(department=departments["nongban"]), S.REVIEW).close(by=users["office"])
    support = item.assignments.get(department=departments["jiaoti"])
    support.accept(by=users["other_staff"])
    support.refresh_from_db()
    assert support.status == S.IN_PROGRESS
    assert Assignment.objects.open().filter(pk=support.pk).exists()


def test_revise_draft_changes_wording_deadline_and_departments_in_one_journal_row(
    make_item, departments, users, today
):
    draft = make_item(
        lead=departments["nongban"], support=[departments["town"]], state=ActionItem.State.DRAFT
    )
    changes = draft.revise_draft(
        by=users["office"],
        text="市农办要牵头制定考核办法",
        deadline=today + 10 * DAY,
        deadline_kind=ActionItem.DeadlineKind.DATE,
        deadline_text="10日内",
        targets=[{"metric": "考核办法", "op": "=", "value": 1, "unit": "份", "stretch": None}],
        lead=[departments["jiaoti"]],
        support=[departments["nongban"]],
    )
    draft.refresh_from_db()
    assert draft.text == "市农办要牵头制定考核办法" and draft.deadline == today + 10 * DAY
    roles = dict(draft.assignments.values_list("department__name", "role"))
    assert roles == {"教体局": "lead", "市农办": "support"}
    assert set(draft.assignments.values_list("due_date", flat=True)) == {today + 10 * DAY}
    entry = draft.journal.get(action=JournalEntry.Action.REVISE)
    assert (
        "移除甘霖镇" in entry.note and "增加教体局（牵头）" in entry.note and "市农办改为配合" in entry.note
    )
    assert len(changes) == 6


def test_revise_refuses_live_items_and_a_department_in_both_roles(item, make_item, departments, users):
    with pytest.raises(TransitionError):
        item.revise_draft(by=users["office"], text="x", deadline=None, deadline_kind="none")
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    with pytest.raises(TransitionError):
        draft.revise_draft(
            by=users["office"],
            text="x",
            deadline=None,
            deadline_kind="none",
            lead=[departments["jiaoti"]],
            support=[departments["jiaoti"]],
        )
    assert not draft.journal.filter(action=JournalEntry.Action.REVISE).exists()


def test_assignments_list_leads_first(make_item, departments):
    item = make_item(lead=departments["town"], support=[departments["jiaoti"]])
    assert [a.role for a in item.assignments.all()] == ["lead", "support"]


def test_a_loaded_user_brings_their_department_along(users, django_assert_num_queries):
    """Each page's header names the user's department: loading the user (as sign-in does) fetches it."""
    with django_assert_num_queries(1):
        user = User.objects.get(pk=users["staff"].pk)
        assert user.department.name == "市农办"


# --- acting on a row read with its lock (AssignmentQuerySet.acting_on) ---------------------------


def test_acting_on_reads_only_from_its_queryset(lead, departments):
    elsewhere = Assignment.objects.filter(department=departments["jiaoti"])
    with pytest.raises(Assignment.DoesNotExist), elsewhere.acting_on(lead.pk):
        pass


def test_a_transition_on_a_held_row_writes_without_reading_it_again(lead, users):
    lead.accept(by=users["staff"])
    with Assignment.objects.acting_on(lead.pk) as held:
        with CaptureQueriesContext(connection) as queries:
            held.report_progress(by=users["staff"], progress=40, note="过半")
        assert not [q for q in queries if q["sql"].startswith("SELECT")]
    assert Assignment.objects.get(pk=lead.pk).progress == 40
    assert not held._held  # the mark ends with the block: later calls lock again


def test_a_refused_transition_on_a_held_row_leaves_the_transaction_usable(lead, users):
    with Assignment.objects.acting_on(lead.pk) as held:
        with pytest.raises(TransitionError):
            held.report_progress(by=users["staff"], progress=40, note="未签收就反馈")
        held.accept(by=users["staff"])
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.IN_PROGRESS
    assert list(JournalEntry.objects.filter(assignment=lead).values_list("action", flat=True)) == ["accept"]


def test_an_error_after_a_held_transition_rolls_it_back(lead, users):
    with pytest.raises(RuntimeError), Assignment.objects.acting_on(lead.pk) as held:
        held.accept(by=users["staff"])
        raise RuntimeError("页面渲染失败")
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.PENDING
    assert not JournalEntry.objects.filter(assignment=lead).exists()
