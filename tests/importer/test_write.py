"""Writing parsed meetings to the database: atomic, idempotent, and careful with work already done."""

import dataclasses
import datetime

import pytest

from importer.types import (
    Deadline,
    DepartmentRef,
    ParsedDocument,
    ParsedItem,
    ParsedMeeting,
    RecordedState,
    Target,
)
from importer.write import ReviewedMeeting, write_documents, write_reviewed
from tracker.models import ActionItem, Assignment, JournalEntry, Meeting

TEXT = "会议要求,市农办要抓好春耕生产,6月底前完成。教体局要配合做好宣传。相关部门要加强督查。"


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


PARTS = ("市农办要抓好春耕生产,6月底前完成", "教体局要配合做好宣传", "相关部门要加强督查")


def make_meeting(
    text: str = TEXT, *, parts=PARTS, number: int = 5, title: str = "十六届政府第5次常务会议"
) -> ParsedMeeting:
    """Build the parse of one executive meeting with three items: lead, support and a group word."""
    refs = [
        (DepartmentRef(mention="市农办", name="市农办"),),
        (DepartmentRef(mention="教体局", name="教体局"),),
        (DepartmentRef(mention="相关部门", name="相关部门", is_group=True),),
    ]
    items = []
    for position, (part, depts) in enumerate(zip(parts, refs, strict=True), start=1):
        deadline = (
            Deadline(kind="date", date=datetime.date(2017, 6, 30), text="6月底前")
            if "月底" in part
            else Deadline()
        )
        targets = (Target(metric="春耕面积", op=">=", value=5.0, unit="万亩"),) if position == 1 else ()
        items.append(
            ParsedItem(
                position=position,
                text=part,
                span=_span(text, part),
                departments=depts,
                deadline=deadline,
                targets=targets,
            )
        )
    return ParsedMeeting(
        title=title,
        kind="executive",
        session=16,
        number=number,
        date=datetime.date(2017, 3, 1),
        text=text,
        source="seed.txt",
        items=tuple(items),
    )


def doc(*meetings: ParsedMeeting) -> ParsedDocument:
    return ParsedDocument(source="seed.txt", meetings=meetings or (make_meeting(),))


def db_state() -> tuple:
    """Return everything an import may change, to compare before and after."""
    return (
        list(Meeting.objects.values_list("pk", "natural_key", "text_hash", "title")),
        list(ActionItem.objects.values_list("pk", "meeting_id", "position", "text", "state", "deadline")),
        list(Assignment.objects.values_list("pk", "item_id", "department_id", "role", "status")),
        JournalEntry.objects.count(),
    )


# --- write_documents -------------------------------------------------------------------------------


def test_write_documents_creates_meeting_drafts_assignments_and_journal(departments):
    report = write_documents([doc()])

    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.session, meeting.number) == ("executive", 16, 5)
    assert report.meetings_new == 1 and report.items_created == 3
    items = list(meeting.items.order_by("position"))
    assert [i.state for i in items] == [ActionItem.State.DRAFT] * 3
    assert items[0].deadline == datetime.date(2017, 6, 30)
    assert items[0].targets == [
        {"metric": "春耕面积", "op": ">=", "value": 5, "unit": "万亩", "stretch": None}
    ]
    assert meeting.text[items[0].span_start : items[0].span_end] == items[0].text
    assert items[2].assignments.get().department == departments["related"]
    assert report.item_ids == [i.pk for i in items]
    assert JournalEntry.objects.filter(action=JournalEntry.Action.IMPORT).count() == 3


def test_write_documents_with_confirm_assigns_only_items_with_real_lead_departments(departments):
    report = write_documents([doc()], confirm=True)

    states = list(ActionItem.objects.order_by("position").values_list("state", flat=True))
    assert states == [ActionItem.State.ACTIVE, ActionItem.State.ACTIVE, ActionItem.State.DRAFT]
    assert report.items_confirmed == 2


def test_the_same_document_imported_again_changes_nothing(departments):
    write_documents([doc()])
    before = db_state()

    report = write_documents([doc()])

    assert db_state() == before
    assert report.nothing_new
    assert report.meetings_unchanged == 1 and report.items_created == 0
    assert "没有新内容。" in report.lines()


def test_a_changed_meeting_replaces_only_drafts_nobody_touched(departments, users):
    write_documents([doc()])
    confirmed = ActionItem.objects.get(position=1)
    confirmed.confirm(by=users["office"])
    untouched_ids = set(ActionItem.objects.exclude(pk=confirmed.pk).values_list("pk", flat=True))
    changed = TEXT.replace("6月底前完成", "5月底前完成").replace(
        "教体局要配合做好宣传", "教体局要配合做好宣传报道"
    )
    parts = ("市农办要抓好春耕生产,5月底前完成", "教体局要配合做好宣传报道", "相关部门要加强督查")

    report = write_documents([doc(make_meeting(changed, parts=parts))])

    assert report.meetings_updated == 1
    confirmed.refresh_from_db()
    assert confirmed.state == ActionItem.State.ACTIVE
    assert confirmed.text == "市农办要抓好春耕生产,6月底前完成"
    assert len(report.conflicts) == 1 and "已交办" in report.conflicts[0]
    assert not ActionItem.objects.filter(pk__in=untouched_ids).exists()
    assert set(ActionItem.objects.values_list("text", flat=True)) == {
        "市农办要抓好春耕生产,6月底前完成",
        "市农办要抓好春耕生产,5月底前完成",
        "教体局要配合做好宣传报道",
        "相关部门要加强督查",
    }
    assert Meeting.objects.get().text == changed


