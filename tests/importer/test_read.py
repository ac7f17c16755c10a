"""Reading meeting files: encodings, .docx, bad input, and the normalisation the parser relies on."""

import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from importer.errors import InputError
from importer.read import MAX_BYTES, decode, normalize, read_bytes, read_path
from tracker.management.commands.setup_demo import SEED  # the seed text the demo imports

SAMPLE = "【第3次常务会议】 4月26日,市政府召开第三次常务会议。会议要求，各乡镇（街道）要落实主体责任。\n"
EXPECTED = "【第3次常务会议】4月26日,市政府召开第三次常务会议。会议要求,各乡镇(街道)要落实主体责任。\n"


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SAMPLE.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), id="utf-8 with BOM"),
        pytest.param(SAMPLE.encode("gb18030"), id="gb18030"),
        pytest.param(SAMPLE.encode("gbk"), id="gbk"),
        pytest.param(SAMPLE.encode("utf-16"), id="utf-16 with BOM"),
        pytest.param(b"\xfe\xff" + SAMPLE.encode("utf-16-be"), id="utf-16-be with BOM"),
        pytest.param(SAMPLE.encode("utf-16-le"), id="utf-16-le without BOM"),
        pytest.param(SAMPLE.encode("utf-16-be"), id="utf-16-be without BOM"),
    ],
)
def test_read_bytes_decodes_every_supported_encoding(data):
    assert read_bytes(data, "会议.txt").text == EXPECTED


def test_utf16_without_bom_is_found_by_its_nul_pattern_even_for_ascii_text():
    assert decode("Meeting 2017\n".encode("utf-16-le")) == "Meeting 2017\n"
    assert decode("Meeting 2017\n".encode("utf-16-be")) == "Meeting 2017\n"


def test_pure_chinese_utf16_without_any_nul_byte_is_still_recognised():
    text = "会议要求各部门认真学习"
    assert b"\x00" not in text.encode("utf-16-le")
    assert decode(text.encode("utf-16-le")) == text
    assert decode(text.encode("utf-16-be")) == text


def test_bom_is_removed_from_the_text():
    assert "\ufeff" not in read_bytes(b"\xef\xbb\xbf" + "会议".encode(), "a.txt").text
    assert normalize("\ufeff会议\ufeff") == "会议\n"


def test_gbk_text_that_is_also_plausible_as_two_byte_units_decodes_as_gbk():
    text = "各乡镇(街道)、相关部门要认真学习教育法律法规。" * 3
    assert decode(text.encode("gbk")) == text


def test_read_path_returns_the_file_name_and_normalised_text(tmp_path):
    path = tmp_path / "第3次常务会议.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    assert read_path(path) == ("第3次常务会议.txt", EXPECTED, None)
    assert read_path(str(path)) == ("第3次常务会议.txt", EXPECTED, None)


def test_reading_keeps_the_publication_date_of_the_line_it_drops_as_page_chrome(tmp_path):
    page = "会议报道\n发布时间：2025-04-18 09:30  来源：市政府办公室\n4月17日,市政府召开常务会议。\n"
    path = tmp_path / "报道.txt"
    path.write_text(page, encoding="utf-8")

    for source in (read_path(path), read_bytes(page.encode("utf-8"), "报道.txt")):
        assert "发布时间" not in source.text
        assert source.published == datetime.date(2025, 4, 18)


def test_read_path_reads_the_seed_chapter():
    name, text, _ = read_path(SEED)
    assert name == "shengzhou-yearbook-2018-government.txt"
    assert "【十六届政府第1次常务会议】3月13日" in text
    assert "三是建立健全长效机制" in text


# --- .docx ---------------------------------------------------------------------------------------


