"""parse_text end to end: the seed, the hand-written samples, the JSON document."""

import json
import os
import threading

import pytest

import importer.pipeline
from importer.departments import Directory
from importer.directory import load_bundled_directory
from importer.pipeline import parse_source, parse_text, to_json
from importer.read import read_bytes
from importer.types import DirectoryEntry
from tests.importer.samples_check import check_sample, sample_names

BUNDLED = Directory(load_bundled_directory())


@pytest.mark.parametrize("stem", sample_names())
def test_sample_matches_its_expected_answer(stem):
    assert check_sample(stem) == []


@pytest.mark.parametrize("stem", sample_names())
def test_sample_gives_the_same_answer_when_the_caller_passes_the_meetings_year(stem):
    assert check_sample(stem, year_from_dates=True) == []


@pytest.mark.parametrize("stem", sample_names())
def test_sample_gives_the_same_answer_with_the_bundled_directory_of_another_city(stem):
    assert check_sample(stem, year_from_dates=True, directory=BUNDLED) == []


def test_there_are_two_samples_of_each_layout():
    stems = sample_names()
    for layout in ("yearbook", "news", "minutes", "tasks"):
        assert sum(s.startswith(layout + "-") for s in stems) >= 2


def test_seed_meets_the_goals(seed_text, gold):
    """Score the seed as shared/eval/score.py does (kept short: items, departments, dates, meta)."""
    pred = to_json([parse_text(seed_text, source=gold["document"], year=gold["year"])])
    by_date = {m["date"]: m for m in pred["meetings"]}
    assert len(pred["meetings"]) == len(gold["meetings"])
    tp = fn = dated_ok = dated_n = 0
    for g in gold["meetings"]:
        p = by_date[g["date"]]
        assert (p["kind"], p["session"], p["number"]) == (g["kind"], g["session"], g["number"]), g["title"]
        for item in g["items"]:
            hit = next(
                (i for i in p["items"] if item["anchor"].replace(" ", "") in i["text"].replace(" ", "")), None
            )
            if item["optional"]:
                continue
            if hit is None:
                fn += 1
                continue
            tp += 1
            if item["deadline"] and not item["deadline_any"]:
                dated_n += 1
                dated_ok += hit["deadline"] == item["deadline"]
            elif not item["deadline_any"]:
                assert hit["deadline"] is None, item["anchor"]
    assert fn == 0
    assert dated_ok == dated_n == 7
    assert tp == 84


def test_item_spans_index_the_meeting_text(seed_text):
    doc = parse_text(seed_text, source="seed", year=2017)
    for meeting in doc.meetings:
        for item in meeting.items:
            assert meeting.text[item.span[0] : item.span[1]] == item.text
            assert item.position == meeting.items.index(item) + 1


def test_page_breaks_are_joined_before_parsing():
    text = "【第8次常务会议】 9月14日,市政府召开第八次常务会议。会议要求,全市各级各部门要坚持运用法治思维破解难\n\n题、推动发展。\n"
    doc = parse_text(text, source="t.txt", year=2017)
    assert doc.meetings[0].items[0].text == "全市各级各部门要坚持运用法治思维破解难题、推动发展"


def test_items_of_a_circled_list_keep_their_marker_and_each_their_own_department():
    text = (
        "全市乡村振兴工作推进会会议纪要\n2024年5月20日,副市长李华主持召开全市乡村振兴工作推进会。"
        "现将会议明确的事项纪要如下:\n"
        "①市农业农村局要牵头制定和美乡村建设三年行动方案,6月底前印发实施。\n"
        "②市水利局负责农村供水保障工程,\n年底前农村自来水普及率达到98%。\n"
    )
    doc = parse_text(text, source="t.txt", year=2024)
    items = doc.meetings[0].items
    assert [i.text for i in items] == [
        "①市农业农村局要牵头制定和美乡村建设三年行动方案,6月底前印发实施",
        "②市水利局负责农村供水保障工程,年底前农村自来水普及率达到98%",
    ]
    assert [[d.mention for d in i.departments] for i in items] == [["市农业农村局"], ["市水利局"]]


def test_a_ledgers_report_of_work_done_is_no_target_or_deadline():
    """What a ledger says was done (进展情况, 办理状态, 备注) is kept in the text, not read as the task."""
    sheet = (
        "序号,工作任务,牵头单位,完成时限,进展情况,办理状态,备注\n"
        "1,完成城区雨污分流改造20公里,市住建局,,已于3月底前完成改造18公里,办理中,\n"
        "2,新建公共停车场5处,市城管局,2024年9月30日,,,已建成2处\n"
        "3,开展农村人居环境整治,市农业农村局,2024年12月31日,,未启动,\n"
    )
    doc = parse_source(read_bytes(sheet.encode("utf-8"), "台账.csv"), year=2024)
    first, second, _ = doc.meetings[0].items
    assert "已于3月底前完成改造18公里" in first.text
    assert [(t.value, t.unit) for t in first.targets] == [(20, "公里")]
    assert first.deadline.date is None
    assert [(t.value, t.unit) for t in second.targets] == [(5, "处")]
    assert second.deadline.date.isoformat() == "2024-09-30"


