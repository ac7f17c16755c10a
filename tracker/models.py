"""The 督办 workflow: departments, meetings, action items, assignments and their journal."""

import contextlib
import contextvars
import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

DUE_SOON_DAYS = 7
# A date after every real one: where the day does not matter (closed, sent back, or no due date) the
# tally stores it, since a unique key with NULLs cannot be upserted; undated work sorts last with it.
TALLY_NO_DATE = datetime.date(9999, 12, 31)


class TransitionError(ValidationError):
    """A state change that the workflow does not allow from the current state."""


def today() -> datetime.date:
    """Return today's date in the project's time zone."""
    return timezone.localdate()


# --- Departments -----------------------------------------------------------------------------


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def real(self):
        """Departments that can do work, not the group words of the texts."""
        return self.exclude(kind=Department.Kind.GROUP)

    def groups(self):
        return self.filter(kind=Department.Kind.GROUP)


class Department(models.Model):
    """A department, township, zone or company of the city — or a group word the texts use."""

    class Kind(models.TextChoices):
        CITY = "city", "市级部门"
        TOWNSHIP = "township", "乡镇(街道)"
        ZONE = "zone", "开发区·新区"
        SOE = "soe", "国有企业"
        OTHER = "other", "其他"
        GROUP = "group", "泛指(待分解)"

    class Scope(models.TextChoices):
        NONE = "", "—"
        ALL = "all", "各级各部门(全部)"
        RELATED = "related", "相关部门(待指定)"
        TOWNSHIPS = "townships", "乡镇(街道)(全部)"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=10, choices=Kind, default=Kind.CITY)
    scope = models.CharField(
        "泛指范围",
        max_length=10,
        choices=Scope,
        default=Scope.NONE,
        blank=True,
        help_text="只对泛指类有意义：由督办员分解为具体单位。",
    )
    aliases = models.JSONField("别名", default=list, blank=True, help_text="文本里出现的其他写法。")
    active = models.BooleanField("启用", default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="group", scope__in=["all", "related", "townships"])
                | (~Q(kind="group") & Q(scope="")),
                name="department_scope_only_for_groups",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    def spellings(self) -> list[str]:
        """Return the name, short name and aliases, without duplicates."""
        seen = []
        for s in [self.name, self.short_name, *self.aliases]:
            if s and s not in seen:
                seen.append(s)
        return seen

    def members_of_group(self):
        """Return the real departments a group word stands for (empty for 相关部门: a person decides)."""
        if self.scope == self.Scope.ALL:
            return Department.objects.real().active()
        if self.scope == self.Scope.TOWNSHIPS:
            return Department.objects.active().filter(kind=self.Kind.TOWNSHIP)
        return Department.objects.none()


class UserWithDepartmentManager(UserManager):
    def get_queryset(self):
        # Every page names the signed-in user's department in its header: one query, not two.
        return super().get_queryset().select_related("department")