def test_a_changed_meeting_keeps_a_draft_someone_commented_on(departments, users):
    write_documents([doc()])
    worked = ActionItem.objects.get(position=2)
    worked.comment(by=users["office"], note="请核实")
    changed = TEXT + "会议还要求,甘霖镇要做好防汛。"

    report = write_documents([doc(make_meeting(changed))])

    assert ActionItem.objects.filter(pk=worked.pk).exists()
    assert report.meetings_updated == 1
    assert ActionItem.objects.filter(text=worked.text).count() == 1


def test_a_failure_halfway_through_writing_leaves_the_database_unchanged(departments, fail_writing):
    write_documents([doc(make_meeting(number=4, title="第4次常务会议"))])
    before = db_state()
    seen = fail_writing(Assignment, RuntimeError("disk full"))
    with pytest.raises(RuntimeError):
        write_documents([doc(make_meeting(number=5), make_meeting(number=6, title="第6次常务会议"))])

    assert seen == [3]  # both new meetings and their items were written before the failure
    assert db_state() == before


def test_selected_keeps_only_the_chosen_meetings_and_items(departments):
    two = doc(make_meeting(number=5), make_meeting(number=6, title="第6次常务会议"))

    write_documents([two], selected={("seed.txt", 1): {2}})

    assert Meeting.objects.get().number == 6
    assert list(ActionItem.objects.values_list("text", flat=True)) == ["教体局要配合做好宣传"]


# --- write_reviewed ----------------------------------------------------------------------------------


def reviewed(departments, **meeting_changes) -> ReviewedMeeting:
    """Review the sample meeting: edit item 1, drop item 2, resolve 相关部门 in item 3 into 甘霖镇."""
    parsed = make_meeting()
    first, _, third = parsed.items
    first = dataclasses.replace(
        first, text="市农办牵头抓好春耕", deadline=Deadline(kind="date", date=datetime.date(2017, 5, 31))
    )
    meeting = dataclasses.replace(parsed, items=(first, third), **meeting_changes)
    return ReviewedMeeting(
        meeting=meeting,
        departments={
            1: [(departments["nongban"], "lead"), (departments["jiaoti"], "support")],
            3: [(departments["town"], "lead")],
        },
    )


def test_write_reviewed_stores_the_edits_and_assigns_complete_items(departments, users):
    report = write_reviewed([reviewed(departments, title="春耕专题")], by=users["office"])

    meeting = Meeting.objects.get()
    assert meeting.title == "春耕专题"
    first, third = meeting.items.order_by("position")
    assert (first.text, first.deadline, first.state) == (
        "市农办牵头抓好春耕",
        datetime.date(2017, 5, 31),
        ActionItem.State.ACTIVE,
    )
    assert {(a.department.name, a.role, a.due_date) for a in first.assignments.all()} == {
        ("市农办", "lead", datetime.date(2017, 5, 31)),
        ("教体局", "support", datetime.date(2017, 5, 31)),
    }
    assert [a.department.name for a in third.assignments.all()] == ["甘霖镇"]
    assert third.state == ActionItem.State.ACTIVE
    journal = list(first.journal.order_by("id").values_list("action", "from_status", "to_status"))
    assert journal == [("import", "", "draft"), ("confirm", "draft", "active")]
    assert report.items_created == 2 and report.items_confirmed == 2
    assert report.item_ids == [first.pk, third.pk]
    assert "教体局要配合做好宣传" not in set(ActionItem.objects.values_list("text", flat=True))


def test_write_reviewed_keeps_an_item_without_lead_or_with_a_group_as_a_draft(departments, users):
    review = reviewed(departments)
    review.departments[1] = [(departments["jiaoti"], "support")]
    review.departments[3] = [(departments["related"], "lead")]

    write_reviewed([review], by=users["office"])

    assert set(ActionItem.objects.values_list("state", flat=True)) == {ActionItem.State.DRAFT}
    assert not JournalEntry.objects.filter(action=JournalEntry.Action.CONFIRM).exists()


def test_write_reviewed_leaves_an_unchanged_meeting_alone(departments, users):
    write_reviewed([reviewed(departments)], by=users["office"])
    before = db_state()

    report = write_reviewed([reviewed(departments)], by=users["office"])

    assert db_state() == before
    assert report.nothing_new


def test_write_reviewed_failure_halfway_leaves_the_database_unchanged(departments, users, fail_writing):
    before = db_state()
    seen = fail_writing(JournalEntry, RuntimeError("connection lost"))
    with pytest.raises(RuntimeError):
        write_reviewed([reviewed(departments)], by=users["office"])

    assert seen == [1]
    assert db_state() == before