def test_unknown_departments_are_reported_not_dropped():
    text = (
        "【第3次常务会议】 4月26日,市政府召开第三次常务会议。会议要求,市农办要加强对接;市住建局要加快建设。\n"
    )
    doc = parse_text(
        text, source="t.txt", year=2017, directory=[DirectoryEntry("市住房和城乡建设局", ("市住建局",))]
    )
    assert doc.unresolved_mentions == ("市农办",)
    deps = [d for item in doc.meetings[0].items for d in item.departments]
    assert [(d.mention, d.name) for d in deps] == [("市农办", None), ("市住建局", "市住房和城乡建设局")]


def test_json_has_the_shape_of_the_extraction_format():
    text = (
        "【第5次常务会议】 6月8日,市政府召开第五次常务会议。会议明确,2017年全市要开展大气污染防治专项行动,"
        "确保全年全市PM2.5年均浓度控制在45微克/立方米以下,全市AQI优良率达到86%以上。\n"
    )
    data = to_json([parse_text(text, source="a.txt", year=2017)])
    assert data["source"] == "a.txt"
    (meeting,) = data["meetings"]
    assert {k: meeting[k] for k in ("title", "kind", "session", "number", "date")} == {
        "title": "第5次常务会议",
        "kind": "executive",
        "session": None,
        "number": 5,
        "date": "2017-06-08",
    }
    (item,) = meeting["items"]
    assert item["deadline"] == "2017-12-31"
    assert item["deadline_text"]
    assert {(t["op"], t["value"]) for t in item["targets"]} >= {("<=", 45), (">=", 86)}
    assert set(item) >= {"text", "departments", "deadline", "deadline_text", "targets", "span"}
    json.dumps(data, ensure_ascii=False)


def test_json_of_several_documents_joins_sources_and_meetings():
    a = parse_text("【甲会议】 1月2日,甲会议强调,各部门要落实。\n", source="a.txt", year=2020)
    b = parse_text("【乙会议】 2月3日,乙会议强调,各部门要落实。\n", source="b.txt", year=2020)
    data = to_json([a, b])
    assert data["source"] == "a.txt, b.txt"
    assert [m["title"] for m in data["meetings"]] == ["甲会议", "乙会议"]


def test_text_without_meetings_gives_no_meetings_and_a_warning():
    doc = parse_text("这是一段普通的文字,没有会议。", source="x.txt")
    assert doc.meetings == ()
    assert doc.warnings


def test_a_document_of_many_copies_gives_each_copy_its_meetings(seed_text):
    # How long a large document takes is measured by tests/bench/import_speed.py, not here.
    small = parse_text(seed_text, source="s", year=2017)
    big = parse_text(seed_text * 15, source="b", year=2017)
    assert len(big.meetings) == 15 * len(small.meetings)


def test_a_long_task_document_where_every_task_says_xiatong_gives_each_task_its_own_departments():
    task = (
        "{n}.推进第{n}项重点工作,年底前完成。(牵头单位:县发改局;责任单位:各乡镇(街道)(下同)、县财政局,下同)\n"
    )
    text = "重点工作任务分解\n" + "".join(task.format(n=n) for n in range(1, 901))
    items = parse_text(text, source="t.txt", year=2024).meetings[0].items
    assert len(items) == 900
    assert [r.name or r.mention for r in items[-1].departments] == ["县发改局", "乡镇(街道)", "县财政局"]


def test_an_owner_sentence_and_a_time_limit_line_after_a_decision_set_its_owners_and_deadline():
    text = (
        "青山县人民政府第9次常务会议纪要\n"
        "2024年5月6日,县长主持召开县政府第9次常务会议。\n"
        "一、关于秸秆禁烧\n"
        "会议强调,各乡镇要落实网格巡查,严防露天焚烧。责任单位:县农业农村局、各乡镇。\n"
        "完成时限:2024年11月30日\n"
    )
    (meeting,) = parse_text(text, source="t.txt", year=2024).meetings
    (item,) = meeting.items
    assert [(d.mention, d.role) for d in item.departments] == [("县农业农村局", "lead"), ("各乡镇", "lead")]
    assert str(item.deadline.date) == "2024-11-30"


