"""assignment_update: one view for every workflow action, walked through its permission matrix."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import forms, permissions
from tracker.models import ActionItem, Assignment, JournalEntry

S = Assignment.Status
HTMX = {"HTTP_HX_REQUEST": "true"}
IN_DIALOG = {**HTMX, "HTTP_HX_TARGET": "action-form"}
FROM_BOARD = {**HTMX, "HTTP_HX_TARGET": "board-card"}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def ooxml(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


# For each action: the status it is legal in, extra fields on the assignment, and valid form data.
ACTIONS = {
    "accept": (S.PENDING, {}, {}),
    "send_back": (S.PENDING, {}, {"reason": "不属于本单位职责"}),
    "report_progress": (S.IN_PROGRESS, {}, {"progress": "50", "note": "完成一半"}),
    "request_extension": (S.IN_PROGRESS, {}, {"new_date": "2026-09-30", "reason": "需要更多时间"}),
    "submit_done": (S.IN_PROGRESS, {}, {"note": "已全部完成"}),
    "approve_extension": (
        S.IN_PROGRESS,
        {"extension_date": datetime.date(2026, 9, 30), "extension_reason": "理由"},
        {},
    ),
    "refuse_extension": (
        S.IN_PROGRESS,
        {"extension_date": datetime.date(2026, 9, 30), "extension_reason": "理由"},
        {"reason": "时间已够"},
    ),
    "close": (S.REVIEW, {}, {}),
    "return_for_rework": (S.REVIEW, {}, {"reason": "材料不全"}),
    "reassign": (S.RETURNED, {}, None),  # needs a department: filled in by the test
    "remind": (S.IN_PROGRESS, {}, {"note": "请本周内报送进展"}),
}
STAFF_ACTIONS = sorted(permissions.STAFF_ACTIONS)
OFFICE_ACTIONS = sorted(permissions.OFFICE_ACTIONS)
NEEDS_TEXT = [
    "send_back",
    "report_progress",
    "request_extension",
    "submit_done",
    "refuse_extension",
    "return_for_rework",
]


def action_url(assignment, action):
    return reverse("tracker:assignment_update", args=[assignment.pk, action])


def prepared(assignment, action):
    """Put the assignment in the state where `action` is legal."""
    status, extra, _ = ACTIONS[action]
    Assignment.objects.filter(pk=assignment.pk).update(status=status, **extra)
    assignment.refresh_from_db()
    return assignment


def form_data(action, departments):
    data = ACTIONS[action][2]
    if data is None:
        return {"department": departments["town"].pk, "note": ""}
    return dict(data)


def journal_rows(assignment):
    return JournalEntry.objects.filter(assignment=assignment).count()


@pytest.fixture
def other_lead(make_item, departments, today):
    """The lead assignment of an item only 甘霖镇 works on."""
    item = make_item(lead=departments["town"], deadline=today + datetime.timedelta(days=30))
    return item.assignments.get()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the permission matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_users_are_sent_to_login(client, lead, action):
    prepared(lead, action)
    for method in (client.get, client.post):
        response = method(action_url(lead, action))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_another_departments_assignment_is_not_found(client, users, other_lead, action):
    prepared(other_lead, action)
    client.force_login(users["staff"])
    assert client.get(action_url(other_lead, action)).status_code == 404
    assert client.post(action_url(other_lead, action)).status_code == 404


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_own_department_staff_open_their_actions(client, users, lead, action):
    prepared(lead, action)
    client.force_login(users["staff"])
    page = client.get(action_url(lead, action))
    assert page.status_code == 200
    assert 'id="action-form"' in page.content.decode()
    fragment = client.get(action_url(lead, action), HTTP_HX_TARGET="dialog-body", **HTMX)
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<form id="action-form"')


@pytest.mark.parametrize("action", OFFICE_ACTIONS)
def test_staff_may_not_take_office_actions(client, users, lead, action):
    prepared(lead, action)
    client.force_login(users["staff"])
    before = journal_rows(lead)
    assert client.get(action_url(lead, action)).status_code == 403
    assert client.post(action_url(lead, action), {"reason": "x", "note": "x"}).status_code == 403
    assert journal_rows(lead) == before


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_managers_may_change_nothing(client, users, lead, action, departments):
    prepared(lead, action)
    client.force_login(users["manager"])
    before = journal_rows(lead)
    assert client.get(action_url(lead, action)).status_code == 403
    assert client.post(action_url(lead, action), form_data(action, departments)).status_code == 403
    assert journal_rows(lead) == before


@pytest.mark.parametrize("action", OFFICE_ACTIONS)
def test_the_office_opens_its_actions(client, users, lead, action):
    prepared(lead, action)
    client.force_login(users["office"])
    assert client.get(action_url(lead, action)).status_code == 200
    assert client.get(action_url(lead, action), HTTP_HX_TARGET="dialog-body", **HTMX).status_code == 200


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_the_office_does_not_do_a_departments_work(client, users, lead, action):
    prepared(lead, action)
    client.force_login(users["office"])
    assert client.get(action_url(lead, action)).status_code == 403


def test_an_action_in_the_wrong_status_explains_why_and_changes_nothing(client, users, lead):
    client.force_login(users["office"])
    response = client.post(action_url(lead, "close"), HTTP_HX_REQUEST="true")  # still 待签收
    assert response.status_code == 200
    assert "待签收" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == S.PENDING
    assert not JournalEntry.objects.filter(assignment=lead, action="close").exists()


def test_a_second_accept_after_someone_else_accepted_says_so(client, users, lead):
    lead.accept(by=users["staff"])
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "accept"))
    assert response.status_code == 200
    assert "办理中" in response.content.decode()


def test_an_unknown_action_is_not_found(client, users, lead):
    client.force_login(users["staff"])
    assert client.get(action_url(lead, "delete")).status_code == 404


def test_actions_on_a_cancelled_item_are_forbidden(client, users, lead):
    lead.item.cancel(by=users["office"], reason="撤销")
    client.force_login(users["office"])
    assert client.post(action_url(lead, "accept")).status_code == 403


# --- each action writes exactly one journal row -------------------------------------------------------


EXPECTED = {
    "accept": S.IN_PROGRESS,
    "send_back": S.RETURNED,
    "report_progress": S.IN_PROGRESS,
    "request_extension": S.IN_PROGRESS,
    "submit_done": S.REVIEW,
    "approve_extension": S.IN_PROGRESS,
    "refuse_extension": S.IN_PROGRESS,
    "close": S.DONE,
    "return_for_rework": S.IN_PROGRESS,
    "reassign": S.RETURNED,
    "remind": S.IN_PROGRESS,
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_through_its_form_writes_one_journal_row_and_redirects(
    client, users, lead, departments, action, today
):
    prepared(lead, action)
    who = "staff" if action in permissions.STAFF_ACTIONS else "office"
    client.force_login(users[who])
    before = journal_rows(lead)
    response = client.post(action_url(lead, action), form_data(action, departments))
    assert response.status_code == 302
    assert response["Location"] == lead.item.get_absolute_url()
    lead.refresh_from_db()
    assert lead.status == EXPECTED[action]
    assert journal_rows(lead) == before + 1
    entry = JournalEntry.objects.filter(assignment=lead).latest("id")
    assert entry.actor == users[who]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_post_reads_the_assignment_once_and_locks_it_in_that_read(client, users, lead, departments, action):
    """The scoped read that answers 404 is also the transition's lock: no second read of the row."""
    prepared(lead, action)
    client.force_login(users["staff" if action in permissions.STAFF_ACTIONS else "office"])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(action_url(lead, action), form_data(action, departments)).status_code == 302
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "tracker_assignment"' in q["sql"]
    ]
    reads_of_the_row = [sql for sql in reads if f'"tracker_assignment"."id" = {lead.pk}' in sql]
    assert len(reads_of_the_row) == 1
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in reads_of_the_row[0]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_post_reads_the_meeting_only_when_the_counts_need_it_and_then_in_the_locked_read(
    client, users, lead, departments, action
):
    """The dashboard's counts file items by their meeting's date; a progress report moves no count."""
    prepared(lead, action)
    client.force_login(users["staff" if action in permissions.STAFF_ACTIONS else "office"])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(action_url(lead, action), form_data(action, departments)).status_code == 302
    meeting_reads = [q["sql"] for q in queries if 'FROM "tracker_meeting"' in q["sql"]]
    if not forms.ASSIGNMENT_FORMS[action].moves_counts:  # a progress report, a reminder
        assert not any('"tracker_meeting"' in q["sql"] for q in queries)
    else:
        assert not meeting_reads  # no read of its own
        assert any('JOIN "tracker_meeting"' in q["sql"] for q in queries)


