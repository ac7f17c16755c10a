"""Who may see and change what. The only module that decides access; views and templates ask it.

Roles are Django groups: 督办员 (the supervision office), 领导 (managers) and 联络员 (department staff).
A superuser counts as 督办员. Objects are always fetched through the scoped querysets below, so an
item of another department is simply not found (404) rather than forbidden.
"""

from django.db.models import Exists, OuterRef

from .models import ActionItem, Assignment, Department, JournalEntry, Meeting

OFFICE = "督办员"
MANAGER = "领导"
STAFF = "联络员"
ROLES = (OFFICE, MANAGER, STAFF)

# Assignment actions a department's staff may take on their own department's part.
STAFF_ACTIONS = {"accept", "send_back", "report_progress", "request_extension", "submit_done"}
# Assignment actions only the office takes.
OFFICE_ACTIONS = {"approve_extension", "refuse_extension", "close", "return_for_rework", "reassign", "remind"}

# Which statuses each assignment action is legal in (the model enforces it too; this hides buttons).
ACTION_STATUSES = {
    "accept": {Assignment.Status.PENDING},
    "send_back": {Assignment.Status.PENDING, Assignment.Status.IN_PROGRESS},
    "report_progress": {Assignment.Status.IN_PROGRESS},
    "request_extension": {Assignment.Status.PENDING, Assignment.Status.IN_PROGRESS},
    "submit_done": {Assignment.Status.IN_PROGRESS},
    "approve_extension": set(Assignment.OPEN_STATUSES),
    "refuse_extension": set(Assignment.OPEN_STATUSES),
    "close": {Assignment.Status.REVIEW},
    "return_for_rework": {Assignment.Status.REVIEW},
    "reassign": {Assignment.Status.RETURNED},
    "remind": set(Assignment.OPEN_STATUSES),
}


def role_of(user) -> str | None:
    """Return the user's role (督办员 / 领导 / 联络员), or None for anonymous and role-less users."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_duban_role", False)
    if cached is not False:
        return cached
    if user.is_superuser:
        role = OFFICE
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in ROLES if r in names), None)
    user._duban_role = role
    return role


def is_office(user) -> bool:
    return role_of(user) == OFFICE


def is_manager(user) -> bool:
    return role_of(user) == MANAGER


def is_staff_member(user) -> bool:
    return role_of(user) == STAFF


def _overseen_ids(user):
    cached = getattr(user, "_duban_oversees", None)
    if cached is None:
        cached = list(user.oversees.values_list("pk", flat=True))
        user._duban_oversees = cached
    return cached


def visible_assignments(user):
    """Assignments the user may see: all for the office, overseen ones for managers, own for staff."""
    role = role_of(user)
    qs = Assignment.objects.all()
    if role == OFFICE:
        return qs
    if role == MANAGER:
        overseen = _overseen_ids(user)
        qs = qs.live()
        return qs.filter(department_id__in=overseen) if overseen else qs
    if role == STAFF and user.department_id:
        return qs.live().filter(department_id=user.department_id)
    return qs.none()


def visible_work(user):
    """Live assignments the user may see: the rows of the lists, the board and the ledger.

    Drafts' and cancelled items' assignments are proposals or history, not work. Staff's and
    managers' scopes are live already; filtering twice would make the database check it twice.
    """
    if role_of(user) == OFFICE:
        return Assignment.objects.live()
    return visible_assignments(user)


def visible_items(user):
    """Items the user may see; drafts are the office's alone."""
    role = role_of(user)
    qs = ActionItem.objects.all()
    if role == OFFICE:
        return qs
    if role in (MANAGER, STAFF):
        mine = visible_assignments(user).filter(item=OuterRef("pk"))
        if role == MANAGER and not _overseen_ids(user):
            return qs.live()
        return qs.live().filter(Exists(mine))
    return qs.none()


def visible_meetings(user):
    """Meetings the user may open: all for office and managers, those with own items for staff."""
    role = role_of(user)
    if role in (OFFICE, MANAGER):
        return Meeting.objects.all()
    if role == STAFF:
        # The meetings of the department's live assignments: one semi-join, not an EXISTS per meeting.
        return Meeting.objects.filter(pk__in=visible_assignments(user).values("item__meeting_id"))
    return Meeting.objects.none()


def visible_departments(user):
    """Departments whose figures the user may see on the dashboard."""
    role = role_of(user)
    if role == OFFICE:
        return Department.objects.all()
    if role == MANAGER:
        overseen = _overseen_ids(user)
        return Department.objects.filter(pk__in=overseen) if overseen else Department.objects.all()
    if role == STAFF and user.department_id:
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


def in_visible_departments(user, queryset):
    """Narrow a queryset of per-department rows (kept counts) to the departments the user may see.

    Those who see every department get it unfiltered: `department__in=<all departments>` is a join
    that keeps every row and costs the dashboard a few milliseconds on PostgreSQL.
    """
    role = role_of(user)
    if role == OFFICE or (role == MANAGER and not _overseen_ids(user)):
        return queryset
    return queryset.filter(department__in=visible_departments(user))


def visible_journal(user, item):
    """Journal entries of an item the user may read (everything on an item they may see)."""
    return JournalEntry.objects.filter(item=item)


def can_change(user, assignment) -> bool:
    """May the user act on this assignment at all (own department's staff, or the office)?"""
    role = role_of(user)
    if role == OFFICE:
        return True
    return role == STAFF and user.department_id is not None and assignment.department_id == user.department_id


def allowed_actions(user, assignment) -> set[str]:
    """Return the assignment actions the user may take now, given role, department and status."""
    role = role_of(user)
    if assignment.item.state not in ActionItem.LIVE_STATES:
        return set()
    if role == STAFF and can_change(user, assignment):
        names = STAFF_ACTIONS
    elif role == OFFICE:
        names = OFFICE_ACTIONS
    else:
        return set()
    actions = {name for name in names if assignment.status in ACTION_STATUSES[name]}
    if assignment.extension_date is None:
        actions -= {"approve_extension", "refuse_extension"}
    else:
        actions.discard("request_extension")
    return actions


def may_attempt(user, assignment, action: str) -> bool:
    """May the user take this kind of action on this assignment at all, whatever its status now?

    Views answer 403 when this is false; when it is true but the status has moved on (another
    person acted first), the model's TransitionError explains why to the user instead.
    """
    if assignment.item.state not in ActionItem.LIVE_STATES:
        return False
    role = role_of(user)
    if role == STAFF and can_change(user, assignment):
        return action in STAFF_ACTIONS
    return role == OFFICE and action in OFFICE_ACTIONS


def can_take(user, assignment, action: str) -> bool:
    """May the user take this named action on this assignment now?"""
    return action in allowed_actions(user, assignment)


def can_comment(user, item) -> bool:
    """Managers leave instructions (批示); the office may comment too."""
    return role_of(user) in (MANAGER, OFFICE) and item.state != ActionItem.State.DRAFT


def can_manage_items(user) -> bool:
    """Import, review drafts, assign, cancel: the office's work."""
    return is_office(user)


def can_cancel(user, item) -> bool:
    return is_office(user) and item.state in (ActionItem.State.DRAFT, ActionItem.State.ACTIVE)


def can_view_dashboard(user) -> bool:
    return role_of(user) in (OFFICE, MANAGER)


def can_export(user) -> bool:
    return role_of(user) is not None
