"""Forms of the import flow: the texts to import, and a person's review of the parsed drafts."""

from __future__ import annotations

import dataclasses
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from importer.errors import InputError
from importer.pipeline import parse_source
from importer.read import MAX_BYTES, Source, read_bytes, source_of
from importer.types import (
    DATE,
    DONE,
    IN_PROGRESS,
    LEAD,
    NONE,
    SUPPORT,
    Deadline,
    ParsedDocument,
    ParsedItem,
    ParsedMeeting,
    RecordedState,
    Target,
)
from importer.write import ReviewedMeeting
from tracker.models import ActionItem, Department, Meeting

PASTED = "粘贴的文本"
ACCEPT_TYPES = (
    ".txt,.docx,.xlsx,.csv,text/plain,text/csv,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

# --- the texts to import --------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes one or many files and cleans them to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_TYPES}))
        # Empty files get the importer's own message ("文件为空") instead of Django's.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def too_large(name: str, size: int) -> InputError:
    """Return the error for an upload over the size limit (checked before its bytes are read)."""
    return InputError(name, f"文件大小 {size / 1024 / 1024:.1f} MB，超过 20 MB 的上限；请拆分后分别导入。")


class ImportStartForm(forms.Form):
    """Pasted text and/or uploaded files, read and parsed; valid when every input holds a meeting."""

    text = forms.CharField(
        label="粘贴会议文本",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "例如：【第5次常务会议】6月8日，市政府召开……会议要求，……"}
        ),
        help_text="从 Word、网页或年鉴中复制会议内容，可以一次粘贴多个会议。",
    )
    files = MultipleFileField(
        label="上传文件",
        required=False,
        help_text=(
            "支持 .txt（UTF-8、GB18030 等编码）、.docx，以及任务分解表或台账的 .xlsx、.csv，"
            "可一次选择多个文件，每个不超过 20 MB。"
        ),
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=1949,
        max_value=2100,
        help_text="文本里只写了月日时，按此年份理解日期（可不填）。",
    )

    def __init__(self, *args, directory=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = directory
        self.sources: list[Source] = []
        self.documents: list[ParsedDocument] = []

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text") or ""
        files = cleaned.get("files") or []
        if not text.strip() and not files:
            if not self.errors:
                raise ValidationError("请粘贴会议文本，或选择要上传的文件。")
            return cleaned
        if len(text) * 3 > MAX_BYTES and len(text.encode("utf-8")) > MAX_BYTES:
            self.add_error("text", str(too_large(PASTED, len(text.encode("utf-8")))))
        elif text.strip():
            pasted = source_of(PASTED, text)
            if pasted.text.strip():
                self.sources.append(pasted)
            else:
                self.add_error("text", "粘贴的内容里没有可识别的文字。")
        for upload in files:
            try:
                if upload.size > MAX_BYTES:
                    raise too_large(upload.name, upload.size)
                self.sources.append(read_bytes(upload.read(), upload.name))
            except InputError as exc:
                self.add_error("files", str(exc))
        if self.errors:
            return cleaned
        for source in self.sources:
            doc = parse_source(source, cleaned.get("year"), self.directory)
            if not doc.meetings:
                field = "files" if source.name != PASTED else "text"
                self.add_error(field, str(InputError.no_meetings(source.name)))
            self.documents.append(doc)
        return cleaned


# --- the review of the parsed drafts --------------------------------------------------------------


# The review renders hundreds of fields; Django's template-based widgets and field groups take about
# a second for the seed alone, so the review's widgets and field groups render in Python.


class FastInput(forms.Widget):
    """Render an <input> without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, value_attr, flatatt(widget["attrs"])
        )


class TextInput(FastInput, forms.TextInput):
    pass


class NumberInput(FastInput, forms.NumberInput):
    pass


class DateInput(FastInput, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CheckboxInput(FastInput, forms.CheckboxInput):
    pass


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', name, flatatt(widget["attrs"]), widget["value"] or ""
        )


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        current = str(value[0] if isinstance(value, (list, tuple)) and value else value or "")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) == current else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class DepartmentSelect(forms.SelectMultiple):
    """A multi-select of departments, optgroups by kind, rendered as one string."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value or ())}
        parts = [
            format_html('<select name="{}" multiple{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        ]
        for group, options in self.choices:
            parts.append(format_html('<optgroup label="{}">', group))
            for pk, label in options:
                mark = " selected" if str(pk) in selected else ""
                parts.append(f'<option value="{pk}"{mark}>{conditional_escape(label)}</option>')
            parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class FieldGroups:
    """`form.groups.name` in a template: label, help text, errors and widget of one field."""

    def __init__(self, form):
        self.form = form

    def __getitem__(self, name):
        field = self.form[name]
        parts = [format_html('<label for="{}">{}:</label>', field.id_for_label, field.label)]
        if field.help_text:
            parts.append(
                format_html('<div class="helptext" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
            )
        if field.errors:
            items = format_html_join("", "<li>{}</li>", ((e,) for e in field.errors))
            parts.append(format_html('<ul class="errorlist" id="{}_error">{}</ul>', field.auto_id, items))
        parts.append(field.as_widget())
        return mark_safe("".join(parts))


class ReviewFormMixin:
    use_required_attribute = False  # a dropped meeting or draft must not block the form in the browser

    @property
    def groups(self) -> FieldGroups:
        return FieldGroups(self)


class MeetingForm(ReviewFormMixin, forms.Form):
    """A parsed meeting's metadata, editable, and whether to import it at all."""

    accept = forms.BooleanField(label="导入本会议", required=False, widget=CheckboxInput)
    title = forms.CharField(label="会议名称", max_length=300, widget=TextInput)
    kind = forms.ChoiceField(label="类型", choices=Meeting.Kind.choices, widget=Select)
    session = forms.IntegerField(label="届", required=False, min_value=1, max_value=999, widget=NumberInput)
    number = forms.IntegerField(label="次", required=False, min_value=1, max_value=9999, widget=NumberInput)
    date = forms.DateField(label="会议日期", required=False, widget=DateInput)


_TARGET_LINE = re.compile(
    r"^(?P<metric>.+?)\s*(?P<op><=|>=|≤|≥|<|>|=)\s*(?P<value>-?\d+(?:\.\d+)?)\s*(?P<unit>[^()（）]*?)\s*"
    r"(?:[(（]\s*力争\s*(?P<stretch>-?\d+(?:\.\d+)?)\s*[^()（）]*[)）])?$"
)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def format_targets(targets) -> str:
    """Write targets one per line as "指标 >= 数值 单位（力争 X）", the form people edit them in."""
    lines = []
    for t in targets:
        line = f"{t.metric} {t.op} {_number(t.value)}{(' ' + t.unit) if t.unit else ''}"
        if t.stretch is not None:
            line += f"（力争 {_number(t.stretch)}）"
        lines.append(line)
    return "\n".join(lines)


def parse_targets(text: str) -> tuple[Target, ...]:
    """Read targets back from their lines; raise ValidationError naming a line that does not fit."""
    targets = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _TARGET_LINE.match(line)
        if not m:
            raise ValidationError(
                f"第{number}行“{line}”无法识别；格式为：指标 >= 数值 单位，如“验收面积 >= 9000 亩”。"
            )
        op = {"≤": "<=", "≥": ">="}.get(m["op"], m["op"])
        stretch = float(m["stretch"]) if m["stretch"] else None
        targets.append(
            Target(
                metric=m["metric"].strip(),
                op=op,
                value=float(m["value"]),
                unit=m["unit"].strip(),
                stretch=stretch,
            )
        )
    return tuple(targets)


class ItemForm(ReviewFormMixin, forms.Form):
    """A draft item's text, departments, deadline and targets, editable, and whether to keep it."""

    accept = forms.BooleanField(label="采用", required=False, widget=CheckboxInput)
    text = forms.CharField(label="事项内容", max_length=4000, widget=Textarea(attrs={"rows": 3}))
    lead = forms.MultipleChoiceField(label="牵头单位", required=False, widget=DepartmentSelect)
    support = forms.MultipleChoiceField(label="配合单位", required=False, widget=DepartmentSelect)
    deadline = forms.DateField(label="完成时限", required=False, widget=DateInput)
    targets = forms.CharField(
        label="量化目标",
        required=False,
        widget=Textarea(attrs={"rows": 2}),
        help_text="每行一个，如“PM2.5年均浓度 <= 45 微克/立方米”。",
    )

    def __init__(self, *args, choices, flags, recorded: RecordedState | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = flags
        for field in ("lead", "support"):
            self.fields[field].choices = choices
        if recorded is not None and recorded.kind in (DONE, IN_PROGRESS):
            # A ledger's word is no proof: the reviewer may assign the item as new work instead.
            self.fields["keep_recorded"] = forms.BooleanField(
                label="按台账记录交办", required=False, widget=CheckboxInput
            )
        for flag in flags:
            if flag.field:
                self.fields[flag.field] = forms.MultipleChoiceField(
                    label=f"“{flag.mention}”分解为",
                    required=False,
                    choices=choices,
                    widget=DepartmentSelect,
                    help_text="选择具体承办单位；不选则事项留作待确认，稍后在事项页分解。",
                )

    def clean_targets(self):
        return parse_targets(self.cleaned_data["targets"])


@dataclasses.dataclass
class Flag:
    """A department mention a person must look at: a group word to resolve, or an unknown name."""

    mention: str
    role: str
    group: Department | None = None  # the group's row, when the directory has one
    field: str | None = None  # the form field that resolves a group word

    @property
    def is_group(self) -> bool:
        return self.field is not None

    @property
    def role_label(self) -> str:
        return "牵头" if self.role == LEAD else "配合"


@dataclasses.dataclass
class ItemReview:
    parsed: ParsedItem
    form: ItemForm
    before: str  # a little of the meeting text before and after the item's sentence, for context
    after: str

    @property
    def flags(self) -> list[Flag]:
        return self.form.flags

    @property
    def recorded(self) -> RecordedState | None:
        return self.parsed.recorded

    @property
    def recorded_label(self) -> str:
        """The ledger's recorded state in a few words (已完成, 推进中 80%), as the item page says it."""
        r = self.parsed.recorded
        return ActionItem.Recorded.describe(r.kind, r.progress) if r else ""

    @property
    def recorded_effect(self) -> str:
        """What the recorded state does once the item is assigned."""
        r = self.parsed.recorded
        if r is None:
            return ""
        return {
            DONE: "交办时承办任务直接记为已办结",
            IN_PROGRESS: "交办时承办任务直接记为办理中",
        }.get(r.kind, "交办后照常待签收")

    @property
    def resolve_fields(self) -> list[str]:
        """Return the rendered fields that resolve this draft's group words."""
        groups = self.form.groups
        return [groups[flag.field] for flag in self.flags if flag.is_group]


@dataclasses.dataclass
class MeetingReview:
    NEW, CHANGED, UNCHANGED, DUPLICATE = "new", "changed", "unchanged", "duplicate"

    key: str
    parsed: ParsedMeeting
    status: str
    existing: Meeting | None
    form: MeetingForm | None  # None when there is nothing to import (unchanged, duplicate)
    items: list[ItemReview]

    @property
    def importable(self) -> bool:
        return self.form is not None

    @property
    def kind_label(self) -> str:
        return Meeting.Kind(self.parsed.kind).label if self.parsed.kind in Meeting.Kind.values else "其他"

    def highlighted(self) -> list[tuple[str, int | None]]:
        """Split the meeting text into pieces, each item's sentence marked with its position."""
        text, pieces, at = self.parsed.text, [], 0
        for item in sorted(self.parsed.items, key=lambda i: i.span):
            start, end = item.span
            if start < at:
                continue
            pieces.append((text[at:start], None))
            pieces.append((text[start:end], item.position))
            at = end
        pieces.append((text[at:], None))
        return [(piece, pos) for piece, pos in pieces if piece]


CONTEXT_CHARS = 40


def department_choices(departments) -> list[tuple[str, list[tuple[int, str]]]]:
    """Group real departments by kind for the selects, labels escaped once."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for d in departments:
        if not d.is_group:
            groups.setdefault(d.get_kind_display(), []).append((d.pk, escape(d.name)))
    return list(groups.items())


class ImportReview:
    """The review of parsed documents: one form per meeting and per item, checked only where kept."""

    def __init__(self, documents: list[ParsedDocument], data=None):
        self.documents = documents
        self.data = data
        departments = list(Department.objects.filter(active=True).order_by("kind", "name"))
        self.departments = {d.pk: d for d in departments}
        self.by_spelling: dict[str, Department] = {}
        for d in departments:
            for s in d.spellings():
                self.by_spelling.setdefault(s, d)
            self.by_spelling[d.name] = d
        self.choices = department_choices(departments)
        self.townships = [d.pk for d in departments if d.kind == Department.Kind.TOWNSHIP]
        parsed = [m for doc in documents for m in doc.meetings]
        keys = [Meeting.make_natural_key(m.kind, m.session, m.number, m.date, m.title) for m in parsed]
        existing = {
            m.natural_key: m
            for m in Meeting.objects.filter(natural_key__in=set(keys)).only("pk", "natural_key", "text_hash")
        }
        self.meetings: list[MeetingReview] = []
        seen: set[str] = set()
        for n, (meeting, key) in enumerate(zip(parsed, keys, strict=True), start=1):
            self.meetings.append(self._meeting(f"m{n}", meeting, existing.get(key), duplicate=key in seen))
            seen.add(key)

    # -- building ----------------------------------------------------------------------------------

    def _meeting(self, prefix: str, parsed: ParsedMeeting, existing: Meeting | None, duplicate: bool):
        if duplicate:
            status = MeetingReview.DUPLICATE
        elif existing is None:
            status = MeetingReview.NEW
        elif existing.text_hash == Meeting.hash_text(parsed.text):
            status = MeetingReview.UNCHANGED
        else:
            status = MeetingReview.CHANGED
        importable = status in (MeetingReview.NEW, MeetingReview.CHANGED)
        form = None
        if importable:
            initial = {
                "accept": True,
                "title": parsed.title,
                "kind": parsed.kind,
                "session": parsed.session,
                "number": parsed.number,
                "date": parsed.date,
            }
            form = MeetingForm(self.data, prefix=prefix, initial=initial)
        items = [self._item(f"{prefix}-i{i.position}", parsed, i) for i in parsed.items] if importable else []
        return MeetingReview(prefix, parsed, status, existing, form, items)

    def _item(self, prefix: str, meeting: ParsedMeeting, parsed: ParsedItem) -> ItemReview:
        lead, support, flags = [], [], []
        for ref in parsed.departments:
            found = self.by_spelling.get(ref.name or "") or self.by_spelling.get(ref.mention)
            if ref.is_group or (found is not None and found.is_group):
                if all(f.mention != ref.mention for f in flags):
                    group = found if found is not None and found.is_group else None
                    flags.append(Flag(ref.mention, ref.role, group, f"resolve{len(flags)}"))
            elif found is None:
                if all(f.mention != ref.mention for f in flags):
                    flags.append(Flag(ref.mention, ref.role))
            else:
                bucket = lead if ref.role == LEAD else support
                if found.pk not in lead and found.pk not in support:
                    bucket.append(found.pk)
        initial = {
            "accept": True,
            "text": parsed.text,
            "lead": lead,
            "support": support,
            "deadline": parsed.deadline.date,
            "targets": format_targets(parsed.targets),
            "keep_recorded": True,
        }
        for flag in flags:
            if flag.group is not None and flag.group.scope == Department.Scope.TOWNSHIPS:
                initial[flag.field] = self.townships  # 各乡镇(街道): every township reports for itself
        form = ItemForm(
            self.data,
            prefix=prefix,
            initial=initial,
            choices=self.choices,
            flags=flags,
            recorded=parsed.recorded,
        )
        start, end = parsed.span
        before = meeting.text[max(0, start - CONTEXT_CHARS) : start]
        after = meeting.text[end : end + CONTEXT_CHARS]
        return ItemReview(parsed, form, before, after)

    # -- figures -----------------------------------------------------------------------------------

    @property
    def importable(self) -> list[MeetingReview]:
        return [m for m in self.meetings if m.importable]

    @property
    def skipped(self) -> list[MeetingReview]:
        """Meetings not offered for import: already imported unchanged, or repeated in this import."""
        return [m for m in self.meetings if not m.importable]

    @property
    def nothing_new(self) -> bool:
        return not self.importable

    @property
    def item_count(self) -> int:
        return sum(len(m.items) for m in self.importable)

    @property
    def flag_count(self) -> int:
        return sum(1 for m in self.importable for i in m.items if i.flags)

    @property
    def unchanged_count(self) -> int:
        return sum(m.status == MeetingReview.UNCHANGED for m in self.meetings)

    # -- validation --------------------------------------------------------------------------------

    @staticmethod
    def _kept(form) -> bool:
        widget = form.fields["accept"].widget
        return bool(widget.value_from_datadict(form.data, form.files, form.add_prefix("accept")))

    def kept(self):
        """Yield the meetings and items the person kept (checked boxes of the bound forms)."""
        for meeting in self.importable:
            if self._kept(meeting.form):
                yield meeting, [i for i in meeting.items if self._kept(i.form)]

    def is_valid(self) -> bool:
        """Validate the kept meetings and items only: a dropped draft's errors do not matter."""
        if self.data is None:
            return False
        valid = True
        for meeting, items in self.kept():
            valid &= meeting.form.is_valid()
            for item in items:
                valid &= item.form.is_valid()
        return valid

    @property
    def error_count(self) -> int:
        return sum(
            bool(f.errors) for meeting, items in self.kept() for f in [meeting.form, *(i.form for i in items)]
        )

    def reviewed(self) -> list[ReviewedMeeting]:
        """Return the kept meetings with the person's edits, ready for write_reviewed."""
        out = []
        for meeting, items in self.kept():
            data = meeting.form.cleaned_data
            edited_items, departments = [], {}
            for item in items:
                edited_items.append(self._edited_item(item))
                departments[item.parsed.position] = self._departments(item)
            edited = dataclasses.replace(
                meeting.parsed,
                title=data["title"].strip(),
                kind=data["kind"],
                session=data["session"],
                number=data["number"],
                date=data["date"],
                items=tuple(edited_items),
            )
            out.append(ReviewedMeeting(meeting=edited, departments=departments))
        return out

    @staticmethod
    def _edited_item(item: ItemReview) -> ParsedItem:
        data, parsed = item.form.cleaned_data, item.parsed
        date = data["deadline"]
        if date == parsed.deadline.date:
            deadline = parsed.deadline
        elif date is not None:
            deadline = Deadline(kind=DATE, date=date, text=parsed.deadline.text)
        else:
            kind = parsed.deadline.kind if parsed.deadline.kind != DATE else NONE
            deadline = Deadline(kind=kind, date=None, text=parsed.deadline.text)
        targets = data["targets"]
        if format_targets(parsed.targets) == format_targets(targets):
            targets = parsed.targets  # unchanged: keep the parsed numbers exactly
        recorded = parsed.recorded
        if "keep_recorded" in item.form.fields and not data["keep_recorded"]:
            recorded = None  # unticked: its assignments start 待签收 like any new work
        return dataclasses.replace(
            parsed, text=data["text"].strip(), deadline=deadline, targets=targets, recorded=recorded
        )

    def _departments(self, item: ItemReview) -> list[tuple[Department, str]]:
        data = item.form.cleaned_data
        chosen: list[tuple[Department, str]] = []

        def add(pk, role):
            dept = self.departments.get(int(pk))
            if dept is not None and all(d.pk != dept.pk for d, _ in chosen):
                chosen.append((dept, role))

        for pk in data["lead"]:
            add(pk, LEAD)
        for pk in data["support"]:
            add(pk, SUPPORT)
        for flag in item.flags:
            if not flag.is_group:
                continue
            resolved = data.get(flag.field) or []
            for pk in resolved:
                add(pk, flag.role)
            if not resolved and flag.group is not None:
                add(flag.group.pk, flag.role)  # left for a person: the item stays a draft
        return chosen