class User(AbstractUser):
    """A person who signs in; belongs to one department."""

    department = models.ForeignKey(
        Department,
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    oversees = models.ManyToManyField(
        Department,
        verbose_name="分管单位",
        blank=True,
        related_name="overseers",
        help_text="领导分管的单位；留空表示可查看全部。",
    )

    objects = UserWithDepartmentManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @property
    def display_name(self) -> str:
        return str(self)


# --- Meetings ---------------------------------------------------------------------------------


class Meeting(models.Model):
    """A meeting whose summary issued directives; found again on re-import by its natural key."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", "全体会议"
        EXECUTIVE = "executive", "常务会议"
        SPECIAL = "special", "专题会议"
        OTHER = "other", "其他"

    kind = models.CharField("类型", max_length=10, choices=Kind, default=Kind.OTHER)
    session = models.PositiveSmallIntegerField("届", null=True, blank=True)
    number = models.PositiveSmallIntegerField("次", null=True, blank=True)
    title = models.CharField("会议名称", max_length=300)
    date = models.DateField("会议日期", null=True, blank=True)
    natural_key = models.CharField("识别键", max_length=400, unique=True, editable=False)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    text = models.TextField("会议原文", blank=True)
    text_hash = models.CharField("原文摘要", max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tracker:meeting_detail", args=[self.pk])

    @staticmethod
    def make_natural_key(kind: str, session: int | None, number: int | None, date, title: str) -> str:
        """Build the key that identifies a meeting across imports.

        Numbered meetings are known by kind, 届 and 次 (十五届第1次 ≠ 十六届第1次); special meetings have
        no number, so their date and title identify them.
        """
        if number is not None and kind in {"plenary", "executive"}:
            return f"{kind}:{session or 0}:{number}"
        day = date.isoformat() if date else "undated"
        return f"{kind}:{day}:{''.join(title.split())}"

    @staticmethod
    def hash_text(text: str) -> str:
        """Return a digest of a meeting's text, to see whether a re-import changed it."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()


# --- Action items -----------------------------------------------------------------------------


class ActionItemQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(state=ActionItem.State.DRAFT)

    def live(self):
        """Items that have been assigned (not drafts, not cancelled)."""
        return self.filter(state__in=ActionItem.LIVE_STATES)

    def open(self):
        return self.filter(state=ActionItem.State.ACTIVE)

    def for_department(self, department):
        return self.filter(assignments__department=department).distinct()

    def overdue(self, on: datetime.date | None = None):
        """Active items with a lead assignment still open past its due date."""
        return self.filter(ActionItem.overdue_q(on or today()))

    def counts_by_meeting(self, on: datetime.date | None = None) -> dict:
        """Count these items per meeting, in one query: {meeting_id: {"items", "done", "overdue"}}.

        Meant for the items of a few meetings (filter them first): every item is looked at once.
        """
        rows = (
            self.order_by()
            .values("meeting")
            .annotate(
                items=Count("pk"),
                done=Count("pk", filter=Q(state=ActionItem.State.DONE)),
                overdue=Count("pk", filter=ActionItem.overdue_q(on or today())),
            )
        )
        return {row.pop("meeting"): row for row in rows}


class ActionItem(models.Model):
    """One directive of a meeting, tracked until its lead assignments are closed."""

    class State(models.TextChoices):
        DRAFT = "draft", "待确认"
        ACTIVE = "active", "已交办"
        DONE = "done", "已办结"
        CANCELLED = "cancelled", "已撤销"

    class DeadlineKind(models.TextChoices):
        DATE = "date", "有明确日期"
        NONE = "none", "无时限"
        RECURRING = "recurring", "定期"
        ONGOING = "ongoing", "长期坚持"
        VAGUE = "vague", "限时(未定日期)"

    class Recorded(models.TextChoices):
        """How far the ledger (台账) an item was imported from says its work had got."""

        NONE = "", "—"
        DONE = "done", "已完成"
        IN_PROGRESS = "in_progress", "推进中"
        NOT_STARTED = "not_started", "未启动"

        @classmethod
        def describe(cls, status: str, progress: int | None = None) -> str:
            """The state in a few words (已完成, 推进中 80%), or "" for none."""
            if not status:
                return ""
            label = cls(status).label
            return f"{label} {progress}%" if status == cls.IN_PROGRESS and progress else label

    # Assigned items: their assignments count on the board, whether the item is still open or done.
    LIVE_STATES = (State.ACTIVE, State.DONE)

    # Indexed by item_unique_position (meeting, position), which leads with it.
    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="items", db_index=False
    )
    position = models.PositiveIntegerField("序号")
    text = models.TextField("事项内容")
    span_start = models.PositiveIntegerField("原文起点", null=True, blank=True)
    span_end = models.PositiveIntegerField("原文终点", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_text = models.CharField("时限原文", max_length=100, blank=True)
    deadline_kind = models.CharField(
        "时限类型", max_length=10, choices=DeadlineKind, default=DeadlineKind.NONE
    )
    targets = models.JSONField("量化目标", default=list, blank=True)
    mentions = models.JSONField("原文单位", default=list, blank=True, help_text="导入时识别的单位写法。")
    state = models.CharField("状态", max_length=10, choices=State, default=State.DRAFT)
    cancel_reason = models.CharField("撤销原因", max_length=500, blank=True)
    # What the imported ledger's row recorded: its assignments start in that state when assigned.
    recorded_status = models.CharField(
        "台账记录的状态", max_length=12, choices=Recorded, default=Recorded.NONE, blank=True
    )
    recorded_progress = models.PositiveSmallIntegerField(
        "台账记录的进度(%)", null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    recorded_finished_on = models.DateField("台账记录的办结日期", null=True, blank=True)
    recorded_text = models.CharField(
        "台账原文", max_length=200, blank=True, help_text="如“办理状态:已办结”。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="item_unique_position"),
            models.CheckConstraint(
                condition=Q(span_start__isnull=True) | Q(span_end__gte=F("span_start")),
                name="item_span_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="item_state_deadline_idx"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 40 else self.text[:40] + "…"

    def get_absolute_url(self):
        return reverse("tracker:item_detail", args=[self.pk])

    @staticmethod
    def overdue_q(on: datetime.date) -> Q:
        """The condition of an overdue item: active, with a lead assignment still open past its due date."""
        # Asked per item (an index lookup) rather than as the set of all late assignments: a page
        # counting the overdue items of 20 meetings then looks at their 500 items, not at every one.
        late = Assignment.objects.filter(
            Assignment.open_q(), item=OuterRef("pk"), role=Assignment.Role.LEAD, due_date__lt=on
        )
        return Q(Exists(late), state=ActionItem.State.ACTIVE)

    @property
    def short_text(self) -> str:
        return str(self)

    def source_parts(self) -> tuple[str, str, str]:
        """Split the meeting text into before / this item's sentence / after, for highlighting."""
        text = self.meeting.text
        if self.span_start is None or self.span_end is None or self.span_end > len(text):
            return text, "", ""
        return text[: self.span_start], text[self.span_start : self.span_end], text[self.span_end :]

    @property
    def recorded_label(self) -> str:
        """The ledger's recorded state in a few words (已完成, 推进中 80%), or "" when it recorded none."""
        return ActionItem.Recorded.describe(self.recorded_status, self.recorded_progress)

    def recorded_start(self, on: datetime.date | None = None) -> dict:
        """Return the fields an assignment of this item starts with when assigned, as its ledger recorded.

        Done: 已办结 on the recorded day (if not after `on`, default today) or else on `on`; in
        progress: 办理中 at the recorded percentage. Empty when the assignment starts 待签收. Reads
        only the recorded_* attributes, so the importer calls it on the plain rows it writes too.
        """
        if not self.recorded_status:
            return {}  # most items: asked once a row on import, so before anything else
        on = on or today()
        if self.recorded_status == ActionItem.Recorded.DONE:
            finished = self.recorded_finished_on
            finished = finished if finished is not None and finished <= on else on
            return {"status": Assignment.Status.DONE, "progress": 100, "finished_on": finished}
        if self.recorded_status == ActionItem.Recorded.IN_PROGRESS:
            return {"status": Assignment.Status.IN_PROGRESS, "progress": min(self.recorded_progress or 0, 99)}
        return {}

    def recorded_note(self) -> str:
        """The journal's note for an assignment started in the ledger's recorded state."""
        return f"按导入台账记录的状态开始办理：“{self.recorded_text}”"

    def _journal(self, by, action, note="", assignment=None, from_status="", to_status="", progress=None):
        return JournalEntry.objects.create(
            item=self,
            assignment=assignment,
            actor=by,
            action=action,
            from_status=from_status,
            to_status=to_status,
            progress=progress,
            note=note,
        )

    def confirm(self, *, by):
        """Turn a reviewed draft into an assigned item (交办): every assignment starts 待签收.

        An item imported from a ledger that recorded its work done or in progress has its
        assignments start in that state instead (see `recorded_start`), each with a journal row
        quoting the ledger; the item is done at once when its leads are.
        """
        with transaction.atomic():
            item = ActionItem.objects.select_for_update().get(pk=self.pk)
            if item.state != self.State.DRAFT:
                raise TransitionError(f"只有待确认的事项可以交办，当前状态：{item.get_state_display()}。")
            assignments = list(item.assignments.select_related("department"))
            if not any(a.role == Assignment.Role.LEAD for a in assignments):
                raise TransitionError("交办前至少要指定一个牵头单位。")
            groups = [a.department.name for a in assignments if a.department.is_group]
            if groups:
                raise TransitionError(f"请先把泛指单位分解为具体单位：{'、'.join(groups)}。")
            item.state = self.State.ACTIVE
            item.save(update_fields=["state", "updated_at"])
            item.assignments.update(live=True)
            start = item.recorded_start()
            for a in assignments:
                changed = [*start]
                if a.due_date is None:
                    a.due_date = item.deadline
                    changed.append("due_date")
                for field, value in start.items():
                    setattr(a, field, value)
                if changed:
                    a.save(update_fields=[*changed, "updated_at"])
            AssignmentTally.add(assignments)
            item._journal(by, JournalEntry.Action.CONFIRM, from_status=self.State.DRAFT, to_status=item.state)
            if start:
                for a in assignments:
                    item._journal(
                        by,
                        JournalEntry.Action.IMPORT,
                        assignment=a,
                        from_status=Assignment.Status.PENDING,
                        to_status=a.status,
                        progress=a.progress,
                        note=item.recorded_note(),
                    )
                item.refresh_state_from_assignments(by=by)
        self.state = item.state
        return self

    def cancel(self, *, by, reason: str):
        """Cancel a mistaken item with a reason; nothing is deleted."""
        reason = (reason or "").strip()
        if not reason:
            raise TransitionError("撤销事项必须填写原因。")
        with transaction.atomic():
            item = ActionItem.objects.select_for_update().get(pk=self.pk)
            if item.state not in (self.State.DRAFT, self.State.ACTIVE):
                raise TransitionError(f"{item.get_state_display()}的事项不能撤销。")
            old = item.state
            item.state = self.State.CANCELLED
            item.cancel_reason = reason
            item.save(update_fields=["state", "cancel_reason", "updated_at"])
            item.assignments.update(live=False)
            if old in self.LIVE_STATES:
                AssignmentTally.add(item.assignments.all(), sign=-1)
            item._journal(by, JournalEntry.Action.CANCEL, note=reason, from_status=old, to_status=item.state)
        self.state, self.cancel_reason = item.state, reason
        return self

    def assign(self, department, *, role, by, due_date=None):
        """Add a department to this item (lead or support); on a live item it starts 待签收."""
        with transaction.atomic():
            # The locked state decides whether the new assignment counts on the dashboard.
            self.state = (
                ActionItem.objects.select_for_update().values_list("state", flat=True).get(pk=self.pk)
            )
            if self.state not in (self.State.DRAFT, self.State.ACTIVE):
                raise TransitionError(f"{self.get_state_display()}的事项不能再分配单位。")
            if self.state == self.State.ACTIVE and department.is_group:
                raise TransitionError("已交办的事项只能分配给具体单位。")
            assignment, created = Assignment.objects.get_or_create(
                item=self,
                department=department,
                defaults={
                    "role": role,
                    "due_date": due_date or self.deadline,
                    "live": self.state in self.LIVE_STATES,
                },
            )
            if not created:
                raise TransitionError(f"{department.name}已在本事项中。")
            if self.state in self.LIVE_STATES:
                AssignmentTally.add([assignment])
            self._journal(
                by,
                JournalEntry.Action.ASSIGN,
                assignment=assignment,
                to_status=assignment.status,
                note=f"{department.name}（{assignment.get_role_display()}）",
            )
        return assignment

    def revise_draft(
        self, *, by, text, deadline, deadline_kind, deadline_text="", targets=None, lead=(), support=()
    ):
        """Apply the office's review of a draft: wording, deadline, targets and real departments.

        Group placeholders are left for `resolve_group`; every change is listed in one journal row.
        """
        if self.state != self.State.DRAFT:
            raise TransitionError("只有待确认的事项可以修改。")
        text = _required(text, "事项内容不能为空。")
        lead, support = list(lead), list(support)
        both = {d.pk for d in lead} & {d.pk for d in support}
        if both:
            raise TransitionError("同一单位不能既牵头又配合。")
        if any(d.is_group for d in lead + support):
            raise TransitionError("请选择具体单位；泛指单位请用“分解为”。")
        changes = []
        with transaction.atomic():
            # Compare with the stored row: a ModelForm has already copied its values onto this instance.
            old = ActionItem.objects.select_for_update().get(pk=self.pk)
            if old.state != self.State.DRAFT:
                raise TransitionError("只有待确认的事项可以修改。")
            if text != old.text:
                changes.append("修改事项内容")
            if deadline != old.deadline or deadline_kind != old.deadline_kind:
                changes.append(f"时限改为{deadline:%Y-%m-%d}" if deadline else "时限改为无明确日期")
            if targets is not None and targets != old.targets:
                changes.append("修改量化目标")
                self.targets = targets
            self.text, self.deadline, self.deadline_kind = text, deadline, deadline_kind
            self.deadline_text = (deadline_text or "")[:100]
            self.save()
            current = {
                a.department_id: a
                for a in self.assignments.select_related("department")
                if not a.department.is_group
            }
            wanted = {d.pk: (d, Assignment.Role.LEAD) for d in lead}
            wanted |= {d.pk: (d, Assignment.Role.SUPPORT) for d in support}
            for pk, a in current.items():
                if pk not in wanted:
                    a.delete()  # a draft's assignment is no one's work yet; this journal row keeps the record
                    changes.append(f"移除{a.department.name}")
                elif wanted[pk][1] != a.role:
                    a.role = wanted[pk][1]
                    a.save(update_fields=["role", "updated_at"])
                    changes.append(f"{a.department.name}改为{a.get_role_display()}")
            for pk, (department, role) in wanted.items():
                if pk not in current:
                    Assignment.objects.create(item=self, department=department, role=role, due_date=deadline)
                    changes.append(f"增加{department.name}（{Assignment.Role(role).label}）")
            # A draft's assignments have not started: they follow its deadline.
            self.assignments.exclude(due_date=deadline).update(due_date=deadline)
            if changes:
                self._journal(by, JournalEntry.Action.REVISE, note="；".join(changes))
        return changes

    def resolve_group(self, group, departments, *, by):
        """Replace a group word (相关部门, 各乡镇(街道)…) with the real departments it stands for."""
        with transaction.atomic():
            try:
                placeholder = self.assignments.get(department=group)
            except Assignment.DoesNotExist:
                raise TransitionError(f"本事项没有分配给{group.name}。") from None
            if self.state != self.State.DRAFT:
                raise TransitionError("只有待确认的事项可以分解泛指单位。")
            departments = [d for d in departments if not d.is_group]
            if not departments:
                raise TransitionError("请至少选择一个具体单位。")
            role = placeholder.role
            placeholder.delete()  # a draft's placeholder is not work anyone did; the journal keeps the record
            existing = set(self.assignments.values_list("department_id", flat=True))
            for d in departments:
                if d.pk not in existing:
                    Assignment.objects.create(item=self, department=d, role=role, due_date=self.deadline)
            self._journal(
                by,
                JournalEntry.Action.ASSIGN,
                note=f"{group.name} → {'、'.join(d.name for d in departments)}",
            )

    def refresh_state_from_assignments(self, *, by):
        """Mark the item done once all its lead assignments are closed."""
        if self.state != self.State.ACTIVE:
            return
        leads = self.assignments.filter(role=Assignment.Role.LEAD)
        if leads.exists() and not leads.exclude(status=Assignment.Status.DONE).exists():
            self.state = self.State.DONE
            self.save(update_fields=["state", "updated_at"])
            self._journal(
                by, JournalEntry.Action.ITEM_DONE, from_status=self.State.ACTIVE, to_status=self.state
            )

    def comment(self, *, by, note: str, instruction: bool = False):
        """Leave a manager's instruction (批示) or a comment on the item."""
        note = (note or "").strip()
        if not note:
            raise TransitionError("内容不能为空。")
        action = JournalEntry.Action.INSTRUCTION if instruction else JournalEntry.Action.COMMENT
        return self._journal(by, action, note=note)


# --- Assignments ------------------------------------------------------------------------------


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        """Assignments of assigned items still being worked on (not closed, not sent back)."""
        return self.live().filter(Assignment.open_q())

    @contextlib.contextmanager
    def acting_on(self, pk):
        """Open a transaction, read assignment `pk` from this queryset locked (with its item), yield it.

        Workflow methods called on it inside the block act on the row as read, without reading and
        locking it a second time; anything they raise before the block ends rolls it all back. A pk
        outside the queryset raises Assignment.DoesNotExist. Views use it for a POST: the scoped read
        that answers 404 is then the lock as well.
        """
        with transaction.atomic():
            assignment = self.select_for_update(of=("self", "item")).select_related("item").get(pk=pk)
            assignment._held = True
            try:
                yield assignment
            finally:
                assignment._held = False

    def live(self):
        """Assignments of assigned items (not drafts, not cancelled), by the kept `live` flag."""
        return self.filter(live=True)

    def of_live_items(self):
        """Assignments of assigned items, by their item's state: what the `live` flag must agree with."""
        return self.filter(item__state__in=ActionItem.LIVE_STATES)

    def sync_live(self) -> int:
        """Set `live` from each assignment's item, after writes that bypass the workflow; return how many changed."""
        turned_on = self.of_live_items().filter(live=False).update(live=True)
        turned_off = self.exclude(item__state__in=ActionItem.LIVE_STATES).filter(live=True).update(live=False)
        return turned_on + turned_off

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_date__lt=on or today())

    def due_within(self, days: int = DUE_SOON_DAYS, on: datetime.date | None = None):
        on = on or today()
        return self.open().filter(due_date__gte=on, due_date__lte=on + datetime.timedelta(days=days))

    def for_department(self, department):
        return self.filter(department=department)

    def with_light(self, on: datetime.date | None = None):
        """Annotate each assignment with its light, computed from data in the database."""
        on = on or today()
        soon = on + datetime.timedelta(days=DUE_SOON_DAYS)
        L = Assignment.Light
        return self.annotate(
            light_code=Case(
                When(status=Assignment.Status.DONE, then=Value(L.BLUE)),
                When(~Q(status__in=Assignment.OPEN_STATUSES), then=Value(L.GREY)),
                When(due_date__isnull=True, then=Value(L.GREY)),
                When(due_date__lt=on, then=Value(L.RED)),
                When(due_date__lte=soon, then=Value(L.YELLOW)),
                default=Value(L.GREEN),
                output_field=models.CharField(),
            )
        )

    def with_reminded(self):
        """Annotate each assignment with whether the office has chased it (催办) at least once."""
        reminders = JournalEntry.objects.filter(assignment=OuterRef("pk"), action=JournalEntry.Action.REMIND)
        return self.annotate(reminded=Exists(reminders))

    def filter_light(self, light: str, on: datetime.date | None = None):
        """Keep the assignments whose light is `light`, as a plain filter (usable with indexes)."""
        return self.filter(Assignment.light_q(light, on or today()))

    def summary_by_department(self, on: datetime.date | None = None):
        """Count assignments per department by status, lateness and punctuality, in one query."""
        on = on or today()
        soon = on + datetime.timedelta(days=DUE_SOON_DAYS)
        S = Assignment.Status
        open_ = Q(status__in=Assignment.OPEN_STATUSES)
        return (
            self.live()
            .values("department_id", "department__name")
            .annotate(
                assigned=Count("id"),
                pending=Count("id", filter=Q(status=S.PENDING)),
                in_progress=Count("id", filter=Q(status=S.IN_PROGRESS)),
                review=Count("id", filter=Q(status=S.REVIEW)),
                done=Count("id", filter=Q(status=S.DONE)),
                done_on_time=Count(
                    "id",
                    filter=Q(status=S.DONE) & (Q(due_date__isnull=True) | Q(finished_on__lte=F("due_date"))),
                ),
                overdue=Count("id", filter=open_ & Q(due_date__lt=on)),
                due_soon=Count("id", filter=open_ & Q(due_date__gte=on, due_date__lte=soon)),
                returned=Count("id", filter=Q(status=S.RETURNED)),
            )
            .order_by("department__name")
        )


class Assignment(models.Model):
    """One department's part of an item: its own status, progress and due date."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        SUPPORT = "support", "配合"

    class Status(models.TextChoices):
        PENDING = "pending", "待签收"
        IN_PROGRESS = "in_progress", "办理中"
        REVIEW = "review", "待审核"
        DONE = "done", "已办结"
        RETURNED = "returned", "已退回"

    class Light(models.TextChoices):
        RED = "red", "逾期"
        YELLOW = "yellow", "临期"
        GREEN = "green", "正常"
        GREY = "grey", "无时限"
        BLUE = "blue", "已办结"

    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS, Status.REVIEW)
    CLOSED_STATUSES = (Status.DONE, Status.RETURNED)

    # No index of their own: (item, department) is unique and the department's indexes below lead
    # with it, so each would be a second copy that every insert and status change must update.
    item = models.ForeignKey(
        ActionItem, verbose_name="事项", on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    department = models.ForeignKey(
        Department, verbose_name="单位", on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    role = models.CharField("角色", max_length=10, choices=Role, default=Role.LEAD)
    status = models.CharField("办理状态", max_length=12, choices=Status, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(
        "进度(%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    due_date = models.DateField("到期日", null=True, blank=True)
    extension_date = models.DateField("申请延期至", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    finished_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Whether the item is live (交办 or 办结, not a draft or cancelled): every list filters on it, and
    # as the first column of the lists' order index it lets page 2,000 skip index entries without
    # looking each one's item up. Kept by the methods that change an item's state or add assignments
    # (confirm, cancel, assign, the importer) and by AssignmentTally.settle after edits that bypass them.
    live = models.BooleanField("事项在办", default=False, db_default=False, editable=False)
    # The lists' default order (open work first, soonest due first, undated last), computed by the
    # database so that an index can serve it: a deep page reads index entries instead of sorting.
    open_rank = models.GeneratedField(
        expression=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    due_rank = models.GeneratedField(
        expression=Coalesce("due_date", Value(TALLY_NO_DATE)),
        output_field=models.DateField(),
        db_persist=True,
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "承办任务"
        verbose_name_plural = "承办任务"
        ordering = ["item", "role", "department__name"]  # "lead" sorts before "support"
        constraints = [
            models.UniqueConstraint(fields=["item", "department"], name="assignment_unique_department"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="assignment_progress_pct"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="asg_dept_status_due_idx"),
            models.Index(fields=["status", "due_date"], name="asg_status_due_idx"),
            # A page's keys come from the index alone: live rows are one range of it, already in order.
            models.Index(fields=["live", "open_rank", "due_rank", "id"], name="asg_live_order_idx"),
            # The board's columns: the newest cards of one status, for a department or for all.
            models.Index(fields=["department", "status", "updated_at"], name="asg_dept_board_idx"),
            models.Index(fields=["status", "updated_at"], name="asg_board_idx"),
        ]

    def __str__(self):
        return f"{self.department} · {self.item}"

    def get_absolute_url(self):
        return reverse("tracker:item_detail", args=[self.item_id])

    @classmethod
    def open_q(cls) -> Q:
        """Filter for open work (of assignments or of their kept counts), said as "not closed".

        SQLite 3.40 (Debian 12's) can answer `status IN (three values) AND due_date < x` from an index
        on (…, status, due_date) with rows outside the range, depending on the planner's statistics
        (tests/tracker/test_tally.py reproduces it); a NOT IN is not used to search the index.
        """
        return ~Q(status__in=cls.CLOSED_STATUSES)

    @classmethod
    def light_q(cls, light: str, on: datetime.date, *, undated: Q | None = None) -> Q:
        """Filter for one light on day `on`: of assignments, or of their kept counts (`undated` says
        how those mark "no due date": AssignmentTally keeps TALLY_NO_DATE rather than NULL)."""
        soon = on + datetime.timedelta(days=DUE_SOON_DAYS)
        L, S = cls.Light, cls.Status
        undated = Q(due_date__isnull=True) if undated is None else undated
        open_ = cls.open_q()
        return {
            L.BLUE: Q(status=S.DONE),
            L.RED: open_ & Q(due_date__lt=on),
            L.YELLOW: open_ & Q(due_date__gte=on, due_date__lte=soon),
            L.GREEN: open_ & ~undated & Q(due_date__gt=soon),
            L.GREY: (open_ & undated) | Q(status=S.RETURNED),
        }[light]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def light(self, on: datetime.date | None = None) -> str:
        """Return the light for this assignment on a given day (default today)."""
        if hasattr(self, "light_code") and on is None:
            return self.light_code
        on = on or today()
        if self.status == self.Status.DONE:
            return self.Light.BLUE
        if not self.is_open or self.due_date is None:
            return self.Light.GREY
        if self.due_date < on:
            return self.Light.RED
        if self.due_date <= on + datetime.timedelta(days=DUE_SOON_DAYS):
            return self.Light.YELLOW
        return self.Light.GREEN

    def light_label(self) -> str:
        return self.Light(self.light()).label

    def days_left(self, on: datetime.date | None = None) -> int | None:
        """Days until the due date while the assignment is open: negative when overdue, None otherwise."""
        if not self.is_open or self.due_date is None:
            return None
        return (self.due_date - (on or today())).days

    @property
    def finished_on_time(self) -> bool | None:
        if self.status != self.Status.DONE:
            return None
        return self.due_date is None or (self.finished_on is not None and self.finished_on <= self.due_date)

    # The workflow. Each method locks the row, checks the transition, changes it and writes the
    # journal in one transaction; an illegal transition raises TransitionError and changes nothing.

    def _transition(
        self, by, action, *, allowed, to=None, note="", progress=None, changes=None, attachment=None
    ):
        # Only a new status or changed dates can move the dashboard's counts (which need the meeting).
        recount = to is not None or bool(changes)
        args = (by, action, allowed, to, note, progress, changes, attachment, recount)
        if self._held:  # read with its lock in the enclosing transaction: see AssignmentQuerySet.acting_on
            return self._apply(*args)
        with transaction.atomic():
            locked = (
                Assignment.objects.select_for_update(of=("self", "item"))
                .select_related("item__meeting" if recount else "item")
                .get(pk=self.pk)
            )
            entry = locked._apply(*args)
        for field in [*(changes or {}), "status", "progress"]:
            setattr(self, field, getattr(locked, field))
        return entry

    # True while AssignmentQuerySet.acting_on's transaction holds this row's lock.
    _held = False

    def _apply(self, by, action, allowed, to, note, progress, changes, attachment, recount):
        """Check and apply a transition to this assignment, read with its lock in the current transaction.

        Raises TransitionError before writing anything.
        """
        if self.item.state not in ActionItem.LIVE_STATES:
            raise TransitionError(f"事项{self.item.get_state_display()}，不能再办理。")
        if self.status not in allowed:
            raise TransitionError(
                f"“{JournalEntry.Action(action).label}”不能在“{self.get_status_display()}”状态下进行。"
            )
        old = self.status
        counted = AssignmentTally.snapshot(self) if recount else None
        fields = set(changes or {})
        for field, value in (changes or {}).items():
            setattr(self, field, value)
        if to is not None:
            self.status = to
            fields.add("status")
        if progress is not None:
            self.progress = progress
            fields.add("progress")
        self.save(update_fields=[*fields, "updated_at"])
        if recount:
            AssignmentTally.move(counted, AssignmentTally.snapshot(self))
        entry = JournalEntry.objects.create(
            item=self.item,
            assignment=self,
            actor=by,
            action=action,
            from_status=old,
            to_status=self.status,
            progress=progress,
            note=note,
            attachment=attachment or "",
        )
        if self.status == self.Status.DONE:
            self.item.refresh_state_from_assignments(by=by)
        return entry

    def accept(self, *, by):
        """Sign for the assignment (签收)."""
        return self._transition(
            by, JournalEntry.Action.ACCEPT, allowed=[self.Status.PENDING], to=self.Status.IN_PROGRESS
        )

    def send_back(self, *, by, reason: str):
        """Refuse the assignment with a reason (退回): it is not this department's to do."""
        reason = _required(reason, "退回必须填写理由。")
        return self._transition(
            by,
            JournalEntry.Action.SEND_BACK,
            allowed=[self.Status.PENDING, self.Status.IN_PROGRESS],
            to=self.Status.RETURNED,
            note=reason,
        )

    def report_progress(self, *, by, progress: int, note: str, attachment=None):
        """Report progress (进展反馈): a note, a percentage below 100 and optional evidence."""
        note = _required(note, "请填写进展情况。")
        if not 0 <= int(progress) <= 100:
            raise TransitionError("进度必须在0到100之间。")
        if int(progress) == 100:
            raise TransitionError("进度100%请使用“申请办结”。")
        return self._transition(
            by,
            JournalEntry.Action.PROGRESS,
            allowed=[self.Status.IN_PROGRESS],
            progress=int(progress),
            note=note,
            attachment=attachment,
        )

    def request_extension(self, *, by, new_date: datetime.date, reason: str):
        """Ask for more time (延期申请) until `new_date`."""
        reason = _required(reason, "延期申请必须填写理由。")
        if self.extension_date is not None:
            raise TransitionError("已有待审批的延期申请。")
        if new_date is None or (self.due_date is not None and new_date <= self.due_date):
            raise TransitionError("申请的新日期必须晚于当前到期日。")
        if new_date < today():
            raise TransitionError("申请的新日期不能早于今天。")
        return self._transition(
            by,
            JournalEntry.Action.EXTENSION_REQUEST,
            allowed=[self.Status.PENDING, self.Status.IN_PROGRESS],
            note=f"申请延期至{new_date:%Y-%m-%d}：{reason}",
            changes={"extension_date": new_date, "extension_reason": reason},
        )

    def approve_extension(self, *, by, note: str = ""):
        """Approve the pending extension: the due date moves to the requested date."""
        if self.extension_date is None:
            raise TransitionError("没有待审批的延期申请。")
        new_date = self.extension_date
        return self._transition(
            by,
            JournalEntry.Action.EXTENSION_APPROVE,
            allowed=list(self.OPEN_STATUSES),
            note=note or f"同意延期至{new_date:%Y-%m-%d}",
            changes={"due_date": new_date, "extension_date": None, "extension_reason": ""},
        )

    def refuse_extension(self, *, by, reason: str):
        """Refuse the pending extension; the due date stays."""
        reason = _required(reason, "不同意延期必须填写理由。")
        if self.extension_date is None:
            raise TransitionError("没有待审批的延期申请。")
        return self._transition(
            by,
            JournalEntry.Action.EXTENSION_REFUSE,
            allowed=list(self.OPEN_STATUSES),
            note=reason,
            changes={"extension_date": None, "extension_reason": ""},
        )

    def submit_done(self, *, by, note: str, attachment=None):
        """Report the work done (申请办结) for the office to review."""
        note = _required(note, "请说明办理结果。")
        return self._transition(
            by,
            JournalEntry.Action.SUBMIT_DONE,
            allowed=[self.Status.IN_PROGRESS],
            to=self.Status.REVIEW,
            progress=100,
            note=note,
            attachment=attachment,
        )

    def close(self, *, by, note: str = ""):
        """Sign off a finished assignment (办结销号); the item is done when all its leads are."""
        return self._transition(
            by,
            JournalEntry.Action.CLOSE,
            allowed=[self.Status.REVIEW],
            to=self.Status.DONE,
            note=note,
            changes={"finished_on": today(), "extension_date": None, "extension_reason": ""},
        )

    def remind(self, *, by, note: str = ""):
        """Chase an open assignment (催办): recorded in the journal, the status and dates stay."""
        return self._transition(
            by,
            JournalEntry.Action.REMIND,
            allowed=list(self.OPEN_STATUSES),
            note=note.strip() or "请抓紧办理，按时反馈进展。",
        )

    def return_for_rework(self, *, by, reason: str):
        """Return a reported-done assignment to the department (审核退回)."""
        reason = _required(reason, "退回重办必须填写理由。")
        return self._transition(
            by,
            JournalEntry.Action.RETURN,
            allowed=[self.Status.REVIEW],
            to=self.Status.IN_PROGRESS,
            note=reason,
        )

    def reassign(self, department, *, by, note: str = ""):
        """Give a sent-back assignment to another department; the old one stays as a record."""
        if self.status != self.Status.RETURNED:
            raise TransitionError("只有已退回的任务可以改派。")
        if department.is_group:
            raise TransitionError("只能改派给具体单位。")
        with transaction.atomic():
            new = self.item.assign(department, role=self.role, by=by, due_date=self.due_date)
            JournalEntry.objects.create(
                item=self.item,
                assignment=self,
                actor=by,
                action=JournalEntry.Action.REASSIGN,
                from_status=self.status,
                to_status=self.status,
                note=note or f"改派给{department.name}",
            )
        return new


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionError(message)
    return text


# --- Dashboard counts -------------------------------------------------------------------------


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class CountsVersion(models.Model):
    """A random token per department, replaced in the transaction of every change to its kept counts.

    Reads of the kept counts (the dashboard's table and trend, the lists' tabs) are cached under the
    tokens (`cached_counts`): a committed change gives a new token, so a cached answer is never older
    than the counts. Random rather than a counter, so a token of a rolled-back transaction is never
    seen again; no foreign key, so a department's row (and the tokens' history) outlives it.
    """

    department_id = models.IntegerField(primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = "统计版本"

    def __str__(self):
        return f"{self.department_id}: {self.token}"

    @classmethod
    def bump(cls, department_ids):
        """Give each department a new token (in the caller's transaction)."""
        rows = [cls(department_id=pk, token=secrets.randbits(62)) for pk in sorted(set(department_ids))]
        if rows:
            cls.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["department_id"], update_fields=["token"]
            )

    @classmethod
    def of(cls, department_id) -> int | None:
        """Return one department's token (None before its counts first change)."""
        return cls.objects.filter(pk=department_id).values_list("token", flat=True).first()

    @classmethod
    def current(cls) -> str:
        """Return a short string that changes whenever any department's kept counts change."""
        pinned = _pinned_version.get()
        if pinned:
            return pinned[0]
        tokens = list(cls.objects.order_by("department_id").values_list("department_id", "token"))
        version = hashlib.blake2b(repr(tokens).encode(), digest_size=12).hexdigest()
        if pinned is not None:
            pinned.append(version)
        return version

    @classmethod
    @contextlib.contextmanager
    def pinned(cls):
        """Read the version at most once inside the block, for a page that reads several kept counts.

        As safe as reading it again: an answer cached under a version is never older than it (see
        `cached_counts`), and a change committed meanwhile shows on the next page.
        """
        reset = _pinned_version.set([])
        try:
            yield
        finally:
            _pinned_version.reset(reset)


_pinned_version: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "duban_counts_version", default=None
)


COUNTS_CACHE_SECONDS = 600


def cached_counts(read, rows, *args):
    """Return read(rows, *args), a read of the kept counts `rows`, from the cache while they are unchanged.

    The key holds the read's name, the SQL and parameters of `rows` (which departments), `args` and
    CountsVersion.current(), read before the counts: a change committed between the two reads is then
    cached under the older version, which only readers from before that change can still ask for.
    Only `rows` is compiled for the key: on a hit the read's own query is never built.
    """
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(): nothing to read, nothing to cache
        return read(rows, *args)
    version = CountsVersion.current()
    source = repr((read.__module__, read.__qualname__, rows.db, sql, params, args))
    key = f"duban:counts:{hashlib.blake2b(source.encode(), digest_size=16).hexdigest()}:{version}"
    # Each process keeps its own answers, as objects (settings.CACHES["counts"]): callers only read them.
    store = caches["counts"]
    value = store.get(key)
    if value is None:
        value = read(rows, *args)
        store.set(key, value, COUNTS_CACHE_SECONDS)
    return value


def _upsert_add(model, key_fields: list[str], value_fields: list[str], deltas: dict):
    """Add deltas to counter rows of `model`, creating missing rows, in one statement per 500 rows.

    `deltas` maps a key tuple to a tuple of numbers, one per value field. Keys go in sorted order, so
    two transactions touching the same rows lock them in the same order and cannot deadlock.
    """
    rows = sorted((k, v) for k, v in deltas.items() if any(v))
    if not rows:
        return
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in key_fields]
    columns = [f.column for f in fields] + value_fields
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in value_fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            params = []
            for key, values in batch:
                params += [f.get_db_prep_value(v, connection) for f, v in zip(fields, key, strict=True)]
                params += list(values)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([marks] * len(batch))} "
                f"ON CONFLICT ({', '.join(qn(f.column) for f in fields)}) DO UPDATE SET {updates}",
                params,
            )


