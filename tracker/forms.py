"""Small forms for what people do with an item: workflow actions, draft review, comments.

Each form validates input and hands it to the model method that makes the change; none of them
changes state by itself, except the draft editor, which edits a draft's own fields and departments.
"""

import re
import zipfile
from pathlib import PurePath

from django import forms
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from . import notify
from .models import ActionItem, Assignment, Department, JournalEntry

# --- Evidence attachments -------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension → the kind of content the file must really contain.
EVIDENCE_KINDS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


def sniff_kind(upload) -> str | None:
    """Return what a file really is (pdf, jpeg, png, docx, xlsx) from its bytes, or None."""
    try:
        upload.seek(0)
        head = upload.read(8)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, EOFError):
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
        return None
    finally:
        upload.seek(0)


class EvidenceField(forms.FileField):
    """An optional evidence file: at most 10 MB, pdf/jpg/png/docx/xlsx by name and by content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "附件（证明材料）")
        kwargs.setdefault("help_text", "可选。支持 PDF、JPG、PNG、Word(.docx)、Excel(.xlsx)，不超过 10 MB。")
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(
                f"附件不能超过 {filesizeformat(MAX_EVIDENCE_BYTES)}（此文件 {filesizeformat(upload.size)}）。"
            )
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        expected = EVIDENCE_KINDS.get(extension)
        if expected is None:
            raise forms.ValidationError("只接受 PDF、JPG、PNG、Word(.docx) 和 Excel(.xlsx) 文件。")
        if sniff_kind(upload) != expected:
            raise forms.ValidationError(
                f"文件内容与扩展名 .{extension} 不符，请上传真实的 {extension.upper()} 文件。"
            )
        return upload


def _note(label, *, required=True, help_text="", rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _reason(label="理由"):
    # Assignment reasons are stored in 500-character fields.
    return forms.CharField(label=label, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


# --- Assignment actions ---------------------------------------------------------------------------


class AssignmentActionForm(forms.Form):
    """One workflow action on one assignment, applied through the assignment's model method."""

    action = ""
    title = ""
    submit_label = "确定"
    intro = ""
    # Shown as a primary (filled) button on the item page.
    primary = False
    # Takes no input, so a bare POST (a board button) performs it.
    needs_input = True
    # Changes a status or a date, and so the dashboard's counts, which file items by their meeting.
    moves_counts = True

    def __init__(self, *args, assignment, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.assignment = assignment

    def save(self, *, by) -> JournalEntry:
        """Apply the action; raises TransitionError when the workflow does not allow it now."""
        raise NotImplementedError


class AcceptForm(AssignmentActionForm):
    action, title, submit_label, primary, needs_input = "accept", "签收", "确认签收", True, False
    intro = "签收后本单位开始办理此事项。"

    def save(self, *, by):
        return self.assignment.accept(by=by)


class SendBackForm(AssignmentActionForm):
    action, title, submit_label = "send_back", "退回", "确认退回"
    intro = "不属于本单位职责的事项，可说明理由后退回督办室。"
    reason = _reason("退回理由")

    def save(self, *, by):
        return self.assignment.send_back(by=by, reason=self.cleaned_data["reason"])


class ProgressForm(AssignmentActionForm):
    action, title, submit_label, primary = "report_progress", "进展反馈", "提交进展", True
    moves_counts = False
    progress = forms.IntegerField(
        label="完成进度（%）", min_value=0, max_value=99, help_text="0–99；全部完成请使用“申请办结”。"
    )
    note = _note("进展情况", rows=4)
    attachment = EvidenceField()

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, assignment=assignment, **kwargs)
        self.fields["progress"].initial = min(assignment.progress, 99)

    def save(self, *, by):
        data = self.cleaned_data
        return self.assignment.report_progress(
            by=by, progress=data["progress"], note=data["note"], attachment=data.get("attachment")
        )


