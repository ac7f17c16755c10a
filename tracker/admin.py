"""The Django admin, in Chinese, for the office: every state change goes through the model methods."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from . import models, notify
from .models import ActionItem, Assignment, AssignmentTally, Department, JournalEntry, Meeting, User

ALIAS_SPLIT = re.compile(r"[\n,，、;；]+")


class AliasesField(forms.CharField):
    """Edit a list of spellings as text, one per line (or separated by 、 , ;)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        parts = [p.strip() for p in ALIAS_SPLIT.split(value or "")]
        return list(dict.fromkeys(p for p in parts if p))


class DepartmentForm(forms.ModelForm):
    aliases = AliasesField(label="别名", required=False, help_text="每行一个，或用顿号分隔。")

    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "scope", "aliases", "active"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["name", "short_name", "kind", "scope", "alias_list", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "aliases"]
    list_editable = ["active"]
    list_per_page = 50

    @admin.display(description="别名")
    def alias_list(self, obj):
        return "、".join(obj.aliases)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "department", "role_names", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "department__kind"]
    search_fields = ["username", "first_name", "last_name", "department__name"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["groups", "user_permissions", "oversees"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("单位与分管", {"fields": ["department", "oversees"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("单位", {"fields": ["department", "groups"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department").prefetch_related("groups")

    @admin.display(description="姓名")
    def display_name(self, obj):
        return f"{obj.last_name}{obj.first_name}" or "—"

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(g.name for g in obj.groups.all())


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["department", "role", "status", "progress", "due_date", "extension_date", "finished_on"]
    readonly_fields = ["status", "progress", "extension_date", "finished_on"]
    autocomplete_fields = ["department"]
    show_change_link = True


class JournalInline(admin.TabularInline):
    model = JournalEntry
    extra = 0
    fields = ["at", "actor", "action", "from_status", "to_status", "progress", "note"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _run_transition(modeladmin, request, queryset, label, call) -> list:
    """Take an action on each selected object; say how many succeeded and why others failed.

    Returns the objects it succeeded on.
    """
    done, failed = [], []
    for obj in queryset:
        try:
            call(obj)
            done.append(obj)
        except ValidationError as exc:
            failed.append(f"{obj}：{' '.join(exc.messages)}")
    if done:
        modeladmin.message_user(request, f"{label}：{len(done)} 条成功。", messages.SUCCESS)
    for msg in failed[:10]:
        modeladmin.message_user(request, msg, messages.ERROR)
    return done


class LightFilter(admin.SimpleListFilter):
    """Filter assignments by their light today (逾期, 临期, …), as the item list does."""

    title = "亮灯"
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return Assignment.Light.choices

    def queryset(self, request, queryset):
        if self.value() in Assignment.Light.values:
            return queryset.filter(Assignment.light_q(self.value(), models.today()))
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["short_text", "meeting", "state", "deadline", "deadline_kind", "lead_names"]
    list_filter = ["state", "deadline_kind", "meeting__kind"]
    search_fields = ["text", "meeting__title", "assignments__department__name"]
    date_hierarchy = "deadline"
    list_select_related = ["meeting"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["state", "cancel_reason", "span_start", "span_end", "created_at", "updated_at"]
    inlines = [AssignmentInline, JournalInline]
    actions = ["confirm_items", "cancel_items"]
    list_per_page = 25
    show_full_result_count = False

    # Form and inline edits bypass the workflow methods: keep the dashboard's counts right around them.
    def save_model(self, request, obj, form, change):
        obj._counted = AssignmentTally.counted(Assignment.objects.filter(item_id=obj.pk)) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        AssignmentTally.settle(getattr(item, "_counted", []), Assignment.objects.filter(item=item))

    def delete_model(self, request, obj):
        with AssignmentTally.tracking(Assignment.objects.filter(item=obj)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with AssignmentTally.tracking(Assignment.objects.filter(item__in=queryset)):
            super().delete_queryset(request, queryset)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__department")

    @admin.display(description="牵头单位")
    def lead_names(self, obj):
        return "、".join(a.department.name for a in obj.assignments.all() if a.role == Assignment.Role.LEAD)

    @admin.display(description="事项")
    def short_text(self, obj):
        return str(obj)

    @admin.action(description="交办所选事项(待确认 → 已交办)")
    def confirm_items(self, request, queryset):
        confirmed = _run_transition(
            self, request, queryset, "交办", lambda item: item.confirm(by=request.user)
        )
        notify.assigned(confirmed)  # one message a department for the whole selection

    @admin.action(description="撤销所选事项(原因：后台批量撤销)")
    def cancel_items(self, request, queryset):
        _run_transition(
            self, request, queryset, "撤销", lambda item: item.cancel(by=request.user, reason="后台批量撤销")
        )


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["item", "department", "role", "status", "progress", "due_date", "light_display"]
    list_filter = [LightFilter, "status", "role", "department__kind"]
    search_fields = ["item__text", "department__name"]
    date_hierarchy = "due_date"
    list_select_related = ["item", "department"]
    autocomplete_fields = ["department", "item"]
    readonly_fields = ["status", "progress", "extension_date", "extension_reason", "finished_on"]
    actions = ["close_assignments", "approve_extensions", "remind_assignments"]
    list_per_page = 25
    show_full_result_count = False

    # Form edits bypass the workflow methods: keep the dashboard's counts right around them.
    def save_model(self, request, obj, form, change):
        items = {obj.item_id, *Assignment.objects.filter(pk=obj.pk).values_list("item_id", flat=True)}
        with AssignmentTally.tracking(Assignment.objects.filter(item_id__in=items)):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with AssignmentTally.tracking(Assignment.objects.filter(pk=obj.pk)):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with AssignmentTally.tracking(
            Assignment.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        ):
            super().delete_queryset(request, queryset)

    @admin.display(description="亮灯")
    def light_display(self, obj):
        return obj.light_label()

    @admin.action(description="办结销号所选任务(待审核 → 已办结)")
    def close_assignments(self, request, queryset):
        _run_transition(self, request, queryset, "办结", lambda a: a.close(by=request.user))

    @admin.action(description="同意所选任务的延期申请")
    def approve_extensions(self, request, queryset):
        _run_transition(self, request, queryset, "同意延期", lambda a: a.approve_extension(by=request.user))

    @admin.action(description="催办所选任务(记入办理记录)")
    def remind_assignments(self, request, queryset):
        notify.reminded(_run_transition(self, request, queryset, "催办", lambda a: a.remind(by=request.user)))


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "session", "number", "date", "source_name", "item_count"]
    list_filter = ["kind", "session"]
    search_fields = ["title", "text"]
    date_hierarchy = "date"
    readonly_fields = ["natural_key", "text_hash", "created_at", "updated_at"]
    change_list_template = "admin/tracker/meeting/change_list.html"

    def save_model(self, request, obj, form, change):
        # A new date moves the month the meeting's items opened in, on the dashboard's trend.
        with AssignmentTally.tracking(Assignment.objects.filter(item__meeting_id=obj.pk)):
            super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_items=Count("items"))

    @admin.display(description="事项数", ordering="n_items")
    def item_count(self, obj):
        return obj.n_items


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "item", "assignment", "from_status", "to_status", "progress"]
    list_filter = ["action"]
    search_fields = ["note", "item__text"]
    date_hierarchy = "at"
    list_select_related = ["actor", "item", "assignment__department"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
