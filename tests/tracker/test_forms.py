"""The small forms: evidence checks, targets typed as lines, draft review, and every input labelled."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tracker import forms
from tracker.models import ActionItem, Assignment

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def ooxml(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


# --- evidence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (b"\xff\xd8\xff\xdb" + b"\0" * 8, "jpeg"),
        (b"\x89PNG\r\n\x1a\n\0\0", "png"),
        (ooxml("word/document.xml"), "docx"),
        (ooxml("xl/workbook.xml"), "xlsx"),
        (ooxml("ppt/presentation.xml"), None),
        (b"PK\x03\x04 not a zip", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_sniff_kind_reads_what_a_file_really_is(content, kind):
    upload = SimpleUploadedFile("x", content)
    assert forms.sniff_kind(upload) == kind
    assert upload.tell() == 0


def test_evidence_is_optional():
    assert forms.EvidenceField().clean(None) is None


def test_evidence_accepts_a_matching_file_whatever_the_case_of_its_extension():
    upload = SimpleUploadedFile("报告.PDF", PDF)
    assert forms.EvidenceField().clean(upload) is upload


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.gif", b"GIF89a"), ("a.pdf", b"\x89PNG\r\n\x1a\n"), ("a.docx", ooxml("xl/workbook.xml")), ("a", PDF)],
)
def test_evidence_refuses_other_types_and_disguises(name, content):
    with pytest.raises(forms.forms.ValidationError):
        forms.EvidenceField().clean(SimpleUploadedFile(name, content))


def test_evidence_refuses_files_over_10_mb():
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * forms.MAX_EVIDENCE_BYTES)
    with pytest.raises(forms.forms.ValidationError, match="不能超过"):
        forms.EvidenceField().clean(big)


def test_evidence_input_tells_the_browser_which_types_to_offer():
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"' in str(
        forms.ProgressForm(assignment=Assignment())["attachment"]
    )


# --- targets ---------------------------------------------------------------------------------------------


def test_targets_read_one_per_line_and_show_again_the_same():
    text = "PM2.5年均浓度 <= 45 微克/立方米\n\n森林覆盖率≥62.5%\n新增就业 = 8000 人"
    targets = forms.parse_targets(text)
    assert targets == [
        {"metric": "PM2.5年均浓度", "op": "<=", "value": 45, "unit": "微克/立方米", "stretch": None},
        {"metric": "森林覆盖率", "op": ">=", "value": 62.5, "unit": "%", "stretch": None},
        {"metric": "新增就业", "op": "=", "value": 8000, "unit": "人", "stretch": None},
    ]
    assert [forms.format_target(t) for t in targets] == [
        "PM2.5年均浓度 ≤ 45 微克/立方米",
        "森林覆盖率 ≥ 62.5 %",
        "新增就业 = 8000 人",
    ]
    assert forms.parse_targets("\n".join(forms.format_target(t) for t in targets)) == targets


def test_a_target_line_without_a_number_names_its_line():
    with pytest.raises(forms.forms.ValidationError, match="第2行"):
        forms.parse_targets("A <= 1\n提高质量")


def test_format_target_tolerates_odd_values():
    assert forms.format_target("自由文本") == "自由文本"
    assert forms.format_target({"metric": "X", "op": "<", "value": 3.0, "unit": ""}) == "X < 3"


# --- assignment action forms ---------------------------------------------------------------------------------


def test_every_action_has_a_form_with_a_title_and_a_model_method():
    assert set(forms.ASSIGNMENT_FORMS) == {
        "accept",
        "send_back",
        "report_progress",
        "request_extension",
        "submit_done",
        "approve_extension",
        "refuse_extension",
        "close",
        "return_for_rework",
        "reassign",
        "remind",
    }
    for name, form in forms.ASSIGNMENT_FORMS.items():
        assert form.action == name and form.title


@pytest.mark.parametrize("name", ["accept", "close", "approve_extension"])
def test_actions_without_input_are_valid_when_empty(name):
    form = forms.ASSIGNMENT_FORMS[name]({}, assignment=Assignment())
    assert form.is_valid()


@pytest.mark.parametrize(
    "name",
    [
        "send_back",
        "report_progress",
        "request_extension",
        "submit_done",
        "refuse_extension",
        "return_for_rework",
    ],
)
def test_actions_with_text_are_invalid_when_empty(name):
    assert not forms.ASSIGNMENT_FORMS[name]({}, assignment=Assignment()).is_valid()


def test_progress_form_starts_at_the_current_progress_and_stops_below_100():
    form = forms.ProgressForm(assignment=Assignment(progress=40))
    assert form["progress"].initial == 40
    assert not forms.ProgressForm({"progress": "100", "note": "x"}, assignment=Assignment()).is_valid()


def test_extension_form_wants_a_date_after_the_due_date():
    a = Assignment(due_date=datetime.date(2026, 7, 1))
    assert not forms.ExtensionForm({"new_date": "2026-07-01", "reason": "x"}, assignment=a).is_valid()
    assert forms.ExtensionForm({"new_date": "2026-07-02", "reason": "x"}, assignment=a).is_valid()


def test_every_input_of_every_form_has_a_label(lead, item):
    built = [cls(assignment=lead) for cls in forms.ASSIGNMENT_FORMS.values()]
    built += [forms.CancelForm(item=item), forms.CommentForm(item=item), forms.ItemForm(instance=item)]
    for form in built:
        html = str(form)
        for field in form:
            if field.is_hidden:
                continue
            assert field.label, (type(form).__name__, field.name)
            assert f'for="{field.id_for_label}"' in html or "<legend" in html, (
                type(form).__name__,
                field.name,
            )


# --- the draft editor ------------------------------------------------------------------------------------------


@pytest.fixture
def draft(make_item, departments):
    return make_item(
        lead=departments["nongban"], support=[departments["towns"]], state=ActionItem.State.DRAFT
    )


def data_for(item, **extra):
    data = {
        "text": item.text,
        "deadline": "",
        "deadline_kind": "none",
        "deadline_text": "",
        "targets_text": "",
    }
    return data | extra


def test_item_form_starts_with_the_drafts_departments(draft, departments):
    form = forms.ItemForm(instance=draft)
    assert form["lead"].initial == [departments["nongban"].pk]
    assert form["support"].initial == []
    assert [g["group"] for g in form.group_fields] == [departments["towns"]]
    assert [d.name for d in form.group_fields[0]["members"]] == ["甘霖镇"]


def test_item_form_offers_only_real_departments_grouped_by_kind(draft):
    html = str(forms.ItemForm(instance=draft)["lead"])
    assert "市级部门" in html and "乡镇(街道)" in html
    assert "相关部门" not in html and "各级各部门" not in html


def test_a_deadline_makes_the_kind_a_date(draft):
    form = forms.ItemForm(data_for(draft, deadline="2026-12-31", deadline_kind="none"), instance=draft)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadline_kind"] == "date"


def test_a_date_kind_needs_a_deadline(draft):
    form = forms.ItemForm(data_for(draft, deadline_kind="date"), instance=draft)
    assert not form.is_valid()
    assert "deadline" in form.errors


def test_group_resolution_comes_from_the_chosen_departments_or_the_all_box(draft, departments):
    towns = departments["towns"]
    form = forms.ItemForm(data_for(draft, **{f"group_{towns.pk}_all": "on"}), instance=draft)
    assert form.is_valid(), form.errors
    assert form.resolutions() == [(towns, [departments["town"]])]
    form = forms.ItemForm(data_for(draft), instance=draft)
    assert form.is_valid()
    assert form.resolutions() == []


def test_comment_form_defaults_to_an_instruction_for_managers_only(item):
    assert forms.CommentForm(item=item)["kind"].initial == "instruction"
    assert forms.CommentForm(item=item, instruction_first=False)["kind"].initial == "comment"