def test_report_progress_sets_the_percentage(client, users, lead, departments):
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    client.post(action_url(lead, "report_progress"), {"progress": "70", "note": "推进中"})
    lead.refresh_from_db()
    assert lead.progress == 70


def test_approving_an_extension_moves_the_due_date(client, users, lead):
    prepared(lead, "approve_extension")
    client.force_login(users["office"])
    client.post(action_url(lead, "approve_extension"))
    lead.refresh_from_db()
    assert (lead.due_date, lead.extension_date) == (datetime.date(2026, 9, 30), None)


def test_reassigning_gives_the_item_to_the_new_department(client, users, lead, departments):
    prepared(lead, "reassign")
    client.force_login(users["office"])
    client.post(action_url(lead, "reassign"), {"department": departments["town"].pk})
    assert lead.item.assignments.filter(department=departments["town"], status=S.PENDING).exists()


def test_reassign_offers_only_departments_not_yet_on_the_item(client, users, lead, departments):
    prepared(lead, "reassign")
    client.force_login(users["office"])
    html = client.get(action_url(lead, "reassign")).content.decode()
    assert "甘霖镇" in html
    assert "教体局" not in html.split('name="department"')[1].split("</select>")[0]
    assert "相关部门" not in html


# --- invalid input changes nothing ----------------------------------------------------------------------


