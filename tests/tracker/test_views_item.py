"""The item page and the office's and managers' item-level views: edit, confirm, cancel, comment."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from tracker.models import ActionItem, Assignment, JournalEntry

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, item):
    return reverse(f"tracker:{name}", args=[item.pk])


def htmx(target):
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture
def draft(make_item, departments, today):
    """A draft led by 市农办 with a group word (相关部门) as support, due in 60 days."""
    item = make_item(
        lead=departments["nongban"],
        support=[departments["related"]],
        state=ActionItem.State.DRAFT,
        deadline=today + datetime.timedelta(days=60),
    )
    return item


@pytest.fixture
def other_item(make_item, departments, today):
    """An active item of 甘霖镇 only: 市农办's staff may not see it."""
    return make_item(lead=departments["town"], deadline=today)


# --- the item page ----------------------------------------------------------------------------------


def test_item_page_highlights_the_sentence_and_shows_assignments_and_journal(client, users, item, meeting):
    client.force_login(users["staff"])
    response = client.get(url("item_detail", item))
    assert response.status_code == 200
    html = response.content.decode()
    before, sentence, after = item.source_parts()
    assert f"<mark>{sentence}</mark>" in html
    assert meeting.get_absolute_url() in html
    assert "市农办" in html and "教体局" in html
    assert "待签收" in html
    assert 'id="item-journal"' in html and "交办" in html
    assert 'id="action-dialog"' in html


def test_item_page_shows_deadline_words_and_targets(client, users, item):
    ActionItem.objects.filter(pk=item.pk).update(
        deadline_text="年底前",
        targets=[
            {"metric": "PM2.5年均浓度", "op": "<=", "value": 45, "unit": "微克/立方米", "stretch": None}
        ],
    )
    client.force_login(users["staff"])
    html = client.get(url("item_detail", item)).content.decode()
    assert "原文“年底前”" in html
    assert "PM2.5年均浓度 ≤ 45 微克/立方米" in html


def test_item_page_shows_progress_bar_light_and_journal_details(client, users, item, lead):
    lead.accept(by=users["staff"])
    lead.report_progress(by=users["staff"], progress=40, note="完成调研")
    client.force_login(users["staff"])
    html = client.get(url("item_detail", item)).content.decode()
    assert '<progress max="100" value="40"' in html
    assert "light-green" in html and "正常" in html
    assert "完成调研" in html and "进度 40%" in html
    assert "待签收" in html and "办理中" in html  # from → to in the timeline


@pytest.mark.parametrize("target", ["item-summary", "item-assignments", "item-journal"])
def test_item_page_htmx_refresh_renders_only_the_asked_part(client, users, item, target):
    client.force_login(users["staff"])
    response = client.get(url("item_detail", item), **htmx(target))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<section id="{target}"')
    assert "<html" not in html
    assert "HX-Target" in response["Vary"]


def test_item_page_htmx_request_without_known_target_gets_the_whole_page(client, users, item):
    client.force_login(users["staff"])
    html = client.get(url("item_detail", item), **htmx("somewhere")).content.decode()
    assert "<html" in html


@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        ("staff", "own", 200),
        ("other_staff", "other", 404),
        ("staff", "other", 404),
        ("staff", "draft", 404),
        ("manager", "own", 200),
        ("manager", "draft", 404),
        ("office", "draft", 200),
        ("office", "other", 200),
    ],
)
def test_item_page_permission_matrix(client, users, item, other_item, draft, who, which, status):
    items = {"own": item, "other": other_item, "draft": draft}
    client.force_login(users[who])
    assert client.get(url("item_detail", items[which])).status_code == status


def test_item_page_sends_anonymous_to_login(client, item):
    response = client.get(url("item_detail", item))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_their_own_actions_only(client, users, item, lead):
    client.force_login(users["staff"])
    html = client.get(url("item_detail", item)).content.decode()
    assert reverse("tracker:assignment_update", args=[lead.pk, "accept"]) in html
    support = item.assignments.get(role=Assignment.Role.SUPPORT)
    assert reverse("tracker:assignment_update", args=[support.pk, "accept"]) not in html
    assert url("item_comment", item) not in html
    assert url("item_cancel", item) not in html


def test_managers_may_comment_but_not_act(client, users, item, lead):
    client.force_login(users["manager"])
    html = client.get(url("item_detail", item)).content.decode()
    assert url("item_comment", item) in html
    assert not re.search(r"/assignments/\d+/(?!notice/)", html)  # the printable notice only
    assert url("item_cancel", item) not in html


def test_office_sees_review_buttons_on_a_draft(client, users, draft):
    client.force_login(users["office"])
    html = client.get(url("item_detail", draft)).content.decode()
    assert url("item_update", draft) in html
    assert url("item_confirm", draft) in html
    assert url("item_cancel", draft) in html
    assert "泛指·待分解" in html