def _sums_by_department(rows, on: datetime.date) -> dict:
    """Sum kept counts per department id: {department_id: {assigned, pending, …, returned}}."""
    L, S = Assignment.Light, Assignment.Status

    def total(condition=None):
        return Coalesce(Sum("count", filter=condition), 0)

    # Grouped by the department's id alone, its name added after: grouping thousands of rows
    # by a joined name as well took twice as long on PostgreSQL.
    sums = (
        rows.values("department_id")
        .annotate(
            assigned=total(),
            pending=total(Q(status=S.PENDING)),
            in_progress=total(Q(status=S.IN_PROGRESS)),
            review=total(Q(status=S.REVIEW)),
            done=total(Q(status=S.DONE)),
            done_on_time=total(Q(status=S.DONE, on_time=True)),
            overdue=total(Assignment.light_q(L.RED, on)),
            due_soon=total(Assignment.light_q(L.YELLOW, on)),
            returned=total(Q(status=S.RETURNED)),
        )
        .filter(assigned__gt=0)
        .order_by()
    )
    return {row.pop("department_id"): row for row in sums}


def _counts_by_status(rows, light: str | None, on: datetime.date | None) -> dict:
    """Sum kept counts per status, of one light if given: {status: n} (statuses without any left out)."""
    if light:
        rows = rows.filter(Assignment.light_q(light, on or today(), undated=Q(due_date=TALLY_NO_DATE)))
    # Grouped by status rather than one filtered sum per status: the same numbers, and a fifth of
    # the time spent building the SQL.
    return dict(rows.values_list("status").annotate(n=Sum("count")).order_by())


