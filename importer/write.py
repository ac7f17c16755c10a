"""Write parsed documents to the database: one atomic step, idempotent on re-import."""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tracker.bulk import insert_rows, record, reserve_ids
from tracker.models import ActionItem, Assignment, AssignmentTally, Department, JournalEntry, Meeting

from .types import DirectoryEntry, ParsedDocument, ParsedItem, ParsedMeeting, RecordedState


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do)."""

    meetings_new: int = 0
    meetings_unchanged: int = 0
    meetings_updated: int = 0
    items_created: int = 0
    items_replaced: int = 0
    items_confirmed: int = 0
    mentions_linked: int = 0
    mentions_unresolved: list[str] = field(default_factory=list)
    items_without_date: int = 0
    conflicts: list[str] = field(default_factory=list)
    meeting_ids: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)

    @property
    def nothing_new(self) -> bool:
        return not (self.meetings_new or self.meetings_updated)

    def lines(self) -> list[str]:
        """Return the report as lines of Chinese text."""
        out = [
            f"会议：新增 {self.meetings_new}，未变 {self.meetings_unchanged}，更新 {self.meetings_updated}",
            f"事项：新建 {self.items_created}（其中替换草稿 {self.items_replaced}，直接交办 {self.items_confirmed}）",
            f"单位：识别 {self.mentions_linked} 处，未识别 {len(self.mentions_unresolved)} 处"
            + (f"（{'、'.join(sorted(set(self.mentions_unresolved)))}）" if self.mentions_unresolved else ""),
            f"无明确时限的事项：{self.items_without_date}",
        ]
        if self.conflicts:
            out.append(f"冲突（已确认或已办理的事项未改动）：{len(self.conflicts)}")
            out.extend(f"  - {c}" for c in self.conflicts)
        if self.nothing_new:
            out.append("没有新内容。")
        return out


def directory_from_database() -> tuple[DirectoryEntry, ...]:
    """Build the linker's directory from the departments in the database."""
    return tuple(
        DirectoryEntry(name=d.name, aliases=tuple(d.spellings()[1:]), kind=d.kind, group=d.scope)
        for d in Department.objects.filter(active=True)
    )


class _Linker:
    """Find Department rows for parsed references, by canonical name then by any spelling."""

    def __init__(self):
        self.by_spelling: dict[str, Department] = {}
        for d in Department.objects.filter(active=True):
            for s in d.spellings():
                self.by_spelling.setdefault(s, d)
            self.by_spelling[d.name] = d

    def find(self, name: str | None, mention: str) -> Department | None:
        found = self.by_spelling.get(name) if name else None
        return found if found is not None else self.by_spelling.get(mention)


def write_documents(
    documents: list[ParsedDocument], *, by=None, confirm: bool = False, selected=None
) -> ImportReport:
    """Write meetings and draft items in one transaction; unchanged meetings are left alone.

    `selected`, when given, maps (source, meeting index) to the item positions to keep, so a
    person's review in the import page decides what is written. With `confirm`, items whose every
    department is a real one are assigned at once (交办); the rest stay drafts for review.
    """
    entries = []
    for doc in documents:
        for index, parsed in enumerate(doc.meetings):
            keep = None if selected is None else selected.get((doc.source, index))
            if selected is not None and keep is None:
                continue
            entries.append((parsed, keep, None))
    report = ImportReport()
    with transaction.atomic(), _cyclic_gc_paused():
        _write_all(entries, _Linker(), report, by=by, confirm=confirm)
    return report


@dataclass
class ReviewedMeeting:
    """A meeting as a person accepted it in the import page.

    `meeting` carries the edited title, kind, 届/次 and date, and only the kept items with their
    edited text, deadline and targets; `departments` maps each kept item's position to the
    departments chosen for it, with their role ("lead" / "support").
    """

    meeting: ParsedMeeting
    departments: dict[int, list[tuple[Department, str]]] = field(default_factory=dict)


def write_reviewed(meetings: list[ReviewedMeeting], *, by) -> ImportReport:
    """Write reviewed meetings in one transaction; items with a lead and no group word are assigned.

    Re-import rules are those of write_documents: an unchanged meeting is left alone, and a changed
    one only replaces drafts nobody has worked on.
    """
    report = ImportReport()
    with transaction.atomic(), _cyclic_gc_paused():
        entries = [(r.meeting, None, r.departments) for r in meetings]
        _write_all(entries, _Linker(), report, by=by, confirm=True)
    return report


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector while rows are built.

    A large import makes a hundred thousand short-lived row objects, none of them in reference
    cycles; the collector would walk them again and again and take half the write's time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _meeting_key(parsed: ParsedMeeting) -> str:
    return Meeting.make_natural_key(parsed.kind, parsed.session, parsed.number, parsed.date, parsed.title)


def _meeting_values(parsed: ParsedMeeting, key: str) -> dict:
    return {
        "kind": parsed.kind,
        "session": parsed.session,
        "number": parsed.number,
        "title": parsed.title,
        "date": parsed.date,
        "natural_key": key,
        "source_name": parsed.source,
        "text": parsed.text,
        "text_hash": Meeting.hash_text(parsed.text),
    }