def test_item_page_runs_the_same_queries_for_a_small_and_a_big_item(
    client, users, make_item, departments, django_assert_max_num_queries, today
):
    from tracker.models import Department

    small = make_item(lead=departments["nongban"], deadline=today)
    towns = [Department.objects.create(name=f"第{i}镇", kind=Department.Kind.TOWNSHIP) for i in range(30)]
    big = make_item(lead=departments["nongban"], support=towns, deadline=today)
    for a in big.assignments.all()[:20]:
        a.accept(by=users["office"])
        a.report_progress(by=users["office"], progress=30, note="进展")
    client.force_login(users["office"])
    client.get(url("item_detail", small))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_run:
        client.get(url("item_detail", small))
    with django_assert_max_num_queries(len(small_run)):
        response = client.get(url("item_detail", big))
    assert response.content.decode().count('class="asg ') == 31
    assert len(small_run) <= 8


def test_item_page_shows_the_newest_journal_records_and_the_rest_on_request(client, users, lead, monkeypatch):
    monkeypatch.setattr("tracker.views.JOURNAL_SHOWN", 3)
    lead.accept(by=users["staff"])
    for pct in (10, 20, 30, 40):
        lead.report_progress(by=users["staff"], progress=pct, note=f"第{pct}次反馈")
    client.force_login(users["staff"])
    html = client.get(url("item_detail", lead.item)).content.decode()
    assert html.count('<li class="tl ') == 3
    assert "第40次反馈" in html and "第10次反馈" not in html  # newest first
    assert f'href="/items/{lead.item_id}/?journal=all#item-journal"' in html
    whole = client.get(url("item_detail", lead.item), {"journal": "all"}).content.decode()
    assert whole.count('<li class="tl ') == lead.item.journal.count() > 3
    assert "?journal=all" not in whole


# --- edit a draft -------------------------------------------------------------------------------------


def draft_data(item, **extra):
    lead = [a.department_id for a in item.assignments.all() if a.role == "lead" and not a.department.is_group]
    data = {
        "text": item.text,
        "deadline": item.deadline.isoformat() if item.deadline else "",
        "deadline_kind": "date" if item.deadline else "none",
        "deadline_text": "",
        "targets_text": "",
        "lead": lead,
        "support": [],
    }
    data.update(extra)
    return data


def test_office_opens_the_draft_editor_as_page_and_as_dialog(client, users, draft):
    client.force_login(users["office"])
    page = client.get(url("item_update", draft))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    fragment = client.get(url("item_update", draft), **htmx("dialog-body"))
    html = fragment.content.decode()
    assert html.lstrip().startswith('<form id="action-form"')
    assert "hx-post" in html
    assert "“相关部门”（配合）分解为" in html


