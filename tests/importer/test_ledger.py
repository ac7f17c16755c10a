"""A ledger row's recorded state (办理状态, 完成情况, 进度 …): read from its labelled fields only."""

import datetime

import pytest

from importer.ledger import ledger_fields, recorded_state
from importer.pipeline import parse_source, parse_text, to_json
from importer.read import read_bytes
from importer.types import DONE, IN_PROGRESS, NOT_STARTED, RecordedState

# --- one item's fields ---------------------------------------------------------------------------


def test_fields_are_read_from_the_bracket_of_a_task_line():
    text = "1.完成城区雨污分流改造20公里(牵头单位:市住建局;完成时限:2024年9月30日;办理状态:已完成)"
    assert ledger_fields(text) == [
        ("牵头单位", "市住建局"),
        ("完成时限", "2024年9月30日"),
        ("办理状态", "已完成"),
    ]


def test_a_fields_value_keeps_its_own_brackets():
    text = "1.新建公共停车场5处(牵头单位:市城管局;进展情况:推进中(已建成2处))"
    assert ledger_fields(text)[-1] == ("进展情况", "推进中(已建成2处)")


def test_fields_on_lines_of_their_own_are_read():
    text = "1.新建公共停车场5处。\n牵头单位:市城管局\n完成情况:已办结"
    assert ("完成情况", "已办结") in ledger_fields(text)


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("办理状态:已完成", DONE),
        ("办理状态:已办结", DONE),
        ("完成情况:完成", DONE),
        ("落实情况:已落实", DONE),
        ("进展情况:全面完成", DONE),
        ("办理情况:办理完毕", DONE),
        ("是否完成:是", DONE),
        ("状态:已销号", DONE),
        ("进展情况:推进中", IN_PROGRESS),
        ("进展情况:正在推进", IN_PROGRESS),
        ("办理状态:进行中", IN_PROGRESS),
        ("工作进展:有序推进", IN_PROGRESS),
        ("完成情况:基本完成", IN_PROGRESS),
        ("落实情况:已启动", IN_PROGRESS),
        ("办理状态:未启动", NOT_STARTED),
        ("进展情况:未开展", NOT_STARTED),
        ("完成情况:尚未开始", NOT_STARTED),
    ],
)
def test_the_usual_spellings_of_a_status_are_recognised(field, kind):
    state = recorded_state(f"1.完成城区雨污分流改造20公里(牵头单位:市住建局;{field})")
    assert state is not None
    assert state.kind == kind
    assert state.source == field


@pytest.mark.parametrize(
    ("field", "kind", "progress"),
    [
        ("进度:80%", IN_PROGRESS, 80),
        ("完成进度:完成65%", IN_PROGRESS, 65),
        ("进展情况:推进中,进度80%", IN_PROGRESS, 80),
        ("办理状态:正在推进(完成30%)", IN_PROGRESS, 30),
        ("完成情况:已完成80%", IN_PROGRESS, 80),
        ("进度:100%", DONE, None),
        ("进度:0%", NOT_STARTED, None),
    ],
)
def test_a_percentage_gives_the_progress(field, kind, progress):
    state = recorded_state(f"1.完成改造(牵头单位:市住建局;{field})")
    assert (state.kind, state.progress) == (kind, progress)


def test_a_status_column_and_a_progress_column_make_one_state():
    state = recorded_state("1.完成改造(牵头单位:市住建局;办理状态:推进中;完成进度:45%)")
    assert state == RecordedState(kind=IN_PROGRESS, label="办理状态", text="推进中", progress=45)


def test_a_done_row_names_the_day_it_was_finished_when_it_has_one():
    state = recorded_state("1.完成改造(牵头单位:市住建局;办理状态:已于2024年3月20日完成)")
    assert (state.kind, state.finished) == (DONE, datetime.date(2024, 3, 20))
    state = recorded_state("1.完成改造(牵头单位:市住建局;办理状态:已办结;实际完成时间:2024年5月8日)")
    assert (state.kind, state.finished) == (DONE, datetime.date(2024, 5, 8))
    assert recorded_state("1.完成改造(牵头单位:市住建局;办理状态:已办结)").finished is None


@pytest.mark.parametrize(
    "text",
    [
        # a report of what was done, not a status
        "1.完成城区雨污分流改造20公里(牵头单位:市住建局;进展情况:已于3月底前完成改造18公里)",
        "1.完成改造(牵头单位:市住建局;办理状态:未完成)",
        "1.完成改造(牵头单位:市住建局;办理状态:待定)",
        "1.完成改造(牵头单位:市住建局;办理状态:)",
        "1.完成改造(牵头单位:市住建局;进度:180%)",
        "1.完成改造(牵头单位:市住建局;是否完成:否)",
        # 已完成 in a remark or the task itself is no status column
        "1.已完成改造的小区要做好验收(牵头单位:市住建局;备注:已完成)",
        # two status columns that disagree
        "1.完成改造(牵头单位:市住建局;办理状态:已完成;进展情况:未启动)",
    ],
)
def test_unknown_or_contradicting_values_leave_no_state(text):
    assert recorded_state(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "会议指出,目前全市雨污分流改造已完成,进展情况良好",
        "会议要求,市住建局要加快推进,确保年底前已完成的项目全部验收",
        "市住建局要总结已办结事项的经验",
    ],
)
def test_prose_saying_done_records_no_state(text):
    assert recorded_state(text) is None