def _write_all(entries, linker, report: ImportReport, *, by, confirm):
    """Write (parsed meeting, kept positions, chosen departments) entries.

    Meetings new to the database are written together — one INSERT per table for the lot, which is
    what makes a large import fast; a meeting already there (or repeated within this import) goes
    through `_write_meeting`, which compares texts and keeps what people have worked on.
    """
    keys = [_meeting_key(parsed) for parsed, _, _ in entries]
    existing: set[str] = set()
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        existing.update(Meeting.objects.filter(natural_key__in=chunk).values_list("natural_key", flat=True))
    pending: list[tuple[Meeting, list[ParsedItem], dict | None]] = []
    pending_keys: set[str] = set()

    def flush():
        if not pending:
            return
        meetings = [m for m, _, _ in pending]
        now = timezone.now()
        for meeting, pk in zip(meetings, reserve_ids(Meeting, len(meetings)), strict=True):
            meeting.id, meeting.created_at, meeting.updated_at = pk, now, now
        insert_rows(Meeting, meetings)
        report.meetings_new += len(pending)
        report.meeting_ids.extend(m.id for m, _, _ in pending)
        _create_items([(m, items, 1, chosen) for m, items, chosen in pending], linker, report, by, confirm)
        existing.update(pending_keys)
        pending.clear()
        pending_keys.clear()

    for (parsed, keep, chosen), key in zip(entries, keys, strict=True):
        if key in existing or key in pending_keys:
            flush()
            _write_meeting(parsed, keep, linker, report, by=by, confirm=confirm, chosen=chosen)
            continue
        items = [i for i in parsed.items if keep is None or i.position in keep]
        # A plain row, not a model instance: it only goes to insert_rows (see tracker.bulk).
        pending.append((record(Meeting, **_meeting_values(parsed, key)), items, chosen))
        pending_keys.add(key)
    flush()


def _write_meeting(parsed: ParsedMeeting, keep, linker, report: ImportReport, *, by, confirm, chosen=None):
    key = _meeting_key(parsed)
    digest = Meeting.hash_text(parsed.text)
    meeting = Meeting.objects.filter(natural_key=key).first()
    items = [i for i in parsed.items if keep is None or i.position in keep]
    kept_texts: set[str] = set()
    next_position = 1
    if meeting is None:
        meeting = Meeting.objects.create(**_meeting_values(parsed, key))
        report.meetings_new += 1
    elif meeting.text_hash == digest:
        report.meetings_unchanged += 1
        report.meeting_ids.append(meeting.pk)
        return
    else:
        report.meetings_updated += 1
        touched = _touched_items(meeting)
        untouched = meeting.items.exclude(pk__in=touched)
        report.items_replaced += untouched.count()
        untouched.delete()
        new_texts = {i.text for i in items}
        for item in meeting.items.all():
            kept_texts.add(item.text)
            if item.text not in new_texts:
                report.conflicts.append(
                    f"{meeting.title} 第{item.position}项（{item.get_state_display()}）：{item}"
                )
            next_position = max(next_position, item.position + 1)
        meeting.title, meeting.date, meeting.text, meeting.text_hash = (
            parsed.title,
            parsed.date,
            parsed.text,
            digest,
        )
        meeting.source_name = parsed.source
        # A new date moves the month its confirmed items opened in, on the dashboard's trend.
        with AssignmentTally.tracking(Assignment.objects.filter(item__meeting=meeting)):
            meeting.save()
    report.meeting_ids.append(meeting.pk)
    new_items = [i for i in items if i.text not in kept_texts]
    _create_items([(meeting, new_items, next_position, chosen)], linker, report, by, confirm)


def _touched_items(meeting) -> set[int]:
    """Items someone has confirmed or worked on: a re-import must not change them."""
    ids = set(meeting.items.exclude(state=ActionItem.State.DRAFT).values_list("pk", flat=True))
    worked = JournalEntry.objects.filter(item__meeting=meeting).exclude(action=JournalEntry.Action.IMPORT)
    ids.update(worked.values_list("item_id", flat=True))
    return ids


