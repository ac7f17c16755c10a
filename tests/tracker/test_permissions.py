"""The permission matrix: every role × own / other department × every action."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tracker import permissions
from tracker.models import ActionItem, Assignment

S = Assignment.Status
STAFF_ACTIONS = sorted(permissions.STAFF_ACTIONS)
OFFICE_ACTIONS = sorted(permissions.OFFICE_ACTIONS)
ALL_ACTIONS = STAFF_ACTIONS + OFFICE_ACTIONS


def with_status(assignment, status, **extra):
    Assignment.objects.filter(pk=assignment.pk).update(status=status, **extra)
    return Assignment.objects.select_related("item").get(pk=assignment.pk)


def test_roles_come_from_groups(users):
    assert permissions.role_of(users["office"]) == permissions.OFFICE
    assert permissions.role_of(users["manager"]) == permissions.MANAGER
    assert permissions.role_of(users["staff"]) == permissions.STAFF
    assert permissions.role_of(AnonymousUser()) is None


def test_superuser_counts_as_office(db, django_user_model):
    boss = django_user_model.objects.create_superuser("root", password="x")
    assert permissions.is_office(boss)


def test_user_without_group_sees_nothing(db, django_user_model, item):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert not permissions.visible_items(nobody).exists()
    assert not permissions.visible_assignments(nobody).exists()
    assert not permissions.visible_meetings(nobody).exists()


# --- who sees what ------------------------------------------------------------------------------


@pytest.fixture
def two_items(make_item, departments, today):
    """One item led by 市农办 and one by 甘霖镇; and a draft led by 市农办."""
    return {
        "own": make_item(lead=departments["nongban"], deadline=today),
        "other": make_item(lead=departments["town"], deadline=today),
        "draft": make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT),
    }


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("office", {"own", "other", "draft"}),
        ("manager", {"own", "other"}),
        ("staff", {"own"}),
        ("other_staff", set()),
    ],
)
def test_visible_items_by_role(two_items, users, role, sees):
    visible = set(permissions.visible_items(users[role]).values_list("pk", flat=True))
    assert visible == {two_items[k].pk for k in sees}


def test_support_department_sees_the_item(make_item, departments, users):
    item = make_item(lead=departments["town"], support=[departments["jiaoti"]])
    assert permissions.visible_items(users["other_staff"]).filter(pk=item.pk).exists()
    assert list(permissions.visible_assignments(users["other_staff"])) == [
        item.assignments.get(department=departments["jiaoti"])
    ]


def test_manager_with_overseen_departments_sees_only_those(two_items, users, departments):
    users["manager"].oversees.add(departments["town"])
    manager = type(users["manager"]).objects.get(pk=users["manager"].pk)
    assert set(permissions.visible_items(manager)) == {two_items["other"]}
    assert set(permissions.visible_departments(manager)) == {departments["town"]}


def test_staff_sees_meetings_of_own_items_only(two_items, users, meeting):
    assert list(permissions.visible_meetings(users["staff"])) == [meeting]
    assert not permissions.visible_meetings(users["other_staff"]).exists()


def test_staff_does_not_see_drafts_of_own_department(two_items, users):
    assert not permissions.visible_items(users["staff"]).filter(pk=two_items["draft"].pk).exists()


# --- who may change what ---------------------------------------------------------------------------


# The status in which each action is legal, to test permission apart from state.
LEGAL_STATUS = {
    "accept": S.PENDING,
    "send_back": S.PENDING,
    "report_progress": S.IN_PROGRESS,
    "request_extension": S.IN_PROGRESS,
    "submit_done": S.IN_PROGRESS,
    "approve_extension": S.IN_PROGRESS,
    "refuse_extension": S.IN_PROGRESS,
    "close": S.REVIEW,
    "return_for_rework": S.REVIEW,
    "reassign": S.RETURNED,
    "remind": S.IN_PROGRESS,
}


def prepared(lead, action):
    extra = {"extension_date": lead.due_date} if action in {"approve_extension", "refuse_extension"} else {}
    return with_status(lead, LEGAL_STATUS[action], **extra)


@pytest.mark.parametrize("action", ALL_ACTIONS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", set(STAFF_ACTIONS)),  # own department
        ("other_staff", set()),  # another department
        ("manager", set()),
        ("office", set(OFFICE_ACTIONS)),
    ],
)
def test_action_matrix(lead, users, role, allowed, action):
    assignment = prepared(lead, action)
    assert permissions.can_take(users[role], assignment, action) is (action in allowed)


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_no_action_on_a_cancelled_item(lead, users, action):
    lead.item.cancel(by=users["office"], reason="重复")
    assignment = prepared(lead, action)
    assert not permissions.can_take(users["staff"], assignment, action)
    assert not permissions.can_take(users["office"], assignment, action)


def test_actions_follow_status(lead, users):
    assert permissions.allowed_actions(users["staff"], lead) == {"accept", "send_back", "request_extension"}
    in_progress = with_status(lead, S.IN_PROGRESS)
    assert permissions.allowed_actions(users["staff"], in_progress) == {
        "send_back",
        "report_progress",
        "request_extension",
        "submit_done",
    }
    assert permissions.allowed_actions(users["office"], in_progress) == {"remind"}
    assert "remind" not in permissions.allowed_actions(users["office"], with_status(lead, S.DONE))


def test_pending_extension_hides_a_second_request_and_shows_approval(lead, users):
    waiting = with_status(lead, S.IN_PROGRESS, extension_date=lead.due_date)
    assert "request_extension" not in permissions.allowed_actions(users["staff"], waiting)
    assert {"approve_extension", "refuse_extension"} <= permissions.allowed_actions(users["office"], waiting)


@pytest.mark.parametrize(
    ("role", "can_change", "can_comment", "can_manage", "can_dashboard"),
    [
        ("office", True, True, True, True),
        ("manager", False, True, False, True),
        ("staff", True, False, False, False),
        ("other_staff", False, False, False, False),
    ],
)
def test_role_capabilities(lead, users, role, can_change, can_comment, can_manage, can_dashboard):
    user = users[role]
    assert permissions.can_change(user, lead) is can_change
    assert permissions.can_comment(user, lead.item) is can_comment
    assert permissions.can_manage_items(user) is can_manage
    assert permissions.can_cancel(user, lead.item) is can_manage
    assert permissions.can_view_dashboard(user) is can_dashboard


def test_nobody_comments_on_a_draft(make_item, departments, users):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    assert not permissions.can_comment(users["manager"], draft)


@pytest.mark.parametrize("action", ALL_ACTIONS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("staff", set(STAFF_ACTIONS)),
        ("other_staff", set()),
        ("manager", set()),
        ("office", set(OFFICE_ACTIONS)),
    ],
)
def test_may_attempt_depends_on_role_and_department_not_status(lead, users, role, allowed, action):
    done = with_status(lead, S.DONE)  # no action is legal now, but the right people may still try
    assert permissions.may_attempt(users[role], done, action) is (action in allowed)


def test_nobody_may_attempt_anything_on_a_cancelled_item(lead, users):
    lead.item.cancel(by=users["office"], reason="重复")
    lead = Assignment.objects.select_related("item").get(pk=lead.pk)
    assert not any(permissions.may_attempt(users["staff"], lead, a) for a in STAFF_ACTIONS)


def test_visible_work_leaves_out_drafts_and_cancelled_items_for_every_role(users, make_item, departments):
    live = make_item(lead=departments["nongban"])
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    make_item(lead=departments["nongban"], state=ActionItem.State.CANCELLED)
    for role in ("office", "manager", "staff"):
        assert [a.item_id for a in permissions.visible_work(users[role])] == [live.pk], role
    assert not permissions.visible_work(users["other_staff"]).exists()


def test_kept_counts_are_narrowed_to_the_departments_a_user_may_see(users, item, departments):
    from tracker.models import AssignmentTally

    def seen(user):
        rows = permissions.in_visible_departments(user, AssignmentTally.objects.all())
        return set(rows.values_list("department__name", flat=True))

    assert seen(users["office"]) == seen(users["manager"]) == {"市农办", "教体局"}
    assert seen(users["staff"]) == {"市农办"}
    users["manager"].oversees.add(departments["jiaoti"])
    manager = type(users["manager"]).objects.get(pk=users["manager"].pk)  # fresh: no cached scope
    assert seen(manager) == {"教体局"}