def test_the_time_limit_of_a_decisions_labels_dates_each_of_its_items_without_a_date():
    text = (
        "河西区人民政府第12次常务会议纪要\n"
        "2024年4月8日,区长主持召开区政府第12次常务会议。\n"
        "二、关于校舍建设\n"
        "会议要求,区教育局要抓紧启动城东小学扩建;区住建局要在7月底前完成图审。区财政局负责落实资金。\n"
        "(责任单位:区教育局 配合单位:区住建局、区财政局 完成时限:2024年8月31日)\n"
    )
    (meeting,) = parse_text(text, source="t.txt", year=2024).meetings
    assert [str(i.deadline.date) for i in meeting.items] == ["2024-08-31", "2024-07-31", "2024-08-31"]


def test_the_time_limit_after_a_decision_does_not_date_an_earlier_directive_of_another_subject():
    text = (
        "【第6次常务会议】 4月2日,市政府召开第六次常务会议。会议要求,各部门要压实安全责任。"
        "市商务局要举办消费季活动。(牵头单位:市商务局;完成时限:2024年10月31日)\n"
    )
    (meeting,) = parse_text(text, source="t.txt", year=2024).meetings
    assert [i.deadline.date and str(i.deadline.date) for i in meeting.items] == [None, "2024-10-31"]


def _long_yearbook() -> str:
    from tests.bench.import_speed import generated

    return generated("yearbook", 0.15)  # about 180 meetings


def test_a_long_text_parsed_in_two_processes_gives_what_one_process_gives(monkeypatch):
    text = _long_yearbook()
    monkeypatch.setattr(importer.pipeline, "PARALLEL_MIN_CHARS", 1000)
    pooled = []
    in_processes = importer.pipeline._parse_in_processes
    monkeypatch.setattr(
        importer.pipeline,
        "_parse_in_processes",
        lambda *args: pooled.append(args[-1]) or in_processes(*args),
    )
    one = parse_text(text, source="long.txt", year=2023, directory=load_bundled_directory())
    two = parse_text(text, source="long.txt", year=2023, directory=load_bundled_directory(), jobs=2)
    assert pooled == [2]
    assert len(two.meetings) > 100
    assert two == one


def _die(run):
    os._exit(1)  # as a child killed for memory would


def test_a_parsing_process_that_dies_leaves_the_parse_to_this_process(monkeypatch, caplog):
    text = _long_yearbook()
    monkeypatch.setattr(importer.pipeline, "PARALLEL_MIN_CHARS", 1000)
    monkeypatch.setattr(importer.pipeline, "_parse_run", _die)
    two = parse_text(text, source="long.txt", year=2023, jobs=2)
    assert two == parse_text(text, source="long.txt", year=2023)
    assert "单进程" in caplog.text


def test_a_short_text_is_parsed_in_this_process_whatever_the_jobs(monkeypatch):
    monkeypatch.setattr(importer.pipeline, "_parse_in_processes", pytest.fail)
    doc = parse_text(_long_yearbook()[:20_000], source="short.txt", year=2023, jobs=4)
    assert doc.meetings


def test_a_program_with_other_threads_is_not_forked(monkeypatch):
    monkeypatch.setattr(importer.pipeline, "PARALLEL_MIN_CHARS", 1000)
    monkeypatch.setattr(importer.pipeline, "_parse_in_processes", pytest.fail)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        doc = parse_text(_long_yearbook(), source="long.txt", year=2023, jobs=2)
    finally:
        stop.set()
        other.join()
    assert len(doc.meetings) > 100


def test_a_ledger_workbook_is_named_by_its_task_sheet_and_its_note_sheet_gives_no_items(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    note = book.active
    note.title = "填报说明"
    for line in (
        "填报说明",
        "1.请各牵头单位于每月25日前填报工作进展情况。",
        "2.进展情况要简明扼要,突出量化指标。",
    ):
        note.append([line])
    tasks = book.create_sheet("任务台账")
    tasks.append(["2024年县政府常务会议议定事项督办台账"])
    tasks.merge_cells("A1:D1")
    tasks.append(["序号", "工作任务", "牵头单位", "完成时限"])
    tasks.append([1, "完成老旧小区改造12个", "县住建局", "2024年10月31日"])
    tasks.append([2, "新建公共停车场5处", "县城管局", "年底前"])
    path = tmp_path / "台账.xlsx"
    book.save(path)

    (meeting,) = parse_source(read_bytes(path.read_bytes(), path.name), 2024).meetings
    assert meeting.title == "2024年县政府常务会议议定事项督办台账"
    assert [i.text[:8] for i in meeting.items] == ["1.完成老旧小区", "2.新建公共停车"]