def _create_items(batches, linker, report, by, confirm):
    """Create the items of (meeting, parsed items, first position, chosen) batches in bulk.

    `chosen` (item position -> [(department, role)]) replaces the linker's departments with the
    ones a person picked in the import page; the linker still records the mentions.
    """
    rows, links = [], []
    for meeting, parsed_items, first_position, chosen in batches:
        for offset, parsed in enumerate(parsed_items):
            found_by_id, mentions = {}, []
            for ref in parsed.departments:
                found = linker.find(ref.name, ref.mention)
                mentions.append(
                    {"mention": ref.mention, "name": ref.name, "role": ref.role, "linked": bool(found)}
                )
                if found is None:
                    report.mentions_unresolved.append(ref.mention)
                else:
                    report.mentions_linked += 1
                    found_by_id.setdefault(found.pk, (found, ref.role))  # named twice: the first role
            depts = list(found_by_id.values() if chosen is None else chosen.get(parsed.position, []))
            deadline = parsed.deadline
            if deadline.date is None:
                report.items_without_date += 1
            can_confirm = (
                confirm
                and depts
                and any(r == "lead" for _, r in depts)
                and not any(d.is_group for d, _ in depts)
            )
            rows.append(
                record(
                    ActionItem,
                    meeting=meeting,  # not a column: kept for the journal's note and the tally
                    meeting_id=meeting.id,
                    position=first_position + offset,
                    text=parsed.text,
                    span_start=parsed.span[0],
                    span_end=parsed.span[1],
                    deadline=deadline.date,
                    deadline_text=(deadline.text or "")[:100],
                    deadline_kind=deadline.kind,
                    targets=[_target_dict(t) for t in parsed.targets],
                    mentions=mentions,
                    state=ActionItem.State.ACTIVE if can_confirm else ActionItem.State.DRAFT,
                    **_recorded_values(parsed.recorded),
                )
            )
            links.append(depts)
            report.items_confirmed += bool(can_confirm)
    if not rows:
        return
    # Our rows are built and checked above: straight to the driver (see tracker.bulk) — bulk_create
    # would spend most of a large import compiling SQL value by value.
    now = timezone.now()
    for row, pk in zip(rows, reserve_ids(ActionItem, len(rows)), strict=True):
        row.id, row.created_at, row.updated_at = pk, now, now
    created = rows
    assignments = []
    for row, depts in zip(created, links, strict=True):
        # An item assigned now starts where its ledger says its work is (ActionItem.confirm does the same).
        start = ActionItem.recorded_start(row) if row.state == ActionItem.State.ACTIVE else {}
        assignments.extend(
            record(
                Assignment,
                item=row,  # not a column: the tally reads the item's state and meeting date
                item_id=row.id,
                department_id=dept.pk,
                role=role,
                due_date=row.deadline,
                live=row.state in ActionItem.LIVE_STATES,
                created_at=now,
                updated_at=now,
                **start,
            )
            for dept, role in depts
        )
        if start.get("status") == Assignment.Status.DONE:
            row.state = ActionItem.State.DONE  # every lead is done: so is the item, as the workflow has it
    insert_rows(ActionItem, rows)
    started = [a for a in assignments if a.status != Assignment.Status.PENDING]  # by the ledger's record
    if started:  # their journal rows name them
        for a, pk in zip(assignments, reserve_ids(Assignment, len(assignments)), strict=True):
            a.id = pk
    insert_rows(Assignment, assignments, ids=bool(started))
    AssignmentTally.add(a for a in assignments if a.item.state in ActionItem.LIVE_STATES)
    reviewed = {id(m) for m, _, _, chosen in batches if chosen is not None} if by is not None else set()
    actor_id = by.pk if by is not None else None

    def entry(item_id, action, **fields):
        return record(JournalEntry, item_id=item_id, actor_id=actor_id, at=now, action=action, **fields)

    journal = []
    for row in created:
        # A person who confirmed in the import page: the journal says 导入, then 交办.
        by_person = id(row.meeting) in reviewed
        source = f"自{row.meeting.source_name or '会议文本'}导入"
        to_status = ActionItem.State.DRAFT if by_person else _assigned_state(row)
        journal.append(entry(row.id, JournalEntry.Action.IMPORT, to_status=to_status, note=source))
        if by_person and row.state in ActionItem.LIVE_STATES:
            journal.append(
                entry(
                    row.id,
                    JournalEntry.Action.CONFIRM,
                    from_status=ActionItem.State.DRAFT,
                    to_status=ActionItem.State.ACTIVE,
                    note="导入时审核交办",
                )
            )
    journal.extend(
        entry(
            a.item_id,
            JournalEntry.Action.IMPORT,
            assignment_id=a.id,
            from_status=Assignment.Status.PENDING,
            to_status=a.status,
            progress=a.progress,
            note=ActionItem.recorded_note(a.item),
        )
        for a in started
    )
    journal.extend(
        entry(row.id, JournalEntry.Action.ITEM_DONE, from_status=ActionItem.State.ACTIVE, to_status=row.state)
        for row in created
        if row.state == ActionItem.State.DONE
    )
    insert_rows(JournalEntry, journal, ids=False)  # nothing refers to them: the database numbers them
    report.items_created += len(created)
    report.item_ids.extend(row.id for row in created)


def _assigned_state(row) -> str:
    """The state an item's import assigned it in: 已交办, even when its ledger had it done at once."""
    return ActionItem.State.ACTIVE if row.state == ActionItem.State.DONE else row.state


def _recorded_values(recorded: RecordedState | None) -> dict:
    """The item's columns of what its ledger row recorded (none recorded: the columns' defaults)."""
    if recorded is None:
        return {}
    return {
        "recorded_status": recorded.kind,
        "recorded_progress": recorded.progress,
        "recorded_finished_on": recorded.finished,
        "recorded_text": recorded.source[:200],
    }


def _target_dict(t) -> dict:
    value = int(t.value) if float(t.value).is_integer() else t.value
    stretch = t.stretch
    if stretch is not None and float(stretch).is_integer():
        stretch = int(stretch)
    return {"metric": t.metric, "op": t.op, "value": value, "unit": t.unit, "stretch": stretch}
