"""The whole flow in a real browser: import → 签收 and 进展反馈 → the manager's dashboard → access rules.

Chromium (Debian's package) is driven headless by Playwright against pytest-django's live server.
Screenshots of every page go to artifacts/e2e/ for a person to look at.
"""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM
from tracker.management.commands.setup_demo import DATA as DIRECTORY
from tracker.management.commands.setup_demo import SEED, ensure_groups, load_departments
from tracker.models import ActionItem, Assignment, Department, JournalEntry, Meeting, User
from tracker.permissions import MANAGER, OFFICE, STAFF

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are plain
    # synchronous code, so Django's guard is lifted for this module (DJANGO_ALLOW_ASYNC_UNSAFE).
    pytest.mark.usefixtures("async_unsafe_allowed"),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt install chromium)"
    ),
]

PASSWORD = "e2e-pass-123"
FARM_ITEM = "市农办要按照"  # the seed's item led by 市农办 (第70次常务会议)
NEWS_DOCX_LINES = [
    "市政府召开第8次常务会议",
    "2024年9月2日",
    "9月2日，市长王明主持召开市政府第8次常务会议。会议研究了《关于加快农村公路建设的实施意见》。",
    "会议要求，市农办要牵头抓好农村公路提升工程，12月底前完成年度任务。",
]


@pytest.fixture
def people(live_server):
    """The seed city's departments and one user per role, as a newcomer's `make demo` has them."""
    load_departments(json.loads(DIRECTORY.read_text(encoding="utf-8")))
    ensure_groups()

    def user(username, role, department, **extra):
        u = User.objects.create_user(
            username=username, password=PASSWORD, department=Department.objects.get(name=department), **extra
        )
        u.groups.add(Group.objects.get(name=role))
        return u

    return {
        "office": user("duban", OFFICE, "市府办", is_staff=True, last_name="王", first_name="督查"),
        "manager": user("lingdao", MANAGER, "市府办", last_name="李", first_name="市长"),
        "staff": user("lianluo", STAFF, "市农办", last_name="张", first_name="联络员"),
        "other_staff": user("jiaoti", STAFF, "教体局", last_name="赵", first_name="联络员"),
    }


def url(live_server, name, *args):
    return live_server.url + reverse(name, args=args)


