"""generate_data: the asked-for numbers, every status, reproducible with a seed, refuses to double up."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from importer.deadlines import resolve_deadline
from tracker.models import ActionItem, Assignment, AssignmentTally, Department, JournalEntry, Meeting, User
from tracker.permissions import MANAGER, OFFICE, STAFF, role_of


def generate(**options):
    args = {"items": 300, "departments": 12, "users": 30, "journal": 2500, "seed": 7, **options}
    call_command("generate_data", **args, stdout=io.StringIO())


def snapshot():
    """What the data says, without the ids a database hands out."""
    items = list(
        ActionItem.objects.order_by("meeting__date", "meeting__title", "position").values_list(
            "text", "state", "deadline", "meeting__title"
        )
    )
    assignments = list(
        Assignment.objects.order_by(
            "item__meeting__date", "item__meeting__title", "item__position", "department__name"
        ).values_list("department__name", "role", "status", "progress", "due_date", "finished_on")
    )
    return items, assignments, JournalEntry.objects.count()


@pytest.fixture
def generated(db, today):
    generate()


def test_counts_are_those_asked_for(generated):
    assert ActionItem.objects.count() == 300
    assert JournalEntry.objects.count() == 2500
    assert Department.objects.real().count() == 12
    assert Department.objects.groups().count() == 3
    assert Department.objects.filter(kind=Department.Kind.TOWNSHIP).count() == 3
    assert 1.5 <= Assignment.objects.count() / 300 <= 3
    assert Meeting.objects.count() >= 300 // 45


def test_every_department_has_a_staff_member_and_every_role_exists(generated):
    staff = User.objects.filter(groups__name=STAFF)
    assert set(staff.values_list("department", flat=True)) == set(
        Department.objects.real().values_list("pk", flat=True)
    )
    assert User.objects.filter(groups__name=MANAGER).exists()
    assert User.objects.filter(groups__name=OFFICE, is_staff=True).exists()
    assert User.objects.get(username="staff0001").department is not None


def test_users_sign_in_with_the_demo_password(generated, monkeypatch):
    user = authenticate(username="staff0001", password="demo12345")
    assert user is not None and role_of(user) == STAFF


def test_data_covers_every_status_state_and_timing(generated, today):
    assert set(Assignment.objects.values_list("status", flat=True)) == set(Assignment.Status.values)
    assert set(ActionItem.objects.values_list("state", flat=True)) >= {"active", "done", "draft"}
    assert Assignment.objects.live().filter(due_date__lt=today).exists()
    assert Assignment.objects.live().filter(due_date__gt=today).exists()
    assert JournalEntry.objects.filter(action=JournalEntry.Action.EXTENSION_APPROVE).exists()
    assert Assignment.objects.filter(role=Assignment.Role.SUPPORT).exists()


def test_items_point_at_their_sentence_in_the_meeting_text(generated):
    for item in ActionItem.objects.select_related("meeting")[:50]:
        assert item.meeting.text[item.span_start : item.span_end] == item.text


def test_the_department_a_sentence_names_leads_its_item(generated):
    items = ActionItem.objects.prefetch_related("assignments__department")
    assert items.count() == 300
    for item in items:
        (mention,) = item.mentions
        leads = {a.department.name for a in item.assignments.all() if a.role == "lead"}
        assert item.text.startswith(mention["mention"] + "要")
        assert mention["name"] in leads, (item.text, leads)


def test_an_items_sentence_says_its_timing_and_a_date_resolves_to_its_deadline(generated):
    items = ActionItem.objects.exclude(deadline_text="").select_related("meeting")
    assert items.count() > 100
    endings = set()
    for item in items:
        assert item.deadline_text in item.text
        if item.deadline_kind == ActionItem.DeadlineKind.DATE:
            resolved = resolve_deadline(item.deadline_text, item.meeting.date).date
            assert resolved == item.deadline, item.deadline_text
            endings.add(item.deadline_text[-3:-1])
    assert {"月底", "年底"} <= endings and any(e.endswith("日") for e in endings)


def test_active_items_have_an_open_lead_and_done_items_none(generated):
    leads = Assignment.objects.filter(role=Assignment.Role.LEAD)
    assert not leads.filter(item__state="done").exclude(status="done").exists()
    for item in ActionItem.objects.filter(state="active").prefetch_related("assignments")[:100]:
        assert any(a.role == "lead" and a.status != "done" for a in item.assignments.all())


def test_dashboard_counts_are_built_for_the_generated_rows(generated, today):
    assert list(AssignmentTally.objects.summary_by_department(today)) == list(
        Assignment.objects.summary_by_department(today)
    )


def test_generated_assignments_are_live_exactly_when_their_item_is(generated):
    live = set(Assignment.objects.live().values_list("pk", flat=True))
    assert live == set(Assignment.objects.of_live_items().values_list("pk", flat=True))
    assert 0 < len(live) < Assignment.objects.count()  # drafts and cancelled items exist too


def test_same_seed_gives_the_same_data_and_a_second_run_needs_replace(generated):
    first = snapshot()
    with pytest.raises(CommandError):
        generate()
    generate(replace=True)
    assert snapshot() == first
    generate(replace=True, seed=8)
    assert snapshot() != first