class ExtensionForm(AssignmentActionForm):
    action, title, submit_label = "request_extension", "申请延期", "提交申请"
    new_date = forms.DateField(label="申请延期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = _reason("延期理由")

    def clean_new_date(self):
        new_date = self.cleaned_data["new_date"]
        due = self.assignment.due_date
        if due is not None and new_date <= due:
            raise forms.ValidationError(f"新日期必须晚于当前到期日 {due:%Y-%m-%d}。")
        return new_date

    def save(self, *, by):
        data = self.cleaned_data
        return self.assignment.request_extension(by=by, new_date=data["new_date"], reason=data["reason"])


class SubmitDoneForm(AssignmentActionForm):
    action, title, submit_label, primary = "submit_done", "申请办结", "提交办结申请", True
    intro = "提交后进度记为100%，由督办室审核销号。"
    note = _note("办理结果", rows=4)
    attachment = EvidenceField()

    def save(self, *, by):
        data = self.cleaned_data
        return self.assignment.submit_done(by=by, note=data["note"], attachment=data.get("attachment"))


class ApproveExtensionForm(AssignmentActionForm):
    action, title, submit_label, primary, needs_input = (
        "approve_extension",
        "同意延期",
        "同意延期",
        True,
        False,
    )
    note = _note("批复意见", required=False, rows=2)

    def save(self, *, by):
        return self.assignment.approve_extension(by=by, note=self.cleaned_data.get("note", ""))


class RefuseExtensionForm(AssignmentActionForm):
    action, title, submit_label = "refuse_extension", "不同意延期", "不同意延期"
    reason = _reason("不同意的理由")

    def save(self, *, by):
        return self.assignment.refuse_extension(by=by, reason=self.cleaned_data["reason"])


class CloseForm(AssignmentActionForm):
    action, title, submit_label, primary, needs_input = "close", "办结销号", "确认销号", True, False
    intro = "确认办理结果和证明材料无误后销号。"
    note = _note("审核意见", required=False, rows=2)

    def save(self, *, by):
        return self.assignment.close(by=by, note=self.cleaned_data.get("note", ""))


class ReturnForReworkForm(AssignmentActionForm):
    action, title, submit_label = "return_for_rework", "退回重办", "退回重办"
    reason = _reason("退回理由")

    def save(self, *, by):
        return self.assignment.return_for_rework(by=by, reason=self.cleaned_data["reason"])


class ReassignForm(AssignmentActionForm):
    action, title, submit_label, primary = "reassign", "改派", "确认改派", True
    intro = "把已退回的任务交给另一个单位；原记录保留。"
    department = forms.ModelChoiceField(
        label="改派给", queryset=Department.objects.none(), empty_label="请选择单位"
    )
    note = _note("说明", required=False, rows=2)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, assignment=assignment, **kwargs)
        taken = Assignment.objects.filter(item_id=assignment.item_id).values("department_id")
        field = self.fields["department"]
        field.queryset = Department.objects.real().active().exclude(pk__in=taken)
        field.choices = [("", field.empty_label), *grouped_department_choices(field.queryset)]

    def save(self, *, by):
        data = self.cleaned_data
        return self.assignment.reassign(data["department"], by=by, note=data.get("note", ""))