@pytest.mark.parametrize("action", NEEDS_TEXT)
def test_a_bare_post_to_an_action_that_needs_text_re_renders_the_form(client, users, lead, action):
    prepared(lead, action)
    who = "staff" if action in permissions.STAFF_ACTIONS else "office"
    client.force_login(users[who])
    before = journal_rows(lead)
    response = client.post(action_url(lead, action), **IN_DIALOG)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == ACTIONS[action][0]
    assert journal_rows(lead) == before


@pytest.mark.parametrize("action", ["accept", "close", "approve_extension"])
def test_a_bare_post_performs_an_action_that_needs_no_input(client, users, lead, action):
    prepared(lead, action)
    who = "staff" if action in permissions.STAFF_ACTIONS else "office"
    client.force_login(users[who])
    response = client.post(action_url(lead, action), **FROM_BOARD)
    assert response.status_code == 204
    lead.refresh_from_db()
    assert lead.status == EXPECTED[action]


def test_a_form_from_the_board_that_needs_text_opens_in_the_dialog(client, users, lead):
    prepared(lead, "submit_done")
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "submit_done"), **FROM_BOARD)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#dialog-body"
    assert response["HX-Reswap"] == "innerHTML"


def test_a_form_posted_from_the_dialog_swaps_itself(client, users, lead):
    prepared(lead, "send_back")
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "send_back"), {"reason": ""}, **IN_DIALOG)
    assert response.status_code == 200
    assert "HX-Retarget" not in response


def test_progress_of_100_is_refused_by_the_form(client, users, lead):
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    response = client.post(
        action_url(lead, "report_progress"), {"progress": "100", "note": "完成"}, **IN_DIALOG
    )
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.progress == 0


def test_a_transition_error_is_shown_as_a_form_error_and_changes_nothing(client, users, lead, today):
    prepared(lead, "request_extension")
    Assignment.objects.filter(pk=lead.pk).update(due_date=today - datetime.timedelta(days=20))
    client.force_login(users["staff"])
    before = journal_rows(lead)
    past = (today - datetime.timedelta(days=5)).isoformat()
    response = client.post(
        action_url(lead, "request_extension"), {"new_date": past, "reason": "来不及"}, **IN_DIALOG
    )
    assert response.status_code == 200
    assert "申请的新日期不能早于今天" in response.content.decode()
    lead.refresh_from_db()
    assert lead.extension_date is None
    assert journal_rows(lead) == before


def test_an_extension_must_be_later_than_the_due_date(client, users, lead):
    prepared(lead, "request_extension")
    client.force_login(users["staff"])
    earlier = (lead.due_date - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        action_url(lead, "request_extension"), {"new_date": earlier, "reason": "x"}, **IN_DIALOG
    )
    assert "新日期必须晚于当前到期日" in response.content.decode()


def test_a_failed_plain_post_re_renders_the_whole_page(client, users, lead):
    prepared(lead, "send_back")
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "send_back"), {"reason": ""})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