def log_in(new_page, live_server, username, *, width=1280, height=900):
    """Open a fresh browser context and sign in through the login page."""
    page = new_page(width=width, height=height)
    problems = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.problems = problems
    page.goto(url(live_server, "login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)
    return page


def csp_errors(page) -> list[str]:
    return [p for p in page.problems if "Content Security Policy" in p]


def import_seed(new_page, live_server, shots):
    """The office pastes the seed, reviews the preview and confirms; return the office's page."""
    page = log_in(new_page, live_server, "duban")
    page.goto(url(live_server, "importer:import_start"))
    shots(page, "01-import-start")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.fill("#id_year", "2017")
    page.get_by_role("button", name="解析并预览").click()
    page.wait_for_url(re.compile(r"/import/[\w-]+/$"))
    page.get_by_role("heading", name="核对导入内容").wait_for()
    shots(page, "02-import-preview")
    flagged = page.locator(".imp-item-flagged").first
    flagged.scroll_into_view_if_needed()
    shots(page, "03-import-preview-flagged-item")
    assert Meeting.objects.count() == 0  # the preview writes nothing
    page.get_by_role("button", name="确认导入并交办").click()
    page.wait_for_url(re.compile(r"/import/[\w-]+/result/$"))
    page.get_by_role("heading", name="导入完成").wait_for()
    shots(page, "04-import-result")
    return page


def test_office_imports_staff_reports_manager_sees_it_and_others_cannot_reach_it(
    new_page, live_server, people, shots
):
    # 1. The office imports the seed and confirms.
    office = import_seed(new_page, live_server, shots)
    assert Meeting.objects.count() > 20
    item = ActionItem.objects.get(text__startswith=FARM_ITEM)
    assert item.state == ActionItem.State.ACTIVE
    lead = item.assignments.get(department__name="市农办")
    office.get_by_role("link", name=re.compile(FARM_ITEM)).first.wait_for()
    assert not csp_errors(office), csp_errors(office)

    # 2. A 联络员 of 市农办 opens the item, signs for it and reports 50% with a note.
    staff = log_in(new_page, live_server, "lianluo")
    shots(staff, "05-staff-home")
    staff.goto(url(live_server, "tracker:item_detail", item.pk))
    shots(staff, "06-staff-item")
    staff.get_by_role("button", name="签收").click()
    staff.get_by_role("link", name="进展反馈").wait_for()
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.IN_PROGRESS
    staff.get_by_role("link", name="进展反馈").click()
    dialog = staff.locator("dialog[open]")
    dialog.wait_for()
    dialog.get_by_label("进度").fill("50")
    dialog.get_by_label("进展情况").fill("已完成村庄规划初稿，正在征求意见。")
    shots(staff, "07-staff-progress-dialog")
    dialog.get_by_role("button", name="提交进展").click()
    staff.get_by_text("进度 50%").first.wait_for()
    shots(staff, "08-staff-item-after-progress", full_page=True)
    lead.refresh_from_db()
    assert (lead.status, lead.progress) == (Assignment.Status.IN_PROGRESS, 50)
    entry = lead.journal.get(action=JournalEntry.Action.PROGRESS)
    assert (entry.actor, entry.progress, entry.note) == (
        people["staff"],
        50,
        "已完成村庄规划初稿，正在征求意见。",
    )
    assert not csp_errors(staff), csp_errors(staff)

    # 3. The manager sees it on the dashboard: 市农办 has one assignment in progress.
    manager = log_in(new_page, live_server, "lingdao")
    manager.goto(url(live_server, "tracker:dashboard"))
    row = manager.locator("#dept-table tr", has=manager.get_by_role("rowheader", name="市农办", exact=True))
    row.wait_for()
    shots(manager, "09-manager-dashboard", full_page=True)
    assigned, in_progress = (row.locator("td").nth(i).inner_text().strip() for i in (0, 1))
    assert (assigned, in_progress) == ("1", "1")
    assert not csp_errors(manager), csp_errors(manager)

    # 4. Another department's 联络员 cannot reach the item: not found, not even forbidden.
    other = log_in(new_page, live_server, "jiaoti")
    response = other.goto(url(live_server, "tracker:item_detail", item.pk))
    assert response.status == 404
    shots(other, "10-other-department-404")
    response = other.goto(url(live_server, "tracker:assignment_update", lead.pk, "report_progress"))
    assert response.status == 404
    response = other.goto(url(live_server, "importer:import_start"))
    assert response.status == 403


def test_the_office_uploads_files_with_progress_and_reimporting_shows_nothing_new(
    new_page, live_server, people, shots, tmp_path
):
    import docx

    document = docx.Document()
    for line in NEWS_DOCX_LINES:
        document.add_paragraph(line)
    path = tmp_path / "第8次常务会议.docx"
    document.save(path)
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")

    page = log_in(new_page, live_server, "duban")
    page.goto(url(live_server, "importer:import_start"))
    page.set_input_files("#id_files", [str(empty)])
    page.get_by_role("button", name="解析并预览").click()
    page.get_by_text("文件为空").wait_for()
    shots(page, "11-import-bad-file")
    assert Meeting.objects.count() == 0

    page.set_input_files("#id_files", [str(path)])
    page.get_by_role("button", name="解析并预览").click()
    page.wait_for_url(re.compile(r"/import/[\w-]+/$"))
    page.locator(".imp-quote", has_text="市农办要牵头抓好农村公路提升工程").wait_for()
    page.get_by_role("button", name="确认导入并交办").click()
    page.get_by_role("heading", name="导入完成").wait_for()
    item = ActionItem.objects.get(text__contains="农村公路提升工程")
    assert item.state == ActionItem.State.ACTIVE and item.deadline.isoformat() == "2024-12-31"

    page.goto(url(live_server, "importer:import_start"))
    page.set_input_files("#id_files", [str(path)])
    page.get_by_role("button", name="解析并预览").click()
    page.get_by_text("没有新内容").first.wait_for()
    shots(page, "12-reimport-nothing-new")
    assert ActionItem.objects.count() == 1

    phone = log_in(new_page, live_server, "duban", width=390, height=844)
    phone.goto(url(live_server, "importer:import_start"))
    phone.fill("#id_text", SEED.read_text(encoding="utf-8"))
    phone.get_by_role("button", name="解析并预览").click()
    phone.get_by_role("heading", name="核对导入内容").wait_for()
    shots(phone, "13-import-preview-phone")
    assert not csp_errors(page) and not csp_errors(phone), csp_errors(page) + csp_errors(phone)


def test_the_admin_batch_import_button_opens_the_import(new_page, live_server, people, shots):
    page = log_in(new_page, live_server, "duban")
    page.goto(url(live_server, "admin:tracker_meeting_changelist"))
    shots(page, "14-admin-meetings")
    page.get_by_role("link", name="批量导入").click()
    page.wait_for_url(re.compile(r"/import/$"))
    page.get_by_role("heading", name="导入会议文本").wait_for()