def test_the_garbage_collector_is_back_on_after_a_write_even_one_that_fails(departments, fail_writing):
    import gc

    write_documents([doc(make_meeting(number=7, title="第7次常务会议"))])
    assert gc.isenabled()
    fail_writing(JournalEntry, RuntimeError("disk full"))
    with pytest.raises(RuntimeError):
        write_documents([doc(make_meeting(number=8, title="第8次常务会议"))])
    assert gc.isenabled()


# --- a ledger's recorded states ----------------------------------------------------------------------

DONE_CELL = RecordedState(kind="done", label="办理状态", text="已办结", finished=datetime.date(2017, 5, 20))
ONGOING_CELL = RecordedState(kind="in_progress", label="进展情况", text="推进中80%", progress=80)
IDLE_CELL = RecordedState(kind="not_started", label="办理状态", text="未启动")


def recorded_meeting(*states: RecordedState | None) -> ParsedMeeting:
    """The sample meeting with each item's ledger row recording the given state."""
    parsed = make_meeting()
    items = tuple(
        dataclasses.replace(item, recorded=state) for item, state in zip(parsed.items, states, strict=True)
    )
    return dataclasses.replace(parsed, items=items)


def test_recorded_states_are_kept_on_the_drafts_they_belong_to(departments):
    write_documents([doc(recorded_meeting(DONE_CELL, ONGOING_CELL, None))])

    first, second, third = ActionItem.objects.order_by("position")
    assert (first.recorded_status, first.recorded_finished_on, first.recorded_text) == (
        "done",
        datetime.date(2017, 5, 20),
        "办理状态:已办结",
    )
    assert (second.recorded_status, second.recorded_progress) == ("in_progress", 80)
    assert (third.recorded_status, third.recorded_text) == ("", "")
    # drafts: nobody has assigned them, so nothing started
    assert set(Assignment.objects.values_list("status", flat=True)) == {Assignment.Status.PENDING}


def test_items_assigned_at_import_start_in_their_recorded_state(departments, today):
    report = write_documents([doc(recorded_meeting(DONE_CELL, ONGOING_CELL, IDLE_CELL))], confirm=True)

    first, second, third = ActionItem.objects.order_by("position")
    assert report.items_confirmed == 2
    assert first.state == ActionItem.State.DONE
    done = first.assignments.get()
    assert (done.status, done.progress, done.finished_on) == ("done", 100, datetime.date(2017, 5, 20))
    assert second.state == ActionItem.State.ACTIVE
    ongoing = second.assignments.get()
    assert (ongoing.status, ongoing.progress, ongoing.finished_on) == ("in_progress", 80, None)
    # a group word keeps the third a draft: its state waits for its confirmation
    assert third.state == ActionItem.State.DRAFT
    assert third.assignments.get().status == Assignment.Status.PENDING
    journal = list(first.journal.order_by("id").values_list("action", "from_status", "to_status", "note"))
    assert journal == [
        ("import", "", "active", "自seed.txt导入"),
        ("import", "pending", "done", "按导入台账记录的状态开始办理：“办理状态:已办结”"),
        ("item_done", "active", "done", ""),
    ]
    entry = second.journal.get(assignment=ongoing)
    assert (entry.to_status, entry.progress) == ("in_progress", 80)


def test_a_reviewed_item_done_in_its_ledger_is_done_on_the_import_day_when_the_ledger_names_none(
    departments, users, today
):
    review = reviewed(departments)
    first, third = review.meeting.items
    undated = dataclasses.replace(DONE_CELL, finished=None)
    review.meeting = dataclasses.replace(
        review.meeting, items=(dataclasses.replace(first, recorded=undated), third)
    )

    write_reviewed([review], by=users["office"])

    item = ActionItem.objects.get(position=1)
    assert item.state == ActionItem.State.DONE
    assert {(a.status, a.finished_on) for a in item.assignments.all()} == {("done", today)}
    journal = list(item.journal.order_by("id").values_list("action", "to_status", "actor"))
    assert journal == [
        ("import", "draft", users["office"].pk),
        ("confirm", "active", users["office"].pk),
        ("import", "done", users["office"].pk),
        ("import", "done", users["office"].pk),
        ("item_done", "done", users["office"].pk),
    ]


def test_a_finishing_day_after_the_import_day_is_taken_as_the_import_day(departments, today):
    later = dataclasses.replace(DONE_CELL, finished=today + datetime.timedelta(days=9))
    write_documents([doc(recorded_meeting(later, None, None))], confirm=True)

    assert Assignment.objects.get(item__position=1).finished_on == today


def test_items_without_a_recorded_state_are_assigned_as_before(departments):
    write_documents([doc(recorded_meeting(None, IDLE_CELL, None))], confirm=True)

    assert set(Assignment.objects.live().values_list("status", flat=True)) == {Assignment.Status.PENDING}
    assert not Assignment.objects.filter(journal__isnull=False).exists()