def test_editing_a_draft_saves_text_deadline_targets_and_departments(client, users, draft, departments):
    client.force_login(users["office"])
    data = draft_data(
        draft,
        text="市农办要抓好落实（修改）",
        deadline="2026-12-31",
        deadline_text="年底前",
        targets_text="PM2.5年均浓度 <= 45 微克/立方米",
        support=[departments["jiaoti"].pk],
    )
    data[f"group_{departments['related'].pk}"] = [departments["town"].pk]
    response = client.post(url("item_update", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "市农办要抓好落实（修改）"
    assert draft.deadline == datetime.date(2026, 12, 31)
    assert draft.deadline_kind == "date"
    assert draft.targets == [
        {"metric": "PM2.5年均浓度", "op": "<=", "value": 45, "unit": "微克/立方米", "stretch": None}
    ]
    roles = {a.department.name: a.role for a in draft.assignments.select_related("department")}
    assert roles == {"市农办": "lead", "教体局": "support", "甘霖镇": "support"}


def test_editing_a_draft_can_move_a_department_and_remove_one(client, users, make_item, departments):
    item = make_item(
        lead=departments["nongban"], support=[departments["jiaoti"]], state=ActionItem.State.DRAFT
    )
    client.force_login(users["office"])
    data = draft_data(item, lead=[departments["jiaoti"].pk], support=[])
    assert client.post(url("item_update", item), data).status_code == 302
    roles = {a.department.name: a.role for a in item.assignments.select_related("department")}
    assert roles == {"教体局": "lead"}
    note = JournalEntry.objects.filter(item=item, action="revise").latest("id").note
    assert "移除市农办" in note and "教体局改为牵头" in note


def test_a_department_cannot_lead_and_support_at_once(client, users, draft, departments):
    client.force_login(users["office"])
    nongban = departments["nongban"].pk
    response = client.post(
        url("item_update", draft), draft_data(draft, support=[nongban]), **htmx("action-form")
    )
    assert response.status_code == 200
    assert "不能既牵头又配合" in response.content.decode()
    assert not draft.assignments.filter(role="support", department_id=nongban).exists()


def test_resolving_township_group_with_the_all_box_assigns_every_township(
    client, users, make_item, departments
):
    item = make_item(lead=departments["towns"], state=ActionItem.State.DRAFT)
    client.force_login(users["office"])
    data = draft_data(item)
    data[f"group_{departments['towns'].pk}_all"] = "on"
    assert client.post(url("item_update", item), data).status_code == 302
    assert [a.department.name for a in item.assignments.select_related("department")] == ["甘霖镇"]
    assert item.assignments.get().role == "lead"


def test_saving_a_draft_with_htmx_closes_the_dialog_and_refreshes(client, users, draft):
    client.force_login(users["office"])
    response = client.post(
        url("item_update", draft), draft_data(draft, text="新的措辞"), **htmx("action-form")
    )
    assert response.status_code == 204
    triggers = json.loads(response["HX-Trigger"])
    assert {"itemUpdated", "closeDialog"} <= set(triggers)


MATRIX = [
    ("staff", "own", 403),
    ("manager", "own", 403),
    ("staff", "other", 404),
    ("other_staff", "other", 404),
]


@pytest.mark.parametrize(("who", "which", "status"), MATRIX)
def test_only_the_office_edits_items(client, users, item, other_item, who, which, status):
    client.force_login(users[who])
    target = item if which == "own" else other_item
    assert client.get(url("item_update", target)).status_code == status


def test_the_office_cannot_edit_an_assigned_item(client, users, item):
    client.force_login(users["office"])
    assert client.get(url("item_update", item)).status_code == 403


def test_drafts_are_not_found_by_staff(client, users, draft):
    client.force_login(users["staff"])
    assert client.get(url("item_update", draft)).status_code == 404


# --- confirm --------------------------------------------------------------------------------------------


def test_confirming_a_draft_with_an_unresolved_group_shows_the_error(client, users, draft):
    client.force_login(users["office"])
    response = client.post(url("item_confirm", draft), **htmx("action-form"))
    assert response.status_code == 200
    assert "请先把泛指单位分解为具体单位" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.DRAFT


def test_confirming_a_clean_draft_assigns_it(client, users, make_item, departments):
    item = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    client.force_login(users["office"])
    page = client.get(url("item_confirm", item))
    assert page.status_code == 200 and "市农办" in page.content.decode()
    assert client.get(url("item_confirm", item), **htmx("dialog-body")).status_code == 200
    response = client.post(url("item_confirm", item))
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.state == ActionItem.State.ACTIVE
    assert JournalEntry.objects.filter(item=item, action="confirm").count() == 1


def test_a_draft_from_a_ledger_shows_its_recorded_state_and_starts_in_it_when_confirmed(
    client, users, make_item, departments
):
    item = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    ActionItem.objects.filter(pk=item.pk).update(
        recorded_status="in_progress", recorded_progress=80, recorded_text="进展情况:推进中80%"
    )
    client.force_login(users["office"])
    assert "台账记录：推进中 80%" in client.get(item.get_absolute_url()).content.decode()
    dialog = client.get(url("item_confirm", item), **htmx("dialog-body")).content.decode()
    assert "按导入台账的记录“进展情况:推进中80%”直接记为办理中，进度 80%" in dialog
    client.post(url("item_confirm", item))
    assert item.assignments.get().status == Assignment.Status.IN_PROGRESS
    note = JournalEntry.objects.get(item=item, action="import").note
    assert "进展情况:推进中80%" in note
    assert "按导入台账记录的状态开始办理" in client.get(item.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("who", "which", "status"), MATRIX)
def test_only_the_office_confirms(client, users, item, other_item, who, which, status):
    client.force_login(users[who])
    target = item if which == "own" else other_item
    assert client.post(url("item_confirm", target)).status_code == status


def test_anonymous_users_are_sent_to_login_from_every_item_view(client, item):
    for name in ("item_update", "item_confirm", "item_cancel", "item_comment"):
        response = client.get(url(name, item))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


# --- cancel ---------------------------------------------------------------------------------------------


def test_cancel_requires_a_reason_and_changes_nothing_without_one(client, users, item):
    client.force_login(users["office"])
    before = JournalEntry.objects.count()
    response = client.post(url("item_cancel", item), {"reason": ""}, **htmx("action-form"))
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ActionItem.State.ACTIVE
    assert JournalEntry.objects.count() == before


def test_office_cancels_an_item_with_a_reason(client, users, item):
    client.force_login(users["office"])
    assert client.get(url("item_cancel", item)).status_code == 200
    assert client.get(url("item_cancel", item), **htmx("dialog-body")).status_code == 200
    response = client.post(url("item_cancel", item), {"reason": "重复立项"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.cancel_reason) == (ActionItem.State.CANCELLED, "重复立项")
    assert JournalEntry.objects.filter(item=item, action="cancel").count() == 1


@pytest.mark.parametrize(("who", "which", "status"), MATRIX)
def test_only_the_office_cancels(client, users, item, other_item, who, which, status):
    client.force_login(users[who])
    target = item if which == "own" else other_item
    assert client.post(url("item_cancel", target), {"reason": "x"}).status_code == status
    target.refresh_from_db()
    assert target.state == ActionItem.State.ACTIVE


# --- comment --------------------------------------------------------------------------------------------


def test_manager_leaves_an_instruction(client, users, item):
    client.force_login(users["manager"])
    page = client.get(url("item_comment", item))
    assert page.status_code == 200
    fragment = client.get(url("item_comment", item), **htmx("dialog-body"))
    assert fragment.content.decode().lstrip().startswith('<form id="action-form"')
    response = client.post(
        url("item_comment", item), {"kind": "instruction", "note": "抓紧办理"}, **htmx("action-form")
    )
    assert response.status_code == 204
    entry = JournalEntry.objects.filter(item=item).latest("id")
    assert (entry.action, entry.note, entry.actor) == ("instruction", "抓紧办理", users["manager"])


def test_office_comments(client, users, item):
    client.force_login(users["office"])
    response = client.post(url("item_comment", item), {"kind": "comment", "note": "已电话催办"})
    assert response.status_code == 302
    assert JournalEntry.objects.filter(item=item, action="comment").count() == 1


def test_an_empty_comment_is_refused(client, users, item):
    client.force_login(users["manager"])
    before = JournalEntry.objects.count()
    response = client.post(
        url("item_comment", item), {"kind": "comment", "note": "  "}, **htmx("action-form")
    )
    assert response.status_code == 200
    assert JournalEntry.objects.count() == before


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("other_staff", 404)])
def test_staff_may_not_comment(client, users, item, other_item, who, status):
    client.force_login(users[who])
    target = item if who == "staff" else other_item
    assert client.post(url("item_comment", target), {"kind": "comment", "note": "x"}).status_code == status


# --- evidence downloads -------------------------------------------------------------------------------


@pytest.fixture
def evidence(settings, tmp_path, users, lead):
    """A progress report of 市农办 with a PDF attached."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    lead.accept(by=users["staff"])
    return lead.report_progress(
        by=users["staff"], progress=20, note="附件", attachment=SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n")
    )


def attachment_url(entry):
    return reverse("tracker:journal_attachment", args=[entry.pk])


def test_the_timeline_links_evidence_through_the_protected_download(client, users, evidence, item):
    client.force_login(users["staff"])
    html = client.get(url("item_detail", item)).content.decode()
    assert attachment_url(evidence) in html
    assert "/media/" not in html


@pytest.mark.parametrize("who", ["staff", "manager", "office", "other_staff"])
def test_everyone_who_sees_the_item_downloads_its_evidence(client, users, evidence, who):
    client.force_login(users[who])  # 教体局 (other_staff) supports the item, so it sees it too
    response = client.get(attachment_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert "attachment;" in response["Content-Disposition"]


def test_evidence_of_an_item_out_of_sight_is_not_found(
    client, users, evidence, departments, django_user_model
):
    from tests.conftest import make_user
    from tracker.permissions import STAFF

    outsider = make_user("zhen", STAFF, departments["town"])
    client.force_login(outsider)
    assert client.get(attachment_url(evidence)).status_code == 404


def test_evidence_download_sends_anonymous_users_to_login(client, evidence):
    response = client.get(attachment_url(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_entry_without_evidence_has_nothing_to_download(client, users, item):
    client.force_login(users["office"])
    entry = JournalEntry.objects.filter(item=item).first()
    assert client.get(attachment_url(entry)).status_code == 404


def test_leads_are_listed_before_supports(client, users, make_item, departments):
    item = make_item(lead=departments["town"], support=[departments["jiaoti"], departments["nongban"]])
    client.force_login(users["office"])
    assignments = client.get(url("item_detail", item)).context["assignments"]
    assert [a.role for a in assignments] == ["lead", "support", "support"]
    assert assignments[0].department.name == "甘霖镇"


def test_a_new_deadline_on_a_draft_becomes_its_assignments_due_date(client, users, draft):
    client.force_login(users["office"])
    client.post(url("item_update", draft), draft_data(draft, deadline="2026-10-31"))
    assert set(draft.assignments.values_list("due_date", flat=True)) == {datetime.date(2026, 10, 31)}