class AssignmentTallyQuerySet(models.QuerySet):
    def summary_by_department(self, on: datetime.date | None = None, names=None) -> list[dict]:
        """Return the rows of Assignment.objects.summary_by_department, read from the kept counts.

        `names`, (pk, name) pairs in order of name, saves reading them when the caller has.
        """
        sums = cached_counts(_sums_by_department, self, on or today())
        # In the database's order of names, as the recount (Assignment.objects.summary_by_department) sorts.
        if names is None:
            names = Department.objects.order_by("name").values_list("pk", "name")
        return [
            {"department_id": pk, "department__name": name, **sums[pk]} for pk, name in names if pk in sums
        ]

    def status_counts(self, light: str | None = None, on: datetime.date | None = None) -> dict:
        """Count live assignments per status and in all ("all"), of one light if given, in one query.

        The same numbers as counting AssignmentQuerySet.live().filter_light(light) per status.
        """
        counts = dict.fromkeys(Assignment.Status.values, 0)
        counts |= cached_counts(
            _counts_by_status, self, str(light) if light else None, (on or today()) if light else None
        )
        return {"all": sum(counts.values())} | counts

    def overdue_count(self, on: datetime.date | None = None) -> int:
        """Count the open assignments past their due date."""
        on = on or today()
        rows = self.filter(Assignment.open_q(), due_date__lt=on)
        return rows.aggregate(n=Coalesce(Sum("count"), 0))["n"]