def _docx_bytes(tmp_path, build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    path = tmp_path / "doc.docx"
    document.save(path)
    return path.read_bytes()


def test_docx_paragraphs_and_tables_come_out_in_document_order(tmp_path):
    def build(d):
        d.add_paragraph("嵊州市人民政府常务会议纪要")
        d.add_paragraph("会议要求,各乡镇（街道）要落实主体责任。")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "会议时间", "会议地点"
        table.cell(1, 0).text, table.cell(1, 1).text = "2023年5月6日", "市行政中心"
        d.add_paragraph("会议强调,相关部门要相互配合。")

    text = read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text
    assert text == (
        "嵊州市人民政府常务会议纪要\n"
        "会议要求,各乡镇(街道)要落实主体责任。\n"
        "会议时间:2023年5月6日;会议地点:市行政中心\n"
        "会议强调,相关部门要相互配合。\n"
    )


def test_docx_task_table_rows_become_minutes_style_lines_with_the_header_labels(tmp_path):
    def build(d):
        d.add_paragraph("2023年重点工作任务分解")
        rows = [
            ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
            ("一、经济发展",) * 5,
            (
                "1",
                "加快推进城市有机更新,完成城中村改造。",
                "市建设局",
                "市财政局\n市自然资源和规划局",
                "2023年12月底",
            ),
            ("2", "推进开发区(工业园区)改造提升", "开发区管委会", "", "6月底前"),
        ]
        table = d.add_table(rows=len(rows), cols=5)
        for r, values in enumerate(rows):
            if len(set(values)) == 1:
                merged = table.cell(r, 0).merge(table.cell(r, 4))
                merged.text = values[0]
                continue
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        d.add_paragraph("各单位要按时报送进展情况。")

    text = read_bytes(_docx_bytes(tmp_path, build), "任务分解.docx").text
    assert text.splitlines() == [
        "2023年重点工作任务分解",
        "一、经济发展",
        "1.加快推进城市有机更新,完成城中村改造(牵头单位:市建设局;配合单位:市财政局、市自然资源和规划局;完成时限:2023年12月底)。",
        "2.推进开发区(工业园区)改造提升(牵头单位:开发区管委会;完成时限:6月底前)。",
        "各单位要按时报送进展情况。",
    ]


def test_docx_task_cell_wrapped_after_a_full_width_comma_stays_one_task(tmp_path):
    def build(d):
        rows = [
            ("议定事项",) * 4,
            ("序号", "工作任务", "牵头单位", "完成时限"),
            ("1", "加快推进老旧小区改造，\n完成改造12个", "市住建局", "2024年10月底前"),
        ]
        table = d.add_table(rows=len(rows), cols=4)
        table.cell(0, 0).merge(table.cell(0, 3)).text = rows[0][0]
        for r, values in enumerate(rows[1:], start=1):
            for c, value in enumerate(values):
                table.cell(r, c).text = value

    text = read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text
    assert text.splitlines() == [
        "议定事项",
        "1.加快推进老旧小区改造,完成改造12个(牵头单位:市住建局;完成时限:2024年10月底前)。",
    ]


def _add_multilevel_list(document, levels) -> int:
    """Add to document a list whose levels are (numFmt, lvlText) pairs; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _numbered(document, text, num_id, level):
    document.add_paragraph(text)._p.get_or_add_pPr().append(_num_pr(num_id, level))


def _num_pr(num_id, level):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    )


def test_docx_auto_numbered_decisions_get_their_numbers_and_stay_apart(tmp_path):
    def build(d):
        num = _add_multilevel_list(d, [("chineseCounting", "%1、"), ("decimal", "%2.")])
        d.add_paragraph("会议议定事项如下:")
        _numbered(d, "关于城市有机更新工作", num, 0)
        _numbered(d, "市建设局要加快推进城中村改造，确保6月底前完成征迁", num, 1)
        _numbered(d, "市财政局要做好资金保障，年底前拨付到位", num, 1)
        _numbered(d, "关于安全生产工作", num, 0)
        _numbered(d, "各乡镇（街道）要压实属地责任，9月底前完成隐患整改", num, 1)
        d.add_paragraph("市政府办公室要跟踪督办，年底前报送", style="List Number")

    text = read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text
    assert text.splitlines() == [
        "会议议定事项如下:",
        "一、关于城市有机更新工作",
        "1.市建设局要加快推进城中村改造,确保6月底前完成征迁",
        "2.市财政局要做好资金保障,年底前拨付到位",
        "二、关于安全生产工作",
        "1.各乡镇(街道)要压实属地责任,9月底前完成隐患整改",
        "1.市政府办公室要跟踪督办,年底前报送",
    ]


def test_docx_bulleted_list_paragraphs_get_a_bullet_and_numbered_ones_keep_their_numbers(tmp_path):
    def build(d):
        d.add_paragraph("会议议定事项如下:")
        d.add_paragraph("抓好春耕备耕物资供应，确保不误农时", style="List Bullet")
        d.add_paragraph("落实种粮补贴资金，4月底前拨付到位", style="List Bullet")
        d.add_paragraph("市政府办公室要跟踪督办，年底前报送", style="List Number")
        d.add_paragraph("市财政局要做好资金保障", style="List Number")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "工作任务", "配合单位"
        table.cell(1, 0).text = "改造小区12个"
        table.cell(1, 1).paragraphs[0].text = "市财政局"
        table.cell(1, 1).paragraphs[0].style = "List Bullet"

    text = read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text
    assert text.splitlines() == [
        "会议议定事项如下:",
        "●抓好春耕备耕物资供应,确保不误农时",
        "●落实种粮补贴资金,4月底前拨付到位",
        "1.市政府办公室要跟踪督办,年底前报送",
        "2.市财政局要做好资金保障",
        "改造小区12个(配合单位:市财政局)。",  # a cell's bullet is layout, not part of a name
    ]


def test_docx_auto_numbered_number_column_of_a_task_table_gives_the_numbers(tmp_path):
    def build(d):
        num = _add_multilevel_list(d, [("decimal", "%1")])
        table = d.add_table(rows=3, cols=3)
        for c, value in enumerate(("序号", "工作任务", "牵头单位")):
            table.cell(0, c).text = value
        for r, (task, lead) in enumerate((("新开工项目30个", "市发改局"), ("改造小区12个", "市住建局")), 1):
            paragraph = table.cell(r, 0).paragraphs[0]
            paragraph._p.get_or_add_pPr().append(_num_pr(num, 0))
            table.cell(r, 1).text, table.cell(r, 2).text = task, lead

    text = read_bytes(_docx_bytes(tmp_path, build), "t.docx").text
    assert text.splitlines() == [
        "1.新开工项目30个(牵头单位:市发改局)。",
        "2.改造小区12个(牵头单位:市住建局)。",
    ]


def test_docx_with_a_garbled_numbering_level_is_read_as_level_one_not_a_traceback(tmp_path):
    def build(d):
        num = _add_multilevel_list(d, [("decimal", "%1.")])
        d.part.numbering_part.element.xpath('.//w:abstractNum[@w:abstractNumId="90"]/w:lvl')[0].set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ilvl", "x"
        )
        _numbered(d, "市财政局要做好资金保障。", num, 0)

    assert read_bytes(_docx_bytes(tmp_path, build), "t.docx").text == "1.市财政局要做好资金保障。\n"


def test_docx_numbering_formats_render_as_written_in_chinese_minutes():
    from importer.read import _number_label

    assert _number_label("%1、", [3], ["chineseCounting"]) == "三、"
    assert _number_label("(%1)", [12], ["chineseCountingThousand"]) == "(十二)"
    assert _number_label("%1.%2", [2, 4], ["decimal", "decimal"]) == "2.4"
    assert _number_label("%1", [2], ["decimalEnclosedCircleChinese"]) == "②"
    assert _number_label("\uf0b7", [1], ["bullet"]) == "●"  # a Symbol-font dot: the bullet it shows
    assert _number_label("■", [1], ["bullet"]) == "■"
    assert _number_label("", [1], ["none"]) == ""


def test_docx_soft_line_break_inside_a_sentence_is_no_new_line_and_headers_footers_stay_out(tmp_path):
    def build(d):
        d.sections[0].header.paragraphs[0].text = "嵊州市人民政府常务会议纪要"
        d.sections[0].footer.paragraphs[0].text = "- 1 -"
        title = d.add_paragraph("嵊州市人民政府")
        title.add_run().add_break()
        title.add_run("第8次常务会议纪要")
        p = d.add_paragraph("市教育局要加快推进")
        p.add_run().add_break()  # Shift+Enter
        p.add_run("城区学校扩容工作。")
        p.add_run().add_break()
        p.add_run("2024年9月前完成。")
        p = d.add_paragraph("会议要求:")
        p.add_run().add_break()
        p.add_run("市卫健局要加强医疗资源统筹。")

    text = read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text
    assert text.splitlines() == [
        "嵊州市人民政府第8次常务会议纪要",
        "市教育局要加快推进城区学校扩容工作。",
        "2024年9月前完成。",
        "会议要求:",
        "市卫健局要加强医疗资源统筹。",
    ]


def test_docx_paragraphs_without_a_full_stop_stay_apart_where_pasted_text_would_be_joined(tmp_path):
    paragraphs = [
        "会议研究了春耕生产工作,要求",
        "县农业农村局要抓好春耕备耕物资供应,确保不误农时",
        "县财政局要落实种粮补贴资金,4月底前拨付到位",
    ]

    def build(d):
        for text in paragraphs:
            d.add_paragraph(text)

    # Each Word paragraph ended with Enter: a real end, whatever its last character.
    assert read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text.splitlines() == paragraphs
    # The same lines pasted as text may be one sentence broken across a page: they are joined.
    assert normalize("\n".join(paragraphs)).count("\n") == 1


def test_docx_made_of_equal_lines_ending_mid_sentence_is_wrapped_text_and_is_joined(tmp_path):
    # A PDF converted to Word: one paragraph a printed line, each cut mid-sentence at the margin.
    lines = [
        "会议强调，各乡镇（街道）、相关部门要切实强化部门职责，敢于动真碰",
        "硬，坚决查处各类违法违规行为，确保全市安全生产形势持续稳定向好，",
        "市应急管理局要牵头开展安全生产大检查，6月底前完成问题整改工作，",
        "对排查发现的重大隐患实行挂牌督办，确保整改到位。",
    ]

    def build(d):
        for text in lines:
            d.add_paragraph(text)

    assert read_bytes(_docx_bytes(tmp_path, build), "纪要.docx").text == normalize("".join(lines))


def test_docx_vertically_merged_lead_unit_applies_to_every_row_it_spans(tmp_path):
    def build(d):
        table = d.add_table(rows=3, cols=3)
        for c, value in enumerate(("任务", "责任单位", "时间节点")):
            table.cell(0, c).text = value
        table.cell(1, 0).text, table.cell(2, 0).text = "完成验收9000亩", "新立项6500亩"
        table.cell(1, 1).merge(table.cell(2, 1)).text = "市农办"
        table.cell(1, 2).text, table.cell(2, 2).text = "年底前", "9月底前"

    text = read_bytes(_docx_bytes(tmp_path, build), "t.docx").text
    assert text.splitlines() == [
        "完成验收9000亩(责任单位:市农办;时间节点:年底前)。",
        "新立项6500亩(责任单位:市农办;时间节点:9月底前)。",
    ]


def _xlsx_bytes(tmp_path, build) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    build(book)
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    return path.read_bytes()


def test_xlsx_task_sheet_rows_become_task_lines_like_a_word_table(tmp_path):
    def build(book):
        sheet = book.active
        sheet.append(["2024年重点工作任务分解表"])
        sheet.merge_cells("A1:E1")
        sheet.append([None, None, None, None, None])
        sheet.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
        sheet.append(["一、扩大有效投资"])
        sheet.merge_cells("A4:E4")
        sheet.append(
            [1, "新开工重大项目30个", "市发改局", "市财政局\n市统计局", datetime.datetime(2024, 9, 30)]
        )
        sheet.append([2.0, "完成老旧小区改造12个", "市住建局", None, "年底前"])

    text = read_bytes(_xlsx_bytes(tmp_path, build), "分解表.xlsx").text
    assert text.splitlines() == [
        "2024年重点工作任务分解表",
        "一、扩大有效投资",
        "1.新开工重大项目30个(牵头单位:市发改局;配合单位:市财政局、市统计局;完成时限:2024年9月30日)。",
        "2.完成老旧小区改造12个(牵头单位:市住建局;完成时限:年底前)。",
    ]


def test_xlsx_lead_unit_merged_down_several_rows_applies_to_each_and_every_sheet_is_read(tmp_path):
    def build(book):
        first = book.active
        for row in (
            ["任务", "责任单位", "时间节点"],
            ["完成验收9000亩", "市农办", "年底前"],
            ["新立项6500亩", None, "9月底前"],
        ):
            first.append(row)
        first.merge_cells("B2:B3")
        second = book.create_sheet("其他")
        second.append(["会议强调,各乡镇(街道)要落实主体责任。"])

    text = read_bytes(_xlsx_bytes(tmp_path, build), "t.xlsx").text
    assert text.splitlines() == [
        "完成验收9000亩(责任单位:市农办;时间节点:年底前)。",
        "新立项6500亩(责任单位:市农办;时间节点:9月底前)。",
        "",
        "会议强调,各乡镇(街道)要落实主体责任。",
    ]


def _note_sheet(book, title, lines):
    note = book.active
    note.title = title
    for line in lines:
        note.append([line])


def test_xlsx_note_sheet_before_the_task_sheet_is_left_out(tmp_path):
    def build(book):
        _note_sheet(
            book, "填报说明", ["填报说明", "1.请各牵头单位于每月25日前填报工作进展情况。", "2.联系人:张三"]
        )
        tasks = book.create_sheet("任务台账")
        tasks.append(["2024年县政府常务会议议定事项督办台账"])
        tasks.merge_cells("A1:C1")
        tasks.append(["工作任务", "牵头单位", "完成时限"])
        tasks.append(["完成老旧小区改造12个", "县住建局", "年底前"])

    text = read_bytes(_xlsx_bytes(tmp_path, build), "t.xlsx").text
    assert text.splitlines() == [
        "2024年县政府常务会议议定事项督办台账",
        "完成老旧小区改造12个(牵头单位:县住建局;完成时限:年底前)。",
    ]


@pytest.mark.parametrize(
    ("properties_title", "name", "title"),
    [
        ("青山县2024年重点工作任务台账", "t.xlsx", "青山县2024年重点工作任务台账"),
        (None, "青山县重点工作任务台账.xlsx", "青山县重点工作任务台账"),
        (None, "book1.xlsx", None),  # a file name that names nothing is no title
    ],
)
def test_xlsx_task_sheet_without_a_title_row_is_named_by_the_workbook(
    tmp_path, properties_title, name, title
):
    def build(book):
        _note_sheet(book, "Sheet1", ["说明", "本表由县政府督查室汇总,请各单位认真核对。"])
        tasks = book.create_sheet("Sheet2")
        tasks.append(["工作任务", "牵头单位", "完成时限"])
        tasks.append(["完成老旧小区改造12个", "县住建局", "年底前"])
        book.properties.title = properties_title

    lines = read_bytes(_xlsx_bytes(tmp_path, build), name).text.splitlines()
    assert lines == [title] * (title is not None) + [
        "完成老旧小区改造12个(牵头单位:县住建局;完成时限:年底前)。"
    ]


def test_csv_ledger_that_opens_with_its_header_is_titled_by_a_file_name_naming_a_ledger():
    data = "工作任务,牵头单位,完成时限\n完成老旧小区改造12个,县住建局,年底前\n".encode()
    assert read_bytes(data, "青山县督办事项台账.csv").text.splitlines() == [
        "青山县督办事项台账",
        "完成老旧小区改造12个(牵头单位:县住建局;完成时限:年底前)。",
    ]
    assert read_bytes(data, "export.csv").text.splitlines()[0].startswith("完成老旧小区改造")


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_csv_task_table_in_gb18030_reads_like_the_same_table_in_word(separator):
    rows = [
        ["序号", "工作任务", "责任单位", "配合单位", "完成时间"],
        ["1", "加快建设城市公园,新增绿地20公顷", "市园林局", "市自然资源局、市财政局", "2024年10月底前"],
        ["2", "开展农村人居环境整治", "市农业农村局", "", "长期坚持"],
    ]
    quoted = [[f'"{c}"' if separator in c or "," in c else c for c in row] for row in rows]
    data = "\r\n".join(separator.join(row) for row in quoted).encode("gb18030")

    text = read_bytes(data, "任务.csv").text
    assert text.splitlines() == [
        "1.加快建设城市公园,新增绿地20公顷(责任单位:市园林局;配合单位:市自然资源局、市财政局;完成时间:2024年10月底前)。",
        "2.开展农村人居环境整治(责任单位:市农业农村局;完成时间:长期坚持)。",
    ]


def test_a_csv_ledger_without_a_task_header_keeps_each_row_as_labelled_fields():
    data = "会议,日期\n市政府常务会议,2024年3月5日\n".encode()
    assert read_bytes(data, "台账.csv").text == "会议:市政府常务会议;日期:2024年3月5日\n"


def test_a_broken_xlsx_is_an_input_error_naming_the_file():
    with pytest.raises(InputError, match="台账.xlsx.*不是有效的 Excel"):
        read_bytes(b"PK\x03\x04 not really a zip", "台账.xlsx")


def test_an_empty_sheet_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="没有文字内容"):
        read_bytes(_xlsx_bytes(tmp_path, lambda book: None), "空表.xlsx")


def test_empty_docx_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="没有文字内容"):
        read_bytes(_docx_bytes(tmp_path, lambda d: None), "空白.docx")


def test_a_broken_docx_is_an_input_error_naming_the_file():
    with pytest.raises(InputError, match="坏.docx.*不是有效的 Word"):
        read_bytes(b"PK\x03\x04not really a zip file", "坏.docx")


# --- bad input -----------------------------------------------------------------------------------


def test_empty_file_is_an_input_error(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="空.txt.*文件为空") as info:
        read_path(path)
    assert info.value.name == str(path)


def test_whitespace_only_file_is_an_input_error():
    with pytest.raises(InputError, match="没有文字内容"):
        read_bytes("\ufeff \n\n\u3000\n".encode(), "空白.txt")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 4, id="all bytes"),
        pytest.param(b"\x00\x01\x02\x03binary\x00\xff\xfe\x00", id="NUL bytes"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(100), id="executable"),
    ],
)
def test_binary_data_is_an_input_error(data):
    with pytest.raises(InputError, match="二进制|无法识别"):
        read_bytes(data, "数据.txt")


def test_zip_or_docx_saved_as_txt_says_to_rename_it():
    with pytest.raises(InputError, match="扩展名改为 .docx"):
        read_bytes(b"PK\x03\x04" + bytes(50), "纪要.txt")


def test_undecodable_bytes_are_an_input_error_that_suggests_utf8():
    data = "会议".encode() + b"\xff\xfe\xfd\x80\x81" * 20
    with pytest.raises(InputError, match="无法识别文字编码"):
        read_bytes(data, "乱码.txt")


def test_utf16_bom_with_broken_content_is_an_input_error():
    with pytest.raises(InputError, match="UTF-16"):
        read_bytes(b"\xff\xfe" + b"\x00\xd8\x41", "坏.txt")


def test_file_over_20_mb_is_an_input_error(tmp_path):
    path = tmp_path / "大.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="超过 20 MB"):
        read_path(path)
    with pytest.raises(InputError, match="超过 20 MB"):
        read_bytes(b"a" * (MAX_BYTES + 1), "大.txt")


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="文件夹"):
        read_path(tmp_path)


def test_missing_path_is_an_input_error_naming_the_path(tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    with pytest.raises(InputError, match="没有这个文件.txt.*不存在"):
        read_path(missing)


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("纪要.doc", "另存为” .docx 或 .txt"),
        ("纪要.pdf", "PDF"),
        ("纪要.wps", ".docx"),
        ("台账.xls", "另存为” .xlsx 或 .csv"),
        ("台账.et", ".xlsx 或 .csv"),
        ("纪要.pages", ".docx、.txt 或 .xlsx"),
    ],
)
def test_unsupported_extension_is_an_input_error_that_says_what_to_save_as(tmp_path, name, advice):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(InputError, match=advice):
        read_path(path)
    with pytest.raises(InputError, match=advice):
        read_bytes(b"whatever", name)


def test_input_error_message_names_the_file_and_the_reason():
    error = InputError("a.txt", "文件为空（0 字节）。")
    assert str(error) == "无法导入“a.txt”：文件为空（0 字节）。"
    assert (error.name, error.reason) == ("a.txt", "文件为空（0 字节）。")
    assert "b.docx" in str(InputError.no_meetings("b.docx"))
    assert "没有找到会议" in InputError.no_meetings("b.docx").reason


def test_input_error_also_takes_a_message_written_in_full():
    assert str(InputError("c.txt：没有找到会议。")) == "c.txt：没有找到会议。"


# --- normalize: characters and spaces -------------------------------------------------------------


def test_full_width_punctuation_becomes_what_nfkc_gives_and_chinese_marks_stay():
    assert normalize("会议要求，各乡镇（街道）要；完成：“是”、《法》。【题】！？") == (
        "会议要求,各乡镇(街道)要;完成:“是”、《法》。【题】!?\n"
    )


def test_mixed_commas_of_the_seed_become_one_form():
    assert normalize("印发《方案》，全面分解落实,坚持学法。") == "印发《方案》,全面分解落实,坚持学法。\n"


def test_spaces_next_to_chinese_are_removed_and_latin_spaces_stay():
    assert normalize("新增上云企业 1200 家。9 月 12 日,第 69 次") == "新增上云企业1200家。9月12日,第69次\n"
    assert normalize("综 述") == "综述\n"
    assert normalize("Made  in China 2025 计划") == "Made in China 2025计划\n"
    assert normalize("\u3000\u3000会议要求\u00a0各部门") == "会议要求各部门\n"


def test_zero_width_characters_and_controls_are_removed():
    assert normalize("会\u200b议\u200d要\u2060求\u00ad,\x07各部门") == "会议要求,各部门\n"


def test_line_endings_are_unified_and_blank_lines_collapse():
    assert normalize("全体会议\r\n\r\n\r\n常务会议\r专题会议") == "全体会议\n\n常务会议\n专题会议\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("二○一八年", "二〇一八年"),
        ("二◯一七年三月", "二〇一七年三月"),
        ("二O一八年", "二〇一八年"),
        ("2○18年", "2018年"),
        ("2O18年", "2018年"),
        ("二0一八年", "二〇一八年"),
        ("二〇一八年", "二〇一八年"),
        ("二零一八年", "二零一八年"),
        ("○加强巡查", "○加强巡查"),
        ("○1.加强巡查", "○1.加强巡查"),
        ("GOOD年", "GOOD年"),
    ],
)
def test_circles_and_latin_o_used_as_zero_in_years_are_fixed(raw, expected):
    assert normalize(raw) == expected + "\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市住建局要加快建设,\n6月30日前完成验收。", "市住建局要加快建设,6月30日前完成验收。\n"),
        (
            "市住建局要加快建设,确保\n\n- 3 -\n\n2024年6月底前完成验收。",
            "市住建局要加快建设,确保2024年6月底前完成验收。\n",
        ),
        (
            "5月18日,市长主持召开会议。\n6月1日,副市长主持召开会议。",
            "5月18日,市长主持召开会议。\n6月1日,副市长主持召开会议。\n",
        ),
    ],
)
def test_a_date_at_the_start_of_a_line_continues_a_sentence_broken_after_a_comma(raw, expected):
    assert normalize(raw) == expected


def test_a_task_table_pasted_one_cell_a_line_becomes_one_line_a_task():
    raw = (
        "重点工作任务分解表\n序号\n工作任务\n牵头单位\n配合单位\n完成时限\n"
        "1\n新建城市智慧停车平台\n市城管局\n市大数据局、市公安局\n2024年9月30日\n"
        "2\n拆除违法建筑10万平方米\n市城管局\n各区政府\n年底前\n"
    )
    assert normalize(raw) == (
        "重点工作任务分解表\n"
        "1.新建城市智慧停车平台(牵头单位:市城管局;配合单位:市大数据局、市公安局;完成时限:2024年9月30日)。\n"
        "2.拆除违法建筑10万平方米(牵头单位:市城管局;配合单位:各区政府;完成时限:年底前)。\n"
    )
    assert normalize(normalize(raw)) == normalize(raw)


def test_a_row_of_a_one_cell_a_line_table_that_does_not_fill_its_columns_is_left_as_it_was():
    raw = "序号\n工作任务\n牵头单位\n完成时限\n1\n新建城市智慧停车平台\n2024年9月30日\n2\n拆除违法建筑\n"
    assert "牵头单位:" not in normalize(raw)


def test_circled_numbers_stay_as_written():
    assert normalize("①加强监管；②完善机制") == "①加强监管;②完善机制\n"
    assert normalize("①加强监管,\n②完善机制") == "①加强监管,\n②完善机制\n"  # ② opens a paragraph


# --- normalize: page breaks ------------------------------------------------------------------------


def test_seed_page_break_in_the_tenth_executive_meeting_is_joined():
    raw = "会议要求,全市上下要进一步坚定教育优先发展战略,不断强化教育保障。各乡镇(街道)、相关部门要认真\n\n学习教育法律法规,积极引导各办学主体规范办学行为。\n"
    assert normalize(raw) == (
        "会议要求,全市上下要进一步坚定教育优先发展战略,不断强化教育保障。各乡镇(街道)、相关部门要认真学习教育法律法规,积极引导各办学主体规范办学行为。\n"
    )


def test_seed_page_break_before_a_short_last_line_is_joined_and_the_next_entry_stays():
    raw = (
        "节地生态公墓必须统一规划、统一建设、统一管理,严禁在房前屋后、农田\n\n"
        "耕地等区域私自建造。\n\n"
        "【第12次常务会议】 12月13日,市政府召开第十二次常务会议。\n"
    )
    assert normalize(raw) == (
        "节地生态公墓必须统一规划、统一建设、统一管理,严禁在房前屋后、农田耕地等区域私自建造。\n\n"
        "【第12次常务会议】12月13日,市政府召开第十二次常务会议。\n"
    )


def test_seed_page_breaks_are_all_joined():
    text = read_path(SEED)[1]
    for joined in (
        "相关部门要认真学习教育法律法规",
        "农田耕地等区域私自建造",
        "三是建立健全长效机制",
        "省第十四次党代会和省政府第十次全体会议",
        "破解难题、推动发展",
        "三是氛围要浓",
        "果断行动,确保督察期间不产生环保事件",
        "市公管办完成电子化交易平台的初建",
        "为市重点、亮点工程的顺利推进",
        "实现自营出口99.14亿元,增长12.9%",
    ):
        assert joined in text, joined


def test_seed_photo_caption_inside_a_page_break_is_dropped_and_the_sentence_joined():
    text = read_path(SEED)[1]
    assert "把企业群众的急办件" in text
    assert "“什么事难办就办什么事”的兜底综合窗口。\n" not in text


def test_seed_headings_and_entry_starts_are_not_joined():
    lines = read_path(SEED)[1].splitlines()
    for heading in ("全体会议", "常务会议", "专题会议", "政务热线", "人事工作", "(王浙江)", "(费伟军)"):
        assert heading in lines
    assert all(line.startswith("【") for line in lines if "次常务会议】" in line)


def test_heading_and_entry_lines_are_never_joined_to_the_next_line():
    raw = "全体会议\n\n【十六届一次全体会议】 2月24日,市政府召开十六届一次全体会议。\n\n常务会议\n会议要求\n"
    assert (
        normalize(raw)
        == "全体会议\n\n【十六届一次全体会议】2月24日,市政府召开十六届一次全体会议。\n\n常务会议\n会议要求\n"
    )


def test_a_bare_page_number_between_the_halves_is_dropped():
    raw = "会议强调,相关部门要切实强化部门\n\n12\n\n职责,敢于动真碰硬。\n"
    assert normalize(raw) == "会议强调,相关部门要切实强化部门职责,敢于动真碰硬。\n"


def test_a_running_page_header_between_the_halves_of_a_word_is_dropped():
    raw = "会议强调,市文广旅体局要推出一批文旅惠\n\n华溪年鉴(2021)\n\n民措施,确保二季度恢复。\n\n政府工作\n\n【概况】全年。\n"
    assert (
        normalize(raw)
        == "会议强调,市文广旅体局要推出一批文旅惠民措施,确保二季度恢复。\n\n政府工作\n\n【概况】全年。\n"
    )


def test_decorated_page_numbers_are_dropped_everywhere():
    assert normalize("会议要求,各部门要落实。\n- 3 -\n第 4 页 共 9 页\n—5—\n") == "会议要求,各部门要落实。\n"


def test_numbered_decisions_and_field_lines_are_not_joined():
    raw = (
        "会议就有关具体事项明确如下\n"
        "1.由市财政局负责落实资金,确保6月底前到位\n"
        "2.由市建设局负责施工\n"
        "牵头单位:市发改局\n"
        "(一)加快推进,要求如下\n"
        "二、关于城乡公交一体化\n"
        "会议强调,各部门要落实。\n"
    )
    assert normalize(raw) == raw


def test_a_line_ending_with_a_closed_quote_is_complete_but_an_open_one_is_not():
    assert normalize("会议指出,要坚持“只能成功不许失败。”\n\n全市上下要认清形势。") == (
        "会议指出,要坚持“只能成功不许失败。”\n\n全市上下要认清形势。\n"
    )
    assert normalize("重点围绕电机高端化,实施“七化行动”\n\n,不断加快改造提升。") == (
        "重点围绕电机高端化,实施“七化行动”,不断加快改造提升。\n"
    )


def test_a_news_title_is_not_joined_to_the_date_line_and_body():
    raw = "市政府召开第十二次常务会议研究部署安全生产、项目建设等工作\n\n5月6日,市长张三主持召开市政府第十二次常务会议。\n"
    assert normalize(raw) == raw


# --- normalize: web chrome ------------------------------------------------------------------------


def test_web_page_chrome_lines_are_dropped():
    raw = "\n".join(
        [
            "首页 > 新闻中心 > 政务动态",
            "当前位置:首页>>政务公开>>会议纪要",
            "市政府召开第十二次常务会议",
            "发布时间:2023-05-06 10:21 来源:嵊州市人民政府办公室 浏览次数:1024",
            "【字体:大 中 小】",
            "字号 大 中 小",
            "阅读数:356",
            "5月6日,市长张三主持召开市政府第十二次常务会议。",
            "会议要求,各乡镇(街道)要落实主体责任。",
            "分享到:微信 微博 QQ空间",
            "【打印】 【关闭窗口】",
            "打印",
            "(责任编辑:李四)",
            "上一篇:市政府召开第十一次常务会议",
            "扫一扫在手机打开当前页",
        ]
    )
    assert normalize(raw) == (
        "市政府召开第十二次常务会议\n5月6日,市长张三主持召开市政府第十二次常务会议。\n会议要求,各乡镇(街道)要落实主体责任。\n"
    )


def test_chrome_words_inside_sentences_stay():
    raw = (
        "会议要求,要及时打印并分享到各乡镇,浏览量不是考核依据。\n"
        "资金来源:市财政安排,各乡镇配套。\n"
        "时间:2023年5月6日\n"
        "来源广泛的意见要认真吸收。\n"
    )
    assert normalize(raw) == raw


# --- normalize: invariants ------------------------------------------------------------------------


def test_normalize_is_idempotent_on_the_seed():
    text = read_path(SEED)[1]
    assert normalize(text) == text


_ALPHABET = st.sampled_from(
    list(
        "会议要求各部门认真学习。,，;；:：!?“”()（）【】《》、 \u3000\t\n\n\n\r0123456789○〇零一二三OoA>首页打印来源浏览"
    )
    + ["\ufeff", "\u200b", "①", "二○一八年", "\n\n12\n\n", "- 3 -", "全体会议\n", "【第1次常务会议】"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
@example(", 0二○一八年")  # the repaired year turns Chinese and takes the space before it with it
def test_normalize_is_idempotent_on_arbitrary_text(raw):
    once = normalize(raw)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalize_never_raises_and_leaves_no_invisible_characters(raw):
    out = normalize(raw)
    assert "\ufeff" not in out and "\u200b" not in out and "\r" not in out
    assert normalize(out) == out


def test_tab_separated_task_table_becomes_task_lines_like_docx_tables():
    text = (
        "重点工作任务分解表\n"
        "序号\t任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t新建农村公路100公里\t市交通运输局\t各乡镇(街道)\t2020年6月30日\n"
        "2\t完成老旧小区改造30个\t市住建局\t\t年底前\n"
    )
    lines = normalize(text).splitlines()
    assert (
        lines[1]
        == "1.新建农村公路100公里(牵头单位:市交通运输局;配合单位:各乡镇(街道);完成时限:2020年6月30日)。"
    )
    assert lines[2] == "2.完成老旧小区改造30个(牵头单位:市住建局;完成时限:年底前)。"


def test_tab_separated_rows_without_a_task_header_keep_their_cells_apart():
    assert normalize("姓名\t单位\t电话\n张三\t市农办\t12345\n").splitlines() == [
        "姓名|单位|电话",
        "张三|市农办|12345",
    ]


def test_a_task_table_pasted_with_runs_of_spaces_reads_like_a_tab_separated_one():
    raw = (
        "重点任务分解表\n序号    重点任务    牵头单位    配合单位    完成时限\n"
        "1    全面推行企业开办集成服务    市市场监管局    市公安局、市税务局    2023年6月底前\n"
        "县政府办公室          2023年3月15日\n"
    )
    assert normalize(raw) == (
        "重点任务分解表\n"
        "1.全面推行企业开办集成服务(牵头单位:市市场监管局;配合单位:市公安局、市税务局;完成时限:2023年6月底前)。\n"
        "县政府办公室2023年3月15日\n"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "责任单位:县农业农村局、\n各乡镇\n完成时限:2024年12月底前",
            "责任单位:县农业农村局、各乡镇\n完成时限:2024年12月底前\n",
        ),
        (
            "各乡镇要抓好秸秆禁烧,县农业农村局、\n县生态环境分局\n要加强巡查。",
            "各乡镇要抓好秸秆禁烧,县农业农村局、县生态环境分局要加强巡查。\n",
        ),
    ],
)
def test_a_line_broken_after_an_enumeration_comma_goes_on_even_into_a_short_line(raw, expected):
    assert normalize(raw) == expected


def test_a_task_table_pasted_as_a_markdown_table_reads_like_a_tab_separated_one():
    raw = (
        "重点任务分解表\n"
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| --- | :--- | --- | --- | --- |\n"
        "| 1 | 新建农村公路100公里 | 市交通运输局 | 各乡镇(街道) | 2020年6月30日 |\n"
        "| 2 | 完成老旧小区改造30个 | 市住建局 |  | 年底前 |\n"
    )
    assert normalize(raw) == (
        "重点任务分解表\n"
        "1.新建农村公路100公里(牵头单位:市交通运输局;配合单位:各乡镇(街道);完成时限:2020年6月30日)。\n"
        "2.完成老旧小区改造30个(牵头单位:市住建局;完成时限:年底前)。\n"
    )
    assert (
        normalize("| 姓名 | 单位 | 电话 |\n| 张三 | 市农办 | 12345 |\n")
        == "姓名|单位|电话\n张三|市农办|12345\n"
    )


def test_a_space_beside_a_circle_written_for_zero_goes_in_the_first_pass():
    once = normalize("一○ ,")
    assert once == "一〇,\n" and normalize(once) == once


def test_a_task_table_whose_cells_are_set_one_space_apart_reads_like_a_tab_separated_one():
    raw = (
        "重点任务清单\n序号 任务 牵头单位 配合单位 完成时限\n"
        "1\t新增城镇就业岗位8000个\t县人社局\t各乡镇\t2024年12月底\n"
        "2 建成乡镇污水处理设施5座 县住建局 县生态环境分局 2024年9月底\n"
        "县人民政府办公室\n"
    )
    assert normalize(raw) == (
        "重点任务清单\n"
        "1.新增城镇就业岗位8000个(牵头单位:县人社局;配合单位:各乡镇;完成时限:2024年12月底)。\n"
        "2.建成乡镇污水处理设施5座(牵头单位:县住建局;配合单位:县生态环境分局;完成时限:2024年9月底)。\n"
        "县人民政府办公室\n"
    )


def test_a_byline_with_a_clock_time_is_not_joined_onto_the_title_above_it():
    text = normalize(
        "重磅！县政府召开第12次常务会议，这些事定了→\n云溪发布 云溪发布 2024年08月02日 20:15\n"
        "8月1日，县长王建国主持召开县政府第12次常务会议。\n"
    )
    assert text.splitlines()[0] == "重磅!县政府召开第12次常务会议,这些事定了→"


def test_a_field_label_broken_after_its_first_character_is_one_word_again():
    text = normalize(
        "3.开展农村人居环境整治提升行动,创建美丽乡村示范村20个。责\n任单位:市农业农村局;完成时限:10月底前。\n"
    )
    assert "责任单位:市农业农村局" in text.splitlines()[0]