# --- answers after success ---------------------------------------------------------------------------------


def test_htmx_success_closes_the_dialog_and_tells_the_page_to_refresh(client, users, lead):
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "accept"), **IN_DIALOG)
    assert response.status_code == 204
    triggers = json.loads(response["HX-Trigger"])
    assert {"itemUpdated", "closeDialog", "showMessage"} <= set(triggers)
    assert "签收" in triggers["showMessage"]["text"]


def test_plain_success_goes_back_to_next_when_it_is_local(client, users, lead):
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "accept"), {"next": "/board/?status=pending"})
    assert response["Location"] == "/board/?status=pending"


def test_plain_success_ignores_a_foreign_next(client, users, lead):
    client.force_login(users["staff"])
    response = client.post(action_url(lead, "accept"), {"next": "https://evil.example/"})
    assert response["Location"] == lead.item.get_absolute_url()


def test_the_form_page_keeps_next_for_the_post(client, users, lead):
    prepared(lead, "submit_done")
    client.force_login(users["staff"])
    html = client.get(action_url(lead, "submit_done") + "?next=/board/").content.decode()
    assert 'name="next" value="/board/"' in html


def test_closing_the_last_lead_marks_the_item_done(client, users, lead):
    prepared(lead, "close")
    client.force_login(users["office"])
    client.post(action_url(lead, "close"), {"note": "符合要求"})
    lead.item.refresh_from_db()
    assert lead.item.state == ActionItem.State.DONE


# --- evidence attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", PDF),
        ("现场.png", PNG),
        ("现场.JPG", JPG),
        ("材料.docx", ooxml("word/document.xml")),
        ("台账.xlsx", ooxml("xl/workbook.xml")),
    ],
)
def test_progress_with_evidence_stores_the_file_on_the_journal_row(client, users, lead, name, content):
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        action_url(lead, "report_progress"), {"progress": "30", "note": "附证明", "attachment": upload}
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.filter(assignment=lead).latest("id")
    assert entry.attachment.name.startswith("evidence/")
    assert entry.attachment.read() == content


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_read_before_the_action_takes_its_lock(client, users, lead, monkeypatch):
    """A slow 10 MB upload must not hold the row lock (or, on SQLite, the database's write lock)."""
    from django.http.multipartparser import MultiPartParser

    parse, read_in_transaction = MultiPartParser.parse, []

    def recording(self):
        read_in_transaction.append(connection.in_atomic_block)
        return parse(self)

    monkeypatch.setattr(MultiPartParser, "parse", recording)
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    upload = SimpleUploadedFile("报告.pdf", PDF)
    data = {"progress": "30", "note": "附证明", "attachment": upload}
    assert client.post(action_url(lead, "report_progress"), data).status_code == 302
    assert read_in_transaction == [False]


def test_submit_done_accepts_evidence(client, users, lead):
    prepared(lead, "submit_done")
    client.force_login(users["staff"])
    upload = SimpleUploadedFile("结果.pdf", PDF)
    client.post(action_url(lead, "submit_done"), {"note": "完成", "attachment": upload})
    assert JournalEntry.objects.filter(assignment=lead, action="submit_done").get().attachment


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("脚本.exe", b"MZ\x90\x00", "只接受"),
        ("页面.html", b"<html></html>", "只接受"),
        ("伪装.pdf", PNG, "文件内容与扩展名"),
        ("伪装.png", PDF, "文件内容与扩展名"),
        ("伪装.docx", ooxml("xl/workbook.xml"), "文件内容与扩展名"),
        ("坏的.xlsx", b"PK\x03\x04garbage", "文件内容与扩展名"),
        ("无扩展名", PDF, "只接受"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(client, users, lead, name, content, message):
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    before = journal_rows(lead)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        action_url(lead, "report_progress"),
        {"progress": "30", "note": "附件", "attachment": upload},
        **IN_DIALOG,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert journal_rows(lead) == before


def test_evidence_over_10_mb_is_refused(client, users, lead):
    prepared(lead, "report_progress")
    client.force_login(users["staff"])
    before = journal_rows(lead)
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client.post(
        action_url(lead, "report_progress"),
        {"progress": "30", "note": "附件", "attachment": upload},
        **IN_DIALOG,
    )
    assert response.status_code == 200
    assert "附件不能超过" in response.content.decode()
    assert journal_rows(lead) == before
