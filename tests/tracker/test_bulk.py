import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tracker.bulk import insert_rows, record, reserve_ids
from tracker.models import ActionItem, JournalEntry, Meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _meeting(number):
    now = timezone.now()
    return record(
        Meeting,
        kind=Meeting.Kind.SPECIAL,
        number=number,
        title=f"第{number}次专题会议",
        date=datetime.date(2026, 5, number),
        natural_key=f"bulk-{number}",
        created_at=now,
        updated_at=now,
    )


def _inserted_meeting(number) -> int:
    (meeting_id,) = reserve_ids(Meeting, 1)
    meeting = _meeting(number)
    meeting.id = meeting_id
    insert_rows(Meeting, [meeting])
    return meeting_id


def test_reserved_ids_are_consecutive_fresh_and_never_handed_out_again():
    existing = Meeting.objects.create(title="已有会议", natural_key="existing")
    with transaction.atomic():
        ids = reserve_ids(Meeting, 5)
        rows = [_meeting(n) for n in range(1, 6)]
        for row, pk in zip(rows, ids, strict=True):
            row.id = pk
        insert_rows(Meeting, rows)
    assert len(set(ids)) == 5
    assert min(ids) > existing.pk
    # The ORM's next row takes an id after them (on PostgreSQL: the sequence moved past them).
    later = Meeting.objects.create(title="后来的会议", natural_key="later")
    assert later.pk > max(ids)
    assert sorted(Meeting.objects.filter(pk__in=ids).values_list("title", flat=True)) == sorted(
        f"第{n}次专题会议" for n in range(1, 6)
    )


def test_reserving_no_ids_asks_nothing_of_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert reserve_ids(Meeting, 0) == []


def test_inserted_rows_read_back_with_their_json_dates_and_times():
    at = timezone.now().replace(microsecond=123456)
    with transaction.atomic():
        meeting_id = _inserted_meeting(7)
        (item_id,) = reserve_ids(ActionItem, 1)
        row = record(
            ActionItem,
            id=item_id,
            meeting_id=meeting_id,
            position=1,
            text="市农办要在6月底前完成全部改造任务",
            span_start=0,
            span_end=16,
            deadline=datetime.date(2026, 6, 30),
            deadline_text="6月底前",
            targets=[{"metric": "改造", "op": ">=", "value": 12, "unit": "个", "stretch": None}],
            mentions=[{"mention": "市农办", "name": "市农办", "role": "lead", "linked": True}],
            created_at=at,
            updated_at=at,
        )
        insert_rows(ActionItem, [row])
        insert_rows(
            JournalEntry,
            [record(JournalEntry, item_id=item_id, at=at, action=JournalEntry.Action.IMPORT, note="导入")],
            ids=False,
        )
    item = ActionItem.objects.get(pk=item_id)
    assert item.meeting.date == datetime.date(2026, 5, 7)
    assert item.deadline == datetime.date(2026, 6, 30)
    assert item.targets[0]["value"] == 12 and item.targets[0]["unit"] == "个"
    assert item.mentions[0]["mention"] == "市农办"
    assert item.created_at == at
    assert item.state == ActionItem.State.DRAFT  # a default the record filled in
    entry = JournalEntry.objects.get(item=item)
    assert entry.at == at and entry.note == "导入"


def test_more_rows_than_one_statement_holds_are_all_written_with_their_own_values():
    # Meetings have 12 columns: 83 rows a statement on SQLite, so 200 rows are two whole statements and 34 more.
    with transaction.atomic():
        rows = [_meeting(n % 28 + 1) for n in range(200)]
        for n, (row, pk) in enumerate(zip(rows, reserve_ids(Meeting, 200), strict=True)):
            row.id, row.natural_key, row.title = pk, f"bulk-many-{n}", f"第{n}次会议"
        insert_rows(Meeting, rows)
    written = dict(Meeting.objects.values_list("natural_key", "title"))
    assert written == {f"bulk-many-{n}": f"第{n}次会议" for n in range(200)}
    assert Meeting.objects.get(natural_key="bulk-many-199").date == datetime.date(2026, 5, 199 % 28 + 1)


def test_an_empty_list_and_a_missing_date_read_back_as_such():
    with transaction.atomic():
        meeting_id = _inserted_meeting(9)
        (item_id,) = reserve_ids(ActionItem, 1)
        now = timezone.now()
        row = record(
            ActionItem, id=item_id, meeting_id=meeting_id, position=1, text="要抓好落实", targets=[],
            mentions=[], created_at=now, updated_at=now,
        )  # fmt: skip
        insert_rows(ActionItem, [row])
    item = ActionItem.objects.get(pk=item_id)
    assert item.targets == [] and item.mentions == []
    assert item.deadline is None
