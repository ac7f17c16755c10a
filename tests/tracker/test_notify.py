"""Mail notices of 交办 and 催办: who gets them, what they say, and that they never undo a change."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from tests.conftest import make_user
from tracker import notify
from tracker.management.commands.setup_demo import ensure_groups
from tracker.models import ActionItem, Assignment, JournalEntry
from tracker.permissions import STAFF

S = Assignment.Status


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("connection refused")


@pytest.fixture
def mail_on(settings):
    settings.DUBAN_MAIL_NOTICES = True
    settings.DUBAN_SITE_URL = "http://duban.example.gov.cn/"
    settings.DUBAN_NOTICE_ISSUER = "市政府督查室"
    return settings


@pytest.fixture
def addresses(users, departments):
    """Give the two staff users addresses, and add people of 市农办 who must not get its mail."""
    users["staff"].email = "lianluo@nongban.gov.cn"
    users["staff"].save()
    users["other_staff"].email = "jiaoti@jiaoti.gov.cn"
    users["other_staff"].save()
    users["office"].email = "duban@fuban.gov.cn"  # the office belongs to 市农办 in these fixtures
    users["office"].save()
    make_user("nongban2", STAFF, departments["nongban"], email="second@nongban.gov.cn")
    make_user("left", STAFF, departments["nongban"], email="left@nongban.gov.cn", is_active=False)
    make_user("noaddress", STAFF, departments["nongban"])
    return users


def remind(client, assignment, note=""):
    url = reverse("tracker:assignment_update", args=[assignment.pk, "remind"])
    return client.post(url, {"note": note})


def test_a_reminder_mails_the_departments_active_staff_with_an_address(
    client, mail_on, addresses, lead, django_capture_on_commit_callbacks
):
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(client, lead, "请于周五前报送进展").status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lianluo@nongban.gov.cn", "second@nongban.gov.cn"]
    assert mail.outbox[0].subject.startswith("【催办】市农办：市农办要按照部署抓好落实")


def test_a_reminder_says_what_when_how_far_and_the_offices_words(
    client, mail_on, addresses, lead, today, django_capture_on_commit_callbacks
):
    Assignment.objects.filter(pk=lead.pk).update(
        status=S.IN_PROGRESS, progress=40, due_date=today - datetime.timedelta(days=3)
    )
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, lead, "请于周五前报送进展")
    body = mail.outbox[0].body
    assert "事项：市农办要按照部署抓好落实" in body
    assert "来源：十六届政府第1次常务会议（2026年3月13日）第 1 项" in body
    assert "承办角色：牵头单位" in body
    assert "办理期限：2026年6月12日（已逾期 3 天）" in body
    assert "当前状态：办理中，进度 40%" in body
    assert "催办意见：请于周五前报送进展" in body
    assert f"查看和办理：http://duban.example.gov.cn/items/{lead.item_id}/" in body


def test_a_reminder_without_words_or_site_address_uses_the_standard_text(
    client, mail_on, addresses, lead, django_capture_on_commit_callbacks
):
    mail_on.DUBAN_SITE_URL = ""
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, lead)
    body = mail.outbox[0].body
    assert "催办意见：请抓紧办理，按时反馈进展。" in body
    assert "请登录督办系统查看和办理。" in body
    assert "http" not in body


def test_nothing_is_mailed_when_notices_are_off(
    client, settings, addresses, lead, django_capture_on_commit_callbacks
):
    settings.DUBAN_MAIL_NOTICES = False
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, lead)
    assert JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.REMIND).exists()
    assert mail.outbox == []


def test_a_refused_reminder_mails_nothing(
    client, mail_on, addresses, lead, django_capture_on_commit_callbacks
):
    Assignment.objects.filter(pk=lead.pk).update(status=S.DONE)
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, lead)
    assert not JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.REMIND).exists()
    assert mail.outbox == []


def test_the_mail_waits_for_the_commit(client, mail_on, addresses, lead, django_capture_on_commit_callbacks):
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remind(client, lead)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_mail_server_that_fails_leaves_the_reminder_made_and_logs_it(
    client, mail_on, addresses, lead, caplog, django_capture_on_commit_callbacks
):
    mail_on.MAILERS = {"default": {"BACKEND": "tests.tracker.test_notify.BrokenBackend"}}
    client.force_login(addresses["office"])
    with (
        caplog.at_level(logging.ERROR, logger="tracker.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = remind(client, lead)
    assert response.status_code == 302
    assert JournalEntry.objects.filter(assignment=lead, action=JournalEntry.Action.REMIND).exists()
    assert "督办通知邮件发送失败" in caplog.text


def test_the_offices_bulk_reminder_in_the_admin_mails_each_department(
    client, mail_on, addresses, item, lead, departments, django_capture_on_commit_callbacks
):
    ensure_groups()  # the office's rights in the admin
    support = item.assignments.get(department=departments["jiaoti"])
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:tracker_assignment_changelist"),
            {"action": "remind_assignments", "_selected_action": [lead.pk, support.pk]},
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["jiaoti@jiaoti.gov.cn", "lianluo@nongban.gov.cn"]


def test_confirming_a_draft_mails_each_assigned_department_its_role(
    client, mail_on, addresses, make_item, departments, today, django_capture_on_commit_callbacks
):
    draft = make_item(
        lead=departments["nongban"],
        support=[departments["jiaoti"]],
        state=ActionItem.State.DRAFT,
        deadline=today + datetime.timedelta(days=10),
    )
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tracker:item_confirm", args=[draft.pk]))
    assert response.status_code == 302
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"lianluo@nongban.gov.cn", "jiaoti@jiaoti.gov.cn"}
    assert by_address["lianluo@nongban.gov.cn"].subject == "【交办】市农办：市农办要按照部署抓好落实"
    assert "承办角色：牵头单位；办理期限：2026年6月25日" in by_address["lianluo@nongban.gov.cn"].body
    assert "承办角色：配合单位" in by_address["jiaoti@jiaoti.gov.cn"].body


def test_several_items_assigned_at_once_make_one_message_a_department(
    mail_on, addresses, make_item, departments, django_capture_on_commit_callbacks
):
    first = make_item(lead=departments["nongban"], text="市农办要抓好春耕生产")
    second = make_item(
        lead=departments["nongban"], support=[departments["jiaoti"]], text="市农办要做好防汛准备"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert notify.assigned([first, second]) == 2  # 市农办 and 教体局

    nongban = next(m for m in mail.outbox if m.to[0] == "lianluo@nongban.gov.cn")
    assert nongban.subject == "【交办】市农办：新交办事项 2 项"
    assert "1. 市农办要抓好春耕生产" in nongban.body and "2. 市农办要做好防汛准备" in nongban.body
    jiaoti = next(m for m in mail.outbox if m.to[0] == "jiaoti@jiaoti.gov.cn")
    assert "市农办要抓好春耕生产" not in jiaoti.body


def test_drafts_and_departments_without_addresses_get_no_mail(mail_on, users, make_item, departments):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    active = make_item(lead=departments["town"])
    assert notify.assigned([draft, active]) == 0
    assert mail.outbox == []


def test_the_reminder_form_says_whether_a_mail_goes_out(client, settings, users, lead):
    client.force_login(users["office"])
    url = reverse("tracker:assignment_update", args=[lead.pk, "remind"])
    settings.DUBAN_MAIL_NOTICES = False
    assert "邮件" not in client.get(url).content.decode()
    settings.DUBAN_MAIL_NOTICES = True
    assert "以邮件通知该单位的联络员" in client.get(url).content.decode()


def test_the_offices_bulk_confirm_in_the_admin_mails_each_department_once(
    client, mail_on, addresses, make_item, departments, django_capture_on_commit_callbacks
):
    ensure_groups()
    drafts = [
        make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT, text=f"市农办要完成第{n}项工作")
        for n in (1, 2)
    ]
    client.force_login(addresses["office"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:tracker_actionitem_changelist"),
            {"action": "confirm_items", "_selected_action": [d.pk for d in drafts]},
        )
    assert [m.subject for m in mail.outbox] == ["【交办】市农办：新交办事项 2 项"]


def test_reminders_of_many_assignments_are_read_in_two_queries(
    mail_on, addresses, make_item, departments, django_assert_num_queries, django_capture_on_commit_callbacks
):
    chased = [
        make_item(
            lead=departments["nongban"], support=[departments["jiaoti"]], text=f"第{n}项"
        ).assignments.all()
        for n in range(3)
    ]
    chased = [a for assignments in chased for a in assignments]
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):
        assert notify.reminded(chased) == 6
    assert len(mail.outbox) == 6