class AssignmentTally(models.Model):
    """How many live assignments share a department, status, due date and punctuality.

    Kept current in the transaction of every change that moves an assignment in or out of a key
    (status, due date, item confirmed or cancelled, department added), so the dashboard sums a few
    thousand rows instead of grouping every assignment. Only open assignments keep their due date;
    only closed ones tell whether they finished on time. AssignmentMonth is kept alongside.
    """

    # Indexed by tally_unique_key, which leads with it.
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=12, choices=Assignment.Status)
    due_date = models.DateField()
    on_time = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    objects = AssignmentTallyQuerySet.as_manager()

    class Meta:
        verbose_name = "任务计数"
        verbose_name_plural = "任务计数"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "status", "due_date", "on_time"], name="tally_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.department_id} {self.status} {self.due_date}: {self.count}"

    @staticmethod
    def key_of(assignment) -> tuple:
        """Return the tally key an assignment counts under."""
        S = Assignment.Status
        status = assignment.status
        due = assignment.due_date
        if status in Assignment.OPEN_STATUSES:
            return (assignment.department_id, status, due or TALLY_NO_DATE, False)
        on_time = status == S.DONE and (
            due is None or (assignment.finished_on is not None and assignment.finished_on <= due)
        )
        return (assignment.department_id, status, TALLY_NO_DATE, on_time)

    @classmethod
    def snapshot(cls, assignment) -> tuple:
        """Return what a live assignment adds to the counts: its tally key and its months."""
        return cls.key_of(assignment), AssignmentMonth.contributions(assignment)

    @classmethod
    def add(cls, assignments, sign: int = 1):
        """Count assignments that became live (sign=1) or stopped being live (sign=-1)."""
        keys, months = {}, {}
        for a in assignments:
            key, contributions = cls.snapshot(a)
            keys[key] = keys.get(key, 0) + sign
            AssignmentMonth.merge(months, contributions, sign)
        cls.apply(keys)
        AssignmentMonth.apply(months)

    @classmethod
    def move(cls, before: tuple, after: tuple):
        """Move one live assignment from its counts before a change to those after it."""
        if before == after:
            return
        if before[0] != after[0]:
            cls.apply({before[0]: -1, after[0]: 1})
        months = {}
        AssignmentMonth.merge(months, before[1], -1)
        AssignmentMonth.merge(months, after[1], 1)
        AssignmentMonth.apply(months)

    @classmethod
    @contextlib.contextmanager
    def tracking(cls, assignments):
        """Keep the counts right across edits that bypass the workflow methods (admin forms, a meeting's
        new date on re-import): count the queryset's live assignments before and after, apply the difference.
        """
        with transaction.atomic():
            before = cls.counted(assignments)
            yield
            cls.settle(before, assignments)

    @classmethod
    def counted(cls, assignments) -> list:
        """Return what the queryset's live assignments add to the counts now (see `settle`)."""
        # By the items' states, not the flag: `settle` runs after edits that may have left it behind.
        rows = assignments.model.objects.of_live_items().filter(pk__in=assignments.values("pk"))
        return [cls.snapshot(a) for a in rows.select_related("item__meeting")]

    @classmethod
    def settle(cls, before: list, assignments):
        """Apply the difference between `before` (from `counted`) and what the queryset adds now.

        The queryset's `live` flags are brought in line with their items first (an admin may have
        added an assignment to a live item, or moved one to another item).
        """
        assignments.model.objects.filter(pk__in=assignments.values("pk")).sync_live()
        keys, months = {}, {}
        for sign, snapshots in ((-1, before), (1, cls.counted(assignments))):
            for key, contributions in snapshots:
                keys[key] = keys.get(key, 0) + sign
                AssignmentMonth.merge(months, contributions, sign)
        cls.apply(keys)
        AssignmentMonth.apply(months)

    @classmethod
    def apply(cls, deltas: dict):
        """Add each delta to its key's count."""
        CountsVersion.bump(key[0] for key, delta in deltas.items() if delta)
        _upsert_add(
            cls,
            ["department", "status", "due_date", "on_time"],
            ["count"],
            {k: (d,) for k, d in deltas.items()},
        )

    @classmethod
    def rebuild(cls):
        """Recount every live assignment from scratch (after bulk loads or manual repairs).

        Sets every assignment's `live` flag from its item first, so that this repairs the flags too.
        """
        S = Assignment.Status
        open_ = Q(status__in=Assignment.OPEN_STATUSES)
        rows = (
            Assignment.objects.live()
            .annotate(
                key_due=Case(
                    When(open_ & Q(due_date__isnull=False), then=F("due_date")),
                    default=Value(TALLY_NO_DATE),
                    output_field=models.DateField(),
                ),
                key_on_time=Case(
                    When(
                        Q(status=S.DONE) & (Q(due_date__isnull=True) | Q(finished_on__lte=F("due_date"))),
                        then=Value(True),
                    ),
                    default=Value(False),
                    output_field=models.BooleanField(),
                ),
            )
            .values("department_id", "status", "key_due", "key_on_time")
            .annotate(n=Count("id"))
            .order_by()
        )
        with transaction.atomic():
            Assignment.objects.sync_live()
            CountsVersion.bump(
                {
                    *CountsVersion.objects.values_list("pk", flat=True),
                    *Department.objects.values_list("pk", flat=True),
                }
            )
            cls.objects.all().delete()
            cls.objects.bulk_create(
                (
                    cls(
                        department_id=r["department_id"],
                        status=r["status"],
                        due_date=r["key_due"],
                        on_time=r["key_on_time"],
                        count=r["n"],
                    )
                    for r in rows
                ),
                batch_size=1000,
            )
            AssignmentMonth.rebuild()