# --- whole ledgers, each shape the readers take -------------------------------------------------

ROWS = [
    ("1", "完成城区雨污分流改造20公里", "市住建局", "2024年12月31日", "已完成"),
    ("2", "新建公共停车场5处", "市城管局", "2024年9月30日", "推进中 80%"),
    ("3", "开展农村人居环境整治", "市农业农村局", "2024年12月31日", "未启动"),
    ("4", "建成智慧城管平台", "市城管局", "2024年10月31日", "待研究"),
]
HEADER = ("序号", "工作任务", "牵头单位", "完成时限", "办理状态")
EXPECTED = [
    (DONE, None, "已完成"),
    (IN_PROGRESS, 80, "推进中80%"),
    (NOT_STARTED, None, "未启动"),
    None,
]


def _states(doc):
    (meeting,) = doc.meetings
    return [
        (i.recorded.kind, i.recorded.progress, i.recorded.text) if i.recorded else None for i in meeting.items
    ]


def test_an_xlsx_ledger_keeps_each_rows_recorded_state(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年重点工作推进台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(list(HEADER))
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:]])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    doc = parse_source(read_bytes(path.read_bytes(), "台账.xlsx"), year=2024)
    assert _states(doc) == EXPECTED


def test_a_ledger_pasted_with_tabs_keeps_each_rows_recorded_state():
    text = "\n".join("\t".join(row) for row in [HEADER, *ROWS]) + "\n"
    assert _states(parse_text(text, source="粘贴", year=2024)) == EXPECTED


def test_a_ledger_pasted_with_runs_of_spaces_keeps_each_rows_recorded_state():
    rows = [tuple(c.replace(" ", "") for c in row) for row in [HEADER, *ROWS]]
    text = "\n".join("    ".join(row) for row in rows) + "\n"
    assert _states(parse_text(text, source="粘贴", year=2024)) == EXPECTED


def test_a_csv_ledger_with_a_progress_column_keeps_each_rows_recorded_state():
    sheet = (
        "序号,重点任务,责任单位,完成时间,完成情况,完成进度\n"
        "1,完成老旧小区改造12个,市住建局,2024年12月31日,正在推进,60%\n"
        "2,新开工重大项目30个,市发改局,2024年9月30日,已办结,100%\n"
    )
    doc = parse_source(read_bytes(sheet.encode("utf-8"), "台账.csv"), year=2024)
    assert _states(doc) == [(IN_PROGRESS, 60, "正在推进"), (DONE, None, "已办结")]


def test_a_docx_ledger_table_keeps_each_rows_recorded_state(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("2024年重点工作推进台账")
    table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    for r, values in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "台账.docx"
    document.save(path)
    doc = parse_source(read_bytes(path.read_bytes(), "台账.docx"), year=2024)
    assert _states(doc) == EXPECTED


def test_a_ledgers_actual_finishing_day_is_no_deadline():
    sheet = (
        "序号,工作任务,牵头单位,完成时限,办理状态,实际完成时间\n"
        "1,完成城区雨污分流改造20公里,市住建局,2024年12月31日,已办结,2024年5月8日\n"
    )
    (item,) = parse_source(read_bytes(sheet.encode("utf-8"), "台账.csv"), year=2024).meetings[0].items
    assert item.deadline.date == datetime.date(2024, 12, 31)
    assert item.recorded.finished == datetime.date(2024, 5, 8)


def test_a_meeting_summary_saying_work_is_done_gives_its_items_no_state():
    text = (
        "【第5次常务会议】 6月8日,市政府召开第五次常务会议。会议指出,去年确定的雨污分流改造已完成。"
        "会议要求,市住建局要加快推进剩余工程,确保年底前全部完成;已办结的事项要做好验收。\n"
    )
    doc = parse_text(text, source="纪要", year=2024)
    items = [i for m in doc.meetings for i in m.items]
    assert items
    assert all(i.recorded is None for i in items)


def test_the_json_document_gives_the_recorded_state_as_an_extra_key():
    text = "\n".join("\t".join(row) for row in [HEADER, *ROWS]) + "\n"
    (meeting,) = to_json([parse_text(text, source="粘贴", year=2024)])["meetings"]
    states = [i["recorded_state"] for i in meeting["items"]]
    assert states[0] == {
        "kind": "done",
        "progress": None,
        "finished": None,
        "label": "办理状态",
        "text": "已完成",
    }
    assert states[1]["progress"] == 80
    assert states[3] is None
    # the fields the format defines are those of any item
    assert {"text", "departments", "deadline", "deadline_text", "targets"} <= set(meeting["items"][0])