class RemindForm(AssignmentActionForm):
    action, title, submit_label = "remind", "催办", "发出催办"
    intro = "催办记入办理记录，承办单位在事项页面可以看到；需要书面送达的，可打印督办单。"
    moves_counts = False
    note = _note("催办意见", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if notify.enabled():
            self.intro = "催办记入办理记录，并以邮件通知该单位的联络员；需要书面送达的，可打印督办单。"

    def save(self, *, by):
        note = self.cleaned_data.get("note", "")
        result = self.assignment.remind(by=by, note=note)
        notify.reminded([self.assignment], note)
        return result


# The order is the order of the buttons on the item page.
ASSIGNMENT_FORMS = {
    form.action: form
    for form in [
        AcceptForm,
        ProgressForm,
        SubmitDoneForm,
        ExtensionForm,
        SendBackForm,
        CloseForm,
        ReturnForReworkForm,
        ApproveExtensionForm,
        RefuseExtensionForm,
        ReassignForm,
        RemindForm,
    ]
}


# --- Items ----------------------------------------------------------------------------------------


def grouped_department_choices(departments):
    """Return (kind label, [(pk, name), …]) groups for a select, in the departments' order."""
    groups: dict[str, list] = {}
    for d in departments:
        groups.setdefault(d.get_kind_display(), []).append((d.pk, d.name))
    return list(groups.items())


TARGET_RE = re.compile(
    r"^(?P<metric>.+?)\s*(?P<op><=|>=|≤|≥|=|<|>)\s*(?P<value>-?\d+(?:\.\d+)?)\s*(?P<unit>.*)$"
)
OP_SIGNS = {"<=": "≤", ">=": "≥", "=": "=", "<": "<", ">": ">"}
OP_CODES = {"≤": "<=", "≥": ">=", "<=": "<=", ">=": ">=", "=": "=", "<": "<", ">": ">"}


def format_target(target) -> str:
    """Show one quantified target as a line: 'PM2.5年均浓度 ≤ 45 微克/立方米'."""
    if not isinstance(target, dict):
        return str(target)
    value = target.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    parts = [str(target.get("metric") or ""), OP_SIGNS.get(target.get("op"), target.get("op") or "")]
    parts += [str(value) if value is not None else "", str(target.get("unit") or "")]
    return " ".join(p for p in parts if p)


def parse_targets(text: str) -> list[dict]:
    """Read targets typed one per line ('指标 <= 数值 单位'); raise ValidationError naming a bad line."""
    targets = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = TARGET_RE.match(line)
        if not match:
            raise forms.ValidationError(
                f"第{number}行看不懂：“{line}”。格式如：PM2.5年均浓度 <= 45 微克/立方米"
            )
        raw = match["value"]
        value = float(raw) if "." in raw else int(raw)
        targets.append(
            {
                "metric": match["metric"].strip(),
                "op": OP_CODES[match["op"]],
                "value": value,
                "unit": match["unit"].strip(),
                "stretch": None,
            }
        )
    return targets


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group (市级部门, 乡镇(街道) …), each group named by its legend."""

    template_name = "tracker/widgets/grouped_checkboxes.html"


class DepartmentsField(forms.ModelMultipleChoiceField):
    """Several real departments, shown as checkboxes grouped by kind."""

    widget = GroupedCheckboxes

    def __init__(self, departments, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(queryset=Department.objects.real(), **kwargs)
        self.choices = grouped_department_choices(departments)


class ItemForm(forms.ModelForm):
    """The office's review of a draft: wording, deadline, targets, lead and support departments.

    Group words (相关部门, 各乡镇(街道), 各级各部门) on the draft get a field each to resolve them
    into real departments through ActionItem.resolve_group.
    """

    targets_text = forms.CharField(
        label="量化目标",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个，如：PM2.5年均浓度 <= 45 微克/立方米。",
    )

    class Meta:
        model = ActionItem
        fields = ["text", "deadline", "deadline_kind", "deadline_text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"deadline_text": "时限原文（如“年底前”）"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        item = self.instance
        departments = list(Department.objects.real().active())
        assignments = list(item.assignments.select_related("department"))
        self.placeholders = [a for a in assignments if a.department.is_group]
        real = [a for a in assignments if not a.department.is_group]
        self.fields["lead"] = DepartmentsField(
            departments,
            label="牵头单位",
            initial=[a.department_id for a in real if a.role == Assignment.Role.LEAD],
        )
        self.fields["support"] = DepartmentsField(
            departments,
            label="配合单位",
            initial=[a.department_id for a in real if a.role == Assignment.Role.SUPPORT],
        )
        self.fields["targets_text"].initial = "\n".join(format_target(t) for t in item.targets or [])
        self.group_fields = []
        for a in self.placeholders:
            group = a.department
            name = f"group_{group.pk}"
            self.fields[name] = DepartmentsField(
                departments, label=f"“{group.name}”（{a.get_role_display()}）分解为"
            )
            members = list(group.members_of_group())
            all_name = None
            if members:
                all_name = f"{name}_all"
                self.fields[all_name] = forms.BooleanField(
                    label=f"分解为全部 {len(members)} 个{_member_noun(group)}",
                    required=False,
                )
            self.group_fields.append(
                {
                    "group": group,
                    "field": self[name],
                    "all": self[all_name] if all_name else None,
                    "members": members,
                }
            )

    def clean_targets_text(self):
        return parse_targets(self.cleaned_data.get("targets_text", ""))

    def clean(self):
        data = super().clean()
        both = set(data.get("lead") or []) & set(data.get("support") or [])
        if both:
            self.add_error("support", f"{'、'.join(d.name for d in both)}不能既牵头又配合。")
        kind = data.get("deadline_kind")
        if data.get("deadline") and kind == ActionItem.DeadlineKind.NONE:
            data["deadline_kind"] = ActionItem.DeadlineKind.DATE
        elif kind == ActionItem.DeadlineKind.DATE and not data.get("deadline"):
            self.add_error("deadline", "时限类型为“有明确日期”时请填写完成时限。")
        return data

    def resolutions(self):
        """Return (group, departments) for each group word the reviewer resolved."""
        out = []
        for entry in self.group_fields:
            group = entry["group"]
            chosen = list(self.cleaned_data.get(f"group_{group.pk}") or [])
            if self.cleaned_data.get(f"group_{group.pk}_all"):
                chosen += [d for d in entry["members"] if d not in chosen]
            if chosen:
                out.append((group, chosen))
        return out

    def save(self, *, by):
        """Apply the review through the model, then resolve group words, in one transaction."""
        item = self.instance
        data = self.cleaned_data
        with transaction.atomic():
            item.revise_draft(
                by=by,
                text=data["text"],
                deadline=data.get("deadline"),
                deadline_kind=data["deadline_kind"],
                deadline_text=data.get("deadline_text", ""),
                targets=data["targets_text"],
                lead=data.get("lead") or [],
                support=data.get("support") or [],
            )
            for group, chosen in self.resolutions():
                item.resolve_group(group, chosen, by=by)
        return item


def _member_noun(group) -> str:
    return "乡镇(街道)" if group.scope == Department.Scope.TOWNSHIPS else "具体单位"


class ConfirmForm(forms.Form):
    """Confirm a reviewed draft (交办); takes no input."""

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.item = item

    def save(self, *, by):
        item = self.item.confirm(by=by)
        notify.assigned([item])
        return item


class CancelForm(forms.Form):
    """Cancel an item (撤销) with the reason the journal keeps."""

    reason = forms.CharField(label="撤销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.item = item

    def save(self, *, by):
        return self.item.cancel(by=by, reason=self.cleaned_data["reason"])


class CommentForm(forms.Form):
    """A manager's instruction (批示) or a comment on an item."""

    KINDS = [("instruction", "领导批示"), ("comment", "评论")]

    kind = forms.ChoiceField(label="类型", choices=KINDS, widget=forms.RadioSelect, initial="instruction")
    note = _note("内容", rows=4)

    def __init__(self, *args, item, instruction_first=True, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["kind"].initial = "instruction" if instruction_first else "comment"

    def save(self, *, by):
        data = self.cleaned_data
        return self.item.comment(by=by, note=data["note"], instruction=data["kind"] == "instruction")