def _sums_by_month(rows) -> dict:
    """Sum monthly counts over departments: {month: {n_opened, n_closed, n_from, n_until}}."""
    sums = rows.values("month").annotate(
        n_opened=Sum("opened"), n_closed=Sum("closed"), n_from=Sum("late_from"), n_until=Sum("late_until")
    )
    return {row["month"]: row for row in sums.order_by("month")}


class AssignmentMonthQuerySet(models.QuerySet):
    def trend(self, year: int | None = None, on: datetime.date | None = None, overdue_now: int | None = None):
        """Return assignments opened and closed per month of a year, and those overdue at each month's end.

        The numbers are those of a recount over live assignments not sent back, opened on their
        meeting's date (or their creation date): overdue at a month's end means opened by then, due
        before then and not finished by then. For the current month the point is today, whose count
        (`overdue_now`, from the tally) is that of the dashboard. One query over a few thousand rows.
        """
        on = on or today()
        per_month = cached_counts(_sums_by_month, self)
        data_years = {m.year for m, r in per_month.items() if r["n_opened"]}
        years = sorted(data_years | {on.year})
        if year not in years:
            # This year, unless the data (an imported backlog) all lies in earlier years.
            year = on.year if on.year in data_years or not data_years else max(data_years)
        late = sum(r["n_from"] - r["n_until"] for m, r in per_month.items() if m.year < year)
        months = []
        for number in range(1, 13):
            first = datetime.date(year, number, 1)
            row = per_month.get(first, {"n_opened": 0, "n_closed": 0, "n_from": 0, "n_until": 0})
            late += row["n_from"] - row["n_until"]
            if first > on:
                overdue = None
            elif first == _month(on):
                overdue = overdue_now
            else:
                overdue = late
            months.append(
                {"month": number, "opened": row["n_opened"], "closed": row["n_closed"], "overdue": overdue}
            )
        return {"year": year, "years": years, "months": months}


