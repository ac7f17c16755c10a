"""Concurrent writers to the same rows lose nothing (PostgreSQL: real row locks, real parallel sessions)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from tracker.models import Assignment, AssignmentTally, JournalEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writer at a time; row locks are tested on PostgreSQL (DATABASE_URL=postgresql://…)",
    ),
]

WRITERS = 20


def run_at_once(target, arguments):
    """Run target(arg) in one thread per argument, released together; return the errors raised."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def work(arg):
        try:
            barrier.wait()
            target(arg)
        except Exception as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=work, args=(a,)) for a in arguments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_twenty_simultaneous_progress_reports_all_land(lead, users):
    lead.accept(by=users["staff"])
    reported = list(range(1, WRITERS + 1))

    def report(progress):
        mine = Assignment.objects.get(pk=lead.pk)  # a fresh object per writer, as in a request
        mine.report_progress(by=users["staff"], progress=progress, note=f"第{progress}次反馈")

    assert run_at_once(report, reported) == []
    entries = JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.PROGRESS)
    assert entries.count() == WRITERS
    assert sorted(entries.values_list("progress", flat=True)) == reported
    lead.refresh_from_db()
    assert lead.progress in reported
    assert lead.status == Assignment.Status.IN_PROGRESS


def test_twenty_simultaneous_reports_through_the_views_locked_read_all_land(lead, users):
    """What assignment_update does for a POST: the scoped read is the lock (Assignment.objects.acting_on)."""
    lead.accept(by=users["staff"])
    reported = list(range(1, WRITERS + 1))

    def report(progress):
        with Assignment.objects.filter(department=lead.department_id).acting_on(lead.pk) as held:
            held.report_progress(by=users["staff"], progress=progress, note=f"第{progress}次反馈")

    assert run_at_once(report, reported) == []
    entries = JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.PROGRESS)
    assert sorted(entries.values_list("progress", flat=True)) == reported
    lead.refresh_from_db()
    assert lead.progress == entries.latest("id").progress  # the last to commit is what the row says


def test_simultaneous_transitions_keep_the_dashboard_counts_exact(make_item, departments, users, today):
    # Twenty items due the same day for one department: every accept moves the same two count rows.
    due = today + datetime.timedelta(days=3)
    items = [make_item(lead=departments["nongban"], deadline=due) for _ in range(WRITERS)]
    ids = [item.assignments.get().pk for item in items]

    def accept(pk):
        Assignment.objects.get(pk=pk).accept(by=users["staff"])

    assert run_at_once(accept, ids) == []
    assert Assignment.objects.filter(pk__in=ids, status=Assignment.Status.IN_PROGRESS).count() == WRITERS
    assert list(AssignmentTally.objects.summary_by_department(today)) == list(
        Assignment.objects.summary_by_department(today)
    )


def test_double_accept_of_one_assignment_lets_exactly_one_through(lead, users):
    def accept(_):
        Assignment.objects.get(pk=lead.pk).accept(by=users["staff"])

    errors = run_at_once(accept, range(5))
    assert len(errors) == 4
    assert JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.ACCEPT).count() == 1
