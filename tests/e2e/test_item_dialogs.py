"""The item page's dialogs in a real browser: open, refuse bad input, keep focus, close, refresh.

Builds on the fixtures of test_flow.py (the seed city's departments, one user per role).
"""

import datetime
import time
from pathlib import Path

import pytest

from tests.e2e import test_flow
from tests.e2e.conftest import CHROMIUM
from tests.e2e.test_flow import csp_errors, log_in, url
from tracker.models import ActionItem, Assignment, Department, JournalEntry, Meeting

people = test_flow.people  # the fixture: the seed city's departments and one user per role

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("async_unsafe_allowed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


def wait_until(page, script: str, timeout: float = 5.0):
    """Poll a script until it is true (wait_for_function would need eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {script}"
        page.wait_for_timeout(50)


def is_open(page) -> bool:
    return page.evaluate("document.getElementById('action-dialog').open")


@pytest.fixture
def meeting(people):
    text = "会议要求,市农办要抓好高标准农田建设,年底前完成。相关部门要做好配合。"
    return Meeting.objects.create(
        kind=Meeting.Kind.EXECUTIVE,
        session=16,
        number=9,
        title="十六届政府第9次常务会议",
        date=datetime.date.today(),
        natural_key="executive:16:9",
        text=text,
    )


@pytest.fixture
def item(meeting, people):
    """An assigned item led by 市农办, due in 40 days."""
    item = ActionItem.objects.create(
        meeting=meeting,
        position=1,
        text="市农办要抓好高标准农田建设,年底前完成",
        span_start=5,
        span_end=24,
        deadline=datetime.date.today() + datetime.timedelta(days=40),
    )
    Assignment.objects.create(item=item, department=Department.objects.get(name="市农办"), role="lead")
    item.confirm(by=people["office"])
    return item


def test_staff_fix_a_refused_progress_report_in_the_dialog_and_attach_evidence(
    new_page, live_server, people, item, shots, tmp_path
):
    page = log_in(new_page, live_server, "lianluo")
    page.goto(url(live_server, "tracker:item_detail", item.pk))
    page.get_by_role("button", name="签收").click()
    page.get_by_role("link", name="进展反馈").click()
    dialog = page.locator("dialog#action-dialog[open]")
    dialog.wait_for()
    wait_until(page, "document.activeElement.id === 'id_progress'")

    # The browser would stop an empty note; take the check away to see the server refuse it.
    page.evaluate("document.getElementById('id_note').removeAttribute('required')")
    dialog.get_by_label("完成进度（%）").fill("30")
    dialog.get_by_role("button", name="提交进展").click()
    dialog.locator(".errorlist").wait_for()
    assert is_open(page)
    wait_until(page, "document.activeElement.id === 'id_note'")  # focus goes to the field to fix
    shots(page, "b1-dialog-refused")

    evidence = tmp_path / "现场照片.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    dialog.get_by_label("进展情况").fill("已完成一半地块的平整。")
    dialog.get_by_label("附件（证明材料）").set_input_files(str(evidence))
    dialog.get_by_role("button", name="提交进展").click()
    page.locator("#item-journal").get_by_text("已完成一半地块的平整。").wait_for()
    assert not is_open(page)
    page.locator("#item-assignments").get_by_text("进度 30%").wait_for()
    entry = JournalEntry.objects.get(item=item, action=JournalEntry.Action.PROGRESS)
    assert entry.attachment.name.endswith(".png")
    with page.expect_download() as download:
        page.locator("#item-journal").get_by_role("link", name="附件").click()
    assert download.value.suggested_filename.endswith(".png")
    shots(page, "b2-item-after-evidence", full_page=True)
    assert not csp_errors(page), csp_errors(page)


def test_a_dialog_closes_with_escape_and_with_its_cancel_button(new_page, live_server, people, item):
    page = log_in(new_page, live_server, "lianluo")
    page.goto(url(live_server, "tracker:item_detail", item.pk))
    page.get_by_role("link", name="申请延期").click()
    page.locator("dialog#action-dialog[open]").wait_for()
    page.keyboard.press("Escape")
    wait_until(page, "!document.getElementById('action-dialog').open")
    page.get_by_role("link", name="退回").click()
    page.locator("dialog#action-dialog[open]").wait_for()
    page.locator("#action-form").get_by_role("button", name="取消").click()
    wait_until(page, "!document.getElementById('action-dialog').open")
    assert Assignment.objects.get(item=item).status == Assignment.Status.PENDING


def test_the_office_resolves_a_group_word_and_confirms_a_draft(new_page, live_server, people, meeting, shots):
    draft = ActionItem.objects.create(
        meeting=meeting, position=2, text="相关部门要做好配合", span_start=25, span_end=34
    )
    Assignment.objects.create(item=draft, department=Department.objects.get(name="相关部门"), role="lead")
    page = log_in(new_page, live_server, "duban")
    page.goto(url(live_server, "tracker:item_detail", draft.pk))
    page.get_by_role("link", name="确认交办").click()
    dialog = page.locator("dialog#action-dialog[open]")
    dialog.get_by_role("button", name="确认交办").click()
    dialog.get_by_text("请先把泛指单位分解为具体单位").wait_for()

    dialog.get_by_role("link", name="编辑草稿").click()
    dialog.get_by_text("分解泛指单位").wait_for()
    dialog.locator("fieldset", has_text="“相关部门”（牵头）分解为").get_by_label("市农办").check()
    dialog.get_by_label("完成时限").fill("2030-06-30")
    shots(page, "b3-draft-editor")
    dialog.get_by_role("button", name="保存").click()
    page.locator("#item-assignments").get_by_text("市农办").wait_for()

    page.get_by_role("link", name="确认交办").click()
    page.locator("dialog#action-dialog[open]").get_by_role("button", name="确认交办").click()
    page.locator("#item-summary .state-active").wait_for()
    draft.refresh_from_db()
    assert draft.state == ActionItem.State.ACTIVE
    assert [(a.department.name, a.due_date) for a in draft.assignments.all()] == [
        ("市农办", datetime.date(2030, 6, 30))
    ]
    assert not csp_errors(page), csp_errors(page)


def test_dashboard_sorts_its_table_without_reloading_the_page(new_page, live_server, people, item):
    page = log_in(new_page, live_server, "lingdao")
    page.goto(url(live_server, "tracker:dashboard"))
    page.locator("#dept-table").get_by_role("link", name="单位").click()
    page.wait_for_url("**/dashboard/?sort=name")
    assert page.locator("#dept-table th[aria-sort]").inner_text().strip() == "单位"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert not csp_errors(page), csp_errors(page)


def test_the_office_reminds_and_the_department_opens_its_notice_ready_to_print(
    new_page, live_server, people, item, shots
):
    office = log_in(new_page, live_server, "duban")
    office.goto(url(live_server, "tracker:item_detail", item.pk))
    office.get_by_role("link", name="催办").click()
    dialog = office.locator("dialog#action-dialog[open]")
    dialog.wait_for()
    dialog.get_by_label("催办意见").fill("请于本周五前报送进展。")
    dialog.get_by_role("button", name="发出催办").click()
    office.locator("#item-journal .tl-remind").get_by_text("请于本周五前报送进展。").wait_for()
    reminder = JournalEntry.objects.get(item=item, action=JournalEntry.Action.REMIND)
    assert reminder.actor == people["office"]

    staff = log_in(new_page, live_server, "lianluo")
    staff.goto(url(live_server, "tracker:item_detail", item.pk))
    staff.get_by_role("link", name="督办单").click()
    staff.get_by_role("heading", name="督办通知单").wait_for()
    assert staff.get_by_role("button", name="打印督办单").is_visible()  # shown by script only
    assert "已催办 1 次" in staff.locator(".notice").inner_text()
    shots(staff, "b4-assignment-notice", full_page=True)
    assert not csp_errors(staff), csp_errors(staff)