class AssignmentMonth(models.Model):
    """Per department and month: assignments opened, closed, and turning overdue or ceasing to be.

    An assignment is overdue from the day after its due date (or its opening, if later) until it
    is finished; counting those starts and ends per month gives the overdue count at any month's
    end as a running sum. Kept with AssignmentTally, in the same transactions.
    """

    # Indexed by month_unique_key, which leads with it.
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    late_from = models.IntegerField(default=0)
    late_until = models.IntegerField(default=0)

    objects = AssignmentMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "月度计数"
        verbose_name_plural = "月度计数"
        constraints = [models.UniqueConstraint(fields=["department", "month"], name="month_unique_key")]

    def __str__(self):
        return f"{self.department_id} {self.month:%Y-%m}"

    @staticmethod
    def opened_on(assignment) -> datetime.date:
        """The day an assignment opened: its meeting's date, or the day it was created."""
        day = assignment.item.meeting.date
        return day or timezone.localdate(assignment.created_at)

    @classmethod
    def contributions(cls, assignment) -> tuple:
        """Return ((department, month, field index), ...) that a live assignment counts under."""
        if assignment.status == Assignment.Status.RETURNED:
            return ()
        return cls._contributions(
            assignment.department_id,
            assignment.status,
            assignment.due_date,
            assignment.finished_on,
            cls.opened_on(assignment),
        )

    @staticmethod
    def _contributions(dept, status, due, finished, opened) -> tuple:
        out = [(dept, _month(opened), 0)]
        finished = finished if status == Assignment.Status.DONE else None
        if finished is not None:
            out.append((dept, _month(finished), 1))
        if due is not None:
            start = max(opened, due + datetime.timedelta(days=1))
            if finished is None or finished > start:
                out.append((dept, _month(start), 2))
                if finished is not None:
                    out.append((dept, _month(finished), 3))
        return tuple(out)

    @staticmethod
    def merge(deltas: dict, contributions: tuple, sign: int):
        for dept, month, index in contributions:
            values = deltas.setdefault((dept, month), [0, 0, 0, 0])
            values[index] += sign

    @classmethod
    def apply(cls, deltas: dict):
        CountsVersion.bump(key[0] for key, values in deltas.items() if any(values))
        _upsert_add(cls, ["department", "month"], ["opened", "closed", "late_from", "late_until"], deltas)

    @classmethod
    def rebuild(cls):
        """Recount every month from the live assignments (called by AssignmentTally.rebuild)."""
        deltas = {}
        rows = (
            Assignment.objects.live()
            .exclude(status=Assignment.Status.RETURNED)
            .values_list(
                "department_id", "status", "due_date", "finished_on", "created_at", "item__meeting__date"
            )
        )
        for dept, status, due, finished, created, meeting_day in rows.iterator(chunk_size=5000):
            opened = meeting_day or timezone.localdate(created)
            cls.merge(deltas, cls._contributions(dept, status, due, finished, opened), 1)
        cls.objects.all().delete()
        cls.objects.bulk_create(
            (
                cls(department_id=d, month=m, opened=v[0], closed=v[1], late_from=v[2], late_until=v[3])
                for (d, m), v in sorted(deltas.items())
            ),
            batch_size=1000,
        )


