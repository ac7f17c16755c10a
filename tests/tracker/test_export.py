"""The 台账 export: the filtered list as an .xlsx with Chinese headers and real dates."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracker.models import ActionItem, Assignment, User
from tracker.tables import LEDGER_HEADERS, ledger_rows, write_ledger

DAY = datetime.timedelta(days=1)


def download(client, **query):
    response = client.get(reverse("tracker:item_export"), query)
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(workbook):
    return list(workbook.active.iter_rows(values_only=True))


def column(workbook, header):
    sheet = rows(workbook)
    index = sheet[0].index(header)
    return [row[index] for row in sheet[1:]]


def test_export_is_an_xlsx_attachment(client, users, item):
    client.force_login(users["staff"])
    response, _ = download(client)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]


def test_export_has_chinese_headers(client, users, item):
    client.force_login(users["office"])
    _, workbook = download(client)
    header = rows(workbook)[0]
    for name in (
        "序号",
        "会议",
        "事项内容",
        "承办单位",
        "角色",
        "办理状态",
        "进度(%)",
        "到期日",
        "亮灯",
        "完成时限原文",
    ):
        assert name in header
    assert workbook.active.title == "督办台账"


def test_export_writes_one_row_per_assignment(client, users, item, today):
    client.force_login(users["office"])
    _, workbook = download(client)
    sheet = rows(workbook)
    assert len(sheet) == 3
    assert column(workbook, "序号") == [1, 2]
    assert sorted(column(workbook, "承办单位")) == sorted(["市农办", "教体局"])
    assert set(column(workbook, "事项内容")) == {item.text}
    assert set(column(workbook, "亮灯")) == {"正常"}
    assert set(column(workbook, "办理状态")) == {"待签收"}


def test_export_dates_are_real_dates(client, users, item, today):
    client.force_login(users["staff"])
    _, workbook = download(client)
    header = rows(workbook)[0]
    cell = workbook.active.cell(row=2, column=header.index("到期日") + 1)
    assert cell.is_date
    assert cell.value.date() == today + 30 * DAY
    assert cell.number_format == "yyyy-mm-dd"
    meeting_day = workbook.active.cell(row=2, column=header.index("会议日期") + 1)
    assert meeting_day.is_date and meeting_day.value.date() == item.meeting.date


def test_export_leaves_missing_dates_empty(client, users, make_item, departments):
    make_item(lead=departments["nongban"], deadline=None)
    client.force_login(users["staff"])
    _, workbook = download(client)
    assert column(workbook, "到期日") == [None]


def test_export_follows_the_filters(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="逾期事项", deadline=today - DAY)
    make_item(lead=departments["nongban"], text="正常事项", deadline=today + 30 * DAY)
    client.force_login(users["staff"])
    _, workbook = download(client, light="red")
    assert column(workbook, "事项内容") == ["逾期事项"]


def test_export_follows_the_sort(client, users, make_item, departments, today):
    make_item(lead=departments["nongban"], text="早", deadline=today + DAY)
    make_item(lead=departments["nongban"], text="晚", deadline=today + 9 * DAY)
    client.force_login(users["staff"])
    _, ascending = download(client, sort="due_date")
    _, descending = download(client, sort="-due_date")
    assert column(ascending, "事项内容") == ["早", "晚"]
    assert column(descending, "事项内容") == ["晚", "早"]


def test_staff_exports_only_own_department(client, users, item):
    client.force_login(users["other_staff"])
    _, workbook = download(client)
    assert column(workbook, "承办单位") == ["教体局"]


def test_export_leaves_out_drafts_for_staff(client, users, make_item, departments):
    make_item(lead=departments["nongban"], state=ActionItem.State.DRAFT)
    client.force_login(users["staff"])
    _, workbook = download(client)
    assert len(rows(workbook)) == 1


def test_anonymous_cannot_export(client, item):
    response = client.get(reverse("tracker:item_export"))
    assert response.status_code == 302


def test_user_without_role_may_not_export(client, departments):
    nobody = User.objects.create_user("nobody", password="pw-123456", department=departments["nongban"])
    client.force_login(nobody)
    assert client.get(reverse("tracker:item_export")).status_code == 403


def test_export_only_answers_get(client, users, db):
    client.force_login(users["staff"])
    assert client.post(reverse("tracker:item_export")).status_code == 405


def test_export_of_thousands_of_rows_runs_a_constant_number_of_queries(
    client, users, meeting, departments, today, django_assert_max_num_queries
):
    items = ActionItem.objects.bulk_create(
        ActionItem(meeting=meeting, position=i, text=f"事项{i}", state=ActionItem.State.ACTIVE)
        for i in range(1, 3001)
    )
    Assignment.objects.bulk_create(
        Assignment(
            item=item,
            department=departments["nongban"],
            due_date=today + (item.position % 40) * DAY,
            live=True,
        )
        for item in items
    )
    client.force_login(users["staff"])
    with django_assert_max_num_queries(8):
        response, workbook = download(client)
    assert len(rows(workbook)) == 3001


@pytest.mark.parametrize("count", [0, 1])
def test_write_ledger_returns_the_number_of_rows(lead, today, count):
    assignments = Assignment.objects.with_light()[:count]
    buffer = io.BytesIO()
    assert write_ledger(ledger_rows(assignments), buffer) == count
    buffer.seek(0)
    assert len(list(load_workbook(buffer).active.iter_rows())) == count + 1


def test_ledger_shows_labels_not_codes(lead, today):
    buffer = io.BytesIO()
    write_ledger(ledger_rows(Assignment.objects.with_light().filter(pk=lead.pk)), buffer)
    buffer.seek(0)
    values = next(load_workbook(buffer).active.iter_rows(min_row=2, values_only=True))
    row = dict(zip(LEDGER_HEADERS, values, strict=True))
    assert (row["角色"], row["办理状态"], row["亮灯"], row["事项状态"]) == (
        "牵头",
        "待签收",
        "正常",
        "已交办",
    )
    assert row["事项内容"] == lead.item.text and row["承办单位"] == "市农办"


def test_ledger_headers_are_unique_and_numbered_first():
    assert LEDGER_HEADERS[0] == "序号"
    assert len(LEDGER_HEADERS) == len(set(LEDGER_HEADERS))
