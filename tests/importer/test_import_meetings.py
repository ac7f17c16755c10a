"""manage.py import_meetings: JSON for the scorer, idempotent writes, and bad input that changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.management.commands.setup_demo import SEED  # the seed text the demo imports
from tracker.models import ActionItem, Assignment, JournalEntry, Meeting

NEWS = """市政府召开第8次常务会议
2024年5月20日 来源：市政府办公室
5月17日，市长王明主持召开市政府第8次常务会议。会议研究了《关于加快推进城市更新的实施意见》。
会议强调，市住建局要牵头做好城市更新项目谋划，6月底前完成项目清单编制。
"""


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_meetings", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return [m.objects.count() for m in (Meeting, ActionItem, Assignment, JournalEntry)]


def test_dry_run_json_prints_one_document_and_writes_nothing(db, capsys):
    call_command("import_meetings", str(SEED), "--year", "2017", "--dry-run", "--json")
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"] == SEED.name
    titles = [m["title"] for m in doc["meetings"]]
    assert "十六届一次全体会议" in titles
    first = doc["meetings"][0]
    assert {"title", "kind", "session", "number", "date", "items"} <= set(first)
    assert snapshot() == [0, 0, 0, 0]


def test_json_of_several_files_is_one_document(db, tmp_path, capsys):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(NEWS, encoding="utf-8")
    second.write_text(
        NEWS.replace("第8次", "第9次").replace("5月17日", "5月24日").replace("5月20日", "5月27日"),
        encoding="utf-8",
    )
    call_command("import_meetings", str(first), str(second), "--dry-run", "--json")
    doc = json.loads(capsys.readouterr().out)
    assert [m["date"] for m in doc["meetings"]] == ["2024-05-17", "2024-05-24"]
    assert [m["number"] for m in doc["meetings"]] == [8, 9]


def test_a_web_page_without_a_year_takes_it_from_its_publication_line(db, tmp_path, capsys):
    page = tmp_path / "page.txt"
    page.write_text(
        "市政府召开第45次常务会议\n"
        "发布时间：2025-04-18 09:30  来源：市政府办公室\n"  # dropped as page chrome when read
        "4月17日下午，市长王建国主持召开市政府第45次常务会议。\n"
        "会议强调，市应急管理局要在6月底前完成危化品企业全覆盖检查。\n",
        encoding="utf-8",
    )
    call_command("import_meetings", str(page), "--dry-run", "--json")
    (meeting,) = json.loads(capsys.readouterr().out)["meetings"]
    assert meeting["date"] == "2025-04-17"
    assert [i["deadline"] for i in meeting["items"]] == ["2025-06-30"]


def test_a_task_split_sheet_gives_one_item_a_row_with_its_lead_support_and_deadline(db, tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年市政府重点工作任务分解表"])
    sheet.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    sheet.append([1, "新开工重大项目30个", "市发改局", "市财政局", "9月底前"])
    sheet.append([2, "推进老旧小区改造,完成改造小区12个", "市住建局", None, "年底前"])
    path = tmp_path / "分解表.xlsx"
    book.save(path)

    call_command("import_meetings", str(path), "--year", "2024", "--dry-run", "--json")
    (meeting,) = json.loads(capsys.readouterr().out)["meetings"]
    assert meeting["title"] == "2024年市政府重点工作任务分解表"
    first, second = meeting["items"]
    assert [(d["mention"], d["role"]) for d in first["departments"]] == [
        ("市发改局", "lead"),
        ("市财政局", "support"),
    ]
    assert (first["deadline"], second["deadline"]) == ("2024-09-30", "2024-12-31")
    assert [(d["mention"], d["role"]) for d in second["departments"]] == [("市住建局", "lead")]
    assert first["targets"][0]["value"] == 30


def test_import_writes_drafts_and_a_second_import_changes_nothing(db):
    out, _ = run(SEED, "--year", "2017")
    assert "新增 27" in out
    first = snapshot()
    assert ActionItem.objects.filter(state=ActionItem.State.DRAFT).count() == first[1]
    out, _ = run(SEED, "--year", "2017")
    assert "没有新内容" in out
    assert snapshot() == first


def test_changed_meeting_keeps_confirmed_items_and_reports_conflict(db, tmp_path, departments, users):
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    run(path)
    item = ActionItem.objects.get()
    item.assignments.all().delete()
    item.assign(departments["nongban"], role="lead", by=users["office"])
    item.confirm(by=users["office"])
    path.write_text(
        NEWS.replace("6月底前完成项目清单编制", "7月底前完成项目清单编制并报市政府"), encoding="utf-8"
    )
    out, _ = run(path)
    assert "更新 1" in out and "冲突" in out
    item.refresh_from_db()
    assert item.state == ActionItem.State.ACTIVE and "6月底前" in item.text
    assert ActionItem.objects.filter(state=ActionItem.State.DRAFT, text__contains="7月底前").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "空"),
        ("binary.txt", bytes(range(256)) * 20, "二进制"),
        ("notes.pdf", b"%PDF-1.4", ".docx"),
        ("plain.txt", "今天天气很好，大家一起去公园散步。".encode(), "没有找到会议"),
    ],
)
def test_bad_file_names_the_file_and_changes_nothing(db, tmp_path, name, content, message):
    run(SEED, "--year", "2017")
    before = snapshot()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        run(SEED, path, "--year", "2017")  # the good file first: nothing of it may be written either
    assert name in str(exc.value) and message in str(exc.value)
    assert snapshot() == before


def test_missing_path_and_directory_are_refused(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        run(tmp_path / "nope.txt")
    with pytest.raises(CommandError, match="文件夹"):
        run(tmp_path)


def test_fewer_than_one_parsing_process_is_refused(db):
    with pytest.raises(CommandError, match="--jobs"):
        run(SEED, "--jobs", "0")
    assert snapshot() == [0, 0, 0, 0]


def test_a_long_file_parsed_in_two_processes_imports_what_one_process_does(db, tmp_path, monkeypatch, capsys):
    import importer.pipeline

    monkeypatch.setattr(importer.pipeline, "PARALLEL_MIN_CHARS", 1000)
    long = tmp_path / "long.txt"
    long.write_text(SEED.read_text(encoding="utf-8") * 3, encoding="utf-8")
    call_command("import_meetings", str(long), "--year", "2017", "--dry-run", "--json", "--jobs", "1")
    one = capsys.readouterr().out
    call_command("import_meetings", str(long), "--year", "2017", "--dry-run", "--json", "--jobs", "2")
    assert capsys.readouterr().out == one
    assert len(json.loads(one)["meetings"]) > 60


def test_oversized_file_is_refused(db, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (20 * 1024 * 1024 + 1))
    with pytest.raises(CommandError, match="20"):
        run(big)
    assert snapshot() == [0, 0, 0, 0]


def test_failure_halfway_through_the_write_rolls_everything_back(db, fail_writing):
    from django.db import DatabaseError

    # The journal is written last: meetings, items and assignments are already in by then.
    seen = fail_writing(JournalEntry, DatabaseError("disk full"))
    with pytest.raises(CommandError, match="回滚"):
        run(SEED, "--year", "2017")
    assert seen == [27]
    assert snapshot() == [0, 0, 0, 0]


def test_confirm_assigns_items_with_specific_departments_only(db, tmp_path, departments):
    from tracker.models import Department

    Department.objects.create(name="住建局", aliases=["市住建局"])
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    out, _ = run(path, "--confirm")
    item = ActionItem.objects.get()
    assert item.state == ActionItem.State.ACTIVE
    assert item.assignments.get().department.name == "住建局"
    assert item.deadline.isoformat() == "2024-06-30"