# --- Journal ----------------------------------------------------------------------------------


class JournalEntry(models.Model):
    """An append-only record of who changed what, when, from which status to which, and why."""

    class Action(models.TextChoices):
        IMPORT = "import", "导入"
        CONFIRM = "confirm", "交办"
        ASSIGN = "assign", "分配单位"
        ACCEPT = "accept", "签收"
        SEND_BACK = "send_back", "退回"
        PROGRESS = "progress", "进展反馈"
        EXTENSION_REQUEST = "ext_request", "延期申请"
        EXTENSION_APPROVE = "ext_approve", "同意延期"
        EXTENSION_REFUSE = "ext_refuse", "不同意延期"
        SUBMIT_DONE = "submit_done", "申请办结"
        CLOSE = "close", "办结销号"
        RETURN = "return", "退回重办"
        REASSIGN = "reassign", "改派"
        CANCEL = "cancel", "撤销"
        ITEM_DONE = "item_done", "事项办结"
        INSTRUCTION = "instruction", "领导批示"
        COMMENT = "comment", "评论"
        REVISE = "revise", "修改草稿"
        REMIND = "remind", "催办"

    # Served by journal_item_at_idx and journal_assignment_at_idx (below), which lead with them.
    item = models.ForeignKey(
        ActionItem, verbose_name="事项", on_delete=models.CASCADE, related_name="journal", db_index=False
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name="承办任务",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal",
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    action = models.CharField("操作", max_length=12, choices=Action)
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12, blank=True)
    progress = models.PositiveSmallIntegerField("进度(%)", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    attachment = models.FileField("附件", upload_to="evidence/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["item", "at"], name="journal_item_at_idx"),
            models.Index(fields=["assignment", "at"], name="journal_assignment_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @staticmethod
    def status_label(code: str) -> str:
        labels = dict(Assignment.Status.choices) | dict(ActionItem.State.choices)
        return labels.get(code, code)

    @property
    def from_label(self) -> str:
        return self.status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self.status_label(self.to_status)
