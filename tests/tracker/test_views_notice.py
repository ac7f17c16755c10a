"""The printable 督办单 of an assignment: who may see it and what it says."""

import datetime

import pytest
from django.urls import reverse

from tracker.models import ActionItem, Assignment

S = Assignment.Status


def notice_url(assignment):
    return reverse("tracker:assignment_notice", args=[assignment.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("manager", 200), ("staff", 200), ("other_staff", 404)],
)
def test_the_notice_is_shown_to_whoever_may_see_the_assignment(client, users, lead, role, status):
    client.force_login(users[role])
    assert client.get(notice_url(lead)).status_code == status


def test_a_support_department_sees_its_own_notice_but_not_the_leads(client, users, item, lead, departments):
    support = item.assignments.get(department=departments["jiaoti"])
    client.force_login(users["other_staff"])
    assert client.get(notice_url(support)).status_code == 200
    assert client.get(notice_url(lead)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, lead):
    response = client.get(notice_url(lead))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_draft_has_no_notice_yet(client, users, make_item, departments):
    draft = make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    client.force_login(users["office"])
    assert client.get(notice_url(draft.assignments.get())).status_code == 404


def test_the_notice_only_answers_get(client, users, lead):
    client.force_login(users["office"])
    assert client.post(notice_url(lead)).status_code == 405


def test_the_notice_names_department_item_source_deadline_and_the_other_departments(
    client, users, item, lead, today, settings
):
    settings.DUBAN_NOTICE_ISSUER = "嵊州市人民政府督查室"
    client.force_login(users["office"])
    html = client.get(notice_url(lead)).content.decode()
    assert "<strong>市农办</strong>（牵头）" in html
    assert item.text in html
    assert "十六届政府第1次常务会议（2026年3月13日），第 1 项" in html
    assert f"{item.deadline:%Y}年{item.deadline.month}月{item.deadline.day}日" in html
    assert "距到期还有 30 天" in html
    assert "教体局（配合）" in html
    assert "嵊州市人民政府督查室（盖章）" in html
    assert f"督办〔{lead.created_at:%Y}〕第 {lead.pk} 号" in html
    assert "尚未催办" in html


def test_an_overdue_assignment_says_by_how_many_days(client, users, lead, today):
    Assignment.objects.filter(pk=lead.pk).update(due_date=today - datetime.timedelta(days=12))
    client.force_login(users["staff"])
    assert "已逾期 12 天" in client.get(notice_url(lead)).content.decode()


def test_the_notice_lists_the_reminders_sent(client, users, lead):
    lead.remind(by=users["office"], note="请于周五前报送进展")
    lead.remind(by=users["office"])
    client.force_login(users["staff"])
    html = client.get(notice_url(lead)).content.decode()
    assert "已催办 2 次" in html
    assert "请于周五前报送进展" in html and "请抓紧办理，按时反馈进展。" in html


def test_the_notice_reads_a_constant_number_of_queries_however_many_reminders(
    client, users, lead, django_assert_max_num_queries
):
    client.force_login(users["office"])
    for _ in range(12):
        lead.remind(by=users["office"])
    with django_assert_max_num_queries(8):
        html = client.get(notice_url(lead)).content.decode()
    assert "已催办 12 次，最近 5 次" in html


def test_the_item_page_links_each_assignments_notice(client, users, item, lead):
    client.force_login(users["staff"])
    html = client.get(reverse("tracker:item_detail", args=[item.pk])).content.decode()
    assert notice_url(lead) in html
