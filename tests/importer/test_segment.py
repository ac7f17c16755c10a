"""Segmenting documents into meetings: layouts, kinds, 届 and 次, dates."""

import datetime

import pytest

from importer.read import normalize
from importer.segment import (
    MINUTES,
    NEWS,
    TASKS,
    YEARBOOK,
    detect_layout,
    kind_of,
    parse_session_number,
    publication_date,
    segment,
)
from importer.types import EXECUTIVE, OTHER, PLENARY, SPECIAL

YEARBOOK_TEXT = """全体会议

【十五届三次全体会议】 2月3日,市政府召开十五届三次全体会议。会议要求,各级各部门要抓好落实。

常务会议

【十五届政府第40次常务会议】 1月6日,市政府召开第40次常务会议。会议要求,市财政局要加强预算管理。

【第41次常务会议】 1月20日,市政府召开第四十一次常务会议。会议要求,市住建局要加快项目建设。

【十六届政府第一次常务会议】 3月13日,市政府召开十六届人民政府第一次常务会议。会议要求,相关部门要做好衔接。

【第2次常务会议】 3月31日,市政府召开第二次常务会议。会议要求,各乡镇(街道)要落实责任。

专题会议

【全市安全生产工作会议】 4月1日,全市安全生产工作会议强调,全市上下要压实责任。

办公室工作

【概况】 全年召开各类会议120次。要求各部门要按时报送材料。

【职能工作】 一是做好会务。二是做好督查。
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("十六届政府第1次常务会议", (16, 1)),
        ("十五届政府第 69 次常务会议", (15, 69)),
        ("十六届一次全体会议", (16, 1)),
        ("十八届人民政府第一次常务会议", (18, 1)),
        ("第七十一次常务会议", (None, 71)),
        ("市政府第三次全体(扩大)会议", (None, 3)),
        ("第十六届第二十三次常务会议", (16, 23)),
        ("全市安全生产工作会议", (None, None)),
    ],
)
def test_session_and_number_are_read_in_arabic_or_chinese_numerals(name, expected):
    assert parse_session_number(name) == expected


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("十六届一次全体会议", PLENARY),
        ("市政府第三次全体(扩大)会议", PLENARY),
        ("第70次常务会议", EXECUTIVE),
        ("关于停车设施建设的专题会议", SPECIAL),
        ("市政府党组(扩大)会议", SPECIAL),
    ],
)
def test_kind_comes_from_the_meeting_name(title, kind):
    assert kind_of(title) == kind


def test_yearbook_entries_whose_title_ends_in_meeting_are_meetings_and_work_reports_are_not():
    titles = [m.title for m in segment(YEARBOOK_TEXT, 2017)]
    assert titles == [
        "十五届三次全体会议",
        "十五届政府第40次常务会议",
        "第41次常务会议",
        "十六届政府第一次常务会议",
        "第2次常务会议",
        "全市安全生产工作会议",
    ]


def test_yearbook_kind_follows_title_and_heading():
    kinds = [m.kind for m in segment(YEARBOOK_TEXT, 2017)]
    assert kinds == [PLENARY, EXECUTIVE, EXECUTIVE, EXECUTIVE, EXECUTIVE, SPECIAL]


def test_executive_meetings_without_session_inherit_it_from_the_one_before():
    meetings = segment(YEARBOOK_TEXT, 2017)
    assert [(m.session, m.number) for m in meetings if m.kind == EXECUTIVE] == [
        (15, 40),
        (15, 41),
        (16, 1),
        (16, 2),
    ]


def test_numbering_that_starts_again_means_a_new_session():
    text = "常务会议\n\n【十五届政府第72次常务会议】 1月6日,会议要求,各部门要落实。\n\n【第1次常务会议】 3月6日,会议要求,各部门要落实。\n"
    assert [m.session for m in segment(text, 2017)] == [15, 16]


def test_yearbook_date_uses_the_year_passed_in():
    meetings = segment(YEARBOOK_TEXT, 2017)
    assert meetings[0].date == datetime.date(2017, 2, 3)
    assert meetings[-1].date == datetime.date(2017, 4, 1)


def test_yearbook_year_is_found_in_the_text_when_not_passed():
    text = "【概况】 2019年,全市完成2019年目标。\n\n【第3次常务会议】 4月9日,市政府召开第三次常务会议。会议要求,各部门要落实。\n"
    assert segment(text)[0].date == datetime.date(2019, 4, 9)


def test_meeting_text_runs_to_the_next_entry_or_heading():
    meetings = segment(YEARBOOK_TEXT, 2017)
    assert meetings[-1].text.startswith("【全市安全生产工作会议】")
    assert "办公室工作" not in meetings[-1].text
    assert meetings[0].text[meetings[0].body_start :].lstrip().startswith("2月3日")


NEWS_TEXT = normalize(
    """市政府召开第32次常务会议
发布时间:2023-05-19 17:42 来源:市政府办公室
5月18日,市长陈立新主持召开市政府第32次常务会议,研究部署近期重点工作。
会议要求,各地各部门要绷紧安全生产这根弦。
"""
)


def test_news_report_is_one_meeting_dated_by_its_convening_sentence_not_its_publication():
    (meeting,) = segment(NEWS_TEXT, None, default_year=2023)
    assert meeting.layout == NEWS
    assert meeting.kind == EXECUTIVE
    assert meeting.number == 32
    assert meeting.date == datetime.date(2023, 5, 18)
    assert meeting.title == "市政府召开第32次常务会议"


def test_a_page_of_several_news_reports_gives_one_meeting_each():
    text = normalize(
        "市政府召开第31次常务会议\n\n2024-04-16 10:20\n\n"
        "4月15日,市长韩冰主持召开第31次市政府常务会议。会议要求,市金融办要做好风险排查。\n\n"
        "市政府召开第32次常务会议\n\n"
        "4月29日,市长韩冰主持召开第32次市政府常务会议。会议强调,市财政局要加快专项债券发行使用。\n"
    )
    meetings = segment(text, 2024)
    assert [(m.number, m.date) for m in meetings] == [
        (31, datetime.date(2024, 4, 15)),
        (32, datetime.date(2024, 4, 29)),
    ]
    assert "市财政局" not in meetings[0].text and "市金融办" not in meetings[1].text
    assert text[meetings[1].start :].startswith(meetings[1].text)


def test_news_report_of_january_meeting_published_in_the_new_year_keeps_the_right_year():
    text = "市政府召开常务会议\n发布时间:2024-01-02 09:00\n12月29日,市长主持召开市政府常务会议。会议要求,各部门要落实。\n"
    (meeting,) = segment(text)
    assert meeting.date == datetime.date(2023, 12, 29)


MINUTES_TEXT = """临川县人民政府常务会议纪要
〔2022〕6号
临川县人民政府办公室 2022年4月8日
4月6日,县长郑明辉主持召开十八届县政府第15次常务会议,研究有关事项。现纪要如下:
一、关于停车设施建设
会议要求,县住建局要加快选址。
"""


def test_minutes_take_meeting_date_and_numbers_from_the_convening_sentence_not_the_issue_date():
    assert detect_layout(MINUTES_TEXT) == MINUTES
    (meeting,) = segment(MINUTES_TEXT)
    assert meeting.date == datetime.date(2022, 4, 6)
    assert (meeting.session, meeting.number) == (18, 15)
    assert meeting.kind == EXECUTIVE
    assert meeting.title == "临川县人民政府常务会议"
    assert "〔2022〕6号" not in meeting.text[meeting.body_start :]


def test_minutes_header_fields_are_not_body():
    text = "关于老旧小区改造的专题会议纪要\n时间:2024年3月12日上午\n参加:市住建局、市财政局、市自然资源和规划局、市城管局、各街道办事处负责同志\n会议要求,市住建局要加快推进。\n"
    (meeting,) = segment(text)
    assert meeting.date == datetime.date(2024, 3, 12)
    assert meeting.text[meeting.body_start :].lstrip().startswith("会议要求")


def test_task_document_is_one_meeting_of_kind_other():
    text = "2023年重点工作任务分解\n一、稳增长\n1.全年地区生产总值增长6%。(牵头单位:市发改局)\n"
    assert detect_layout(text) == TASKS
    (meeting,) = segment(text)
    assert meeting.kind == OTHER
    assert meeting.year == 2023
    assert (meeting.session, meeting.number, meeting.date) == (None, None, None)


def test_a_sheet_of_two_tasks_without_a_title_is_a_task_document():
    text = (
        "1.完成城区雨污分流改造20公里(牵头单位:市住建局;办理状态:办理中)。\n"
        "2.新建公共停车场5处(牵头单位:市城管局;完成时限:2024年9月30日)。\n"
    )
    assert detect_layout(text) == TASKS
    assert detect_layout("2024年重点工作推进台账\n" + text) == TASKS


def test_a_news_report_naming_one_owner_is_no_task_document():
    text = "市政府研究部署防汛工作。\n会议要求,各地要做好准备。\n市水利局要加强巡查(责任单位:市水利局)。\n"
    assert detect_layout(text) != TASKS


def test_a_task_document_sent_with_a_notice_is_named_after_the_document():
    text = (
        "关于印发《平阳县2024年重点工作任务分解》的通知\n各乡镇人民政府:\n现将任务分解印发给你们。\n"
        "平阳县人民政府办公室\n2024年2月26日\n1.完成投资。(牵头单位:县发改局)\n"
    )
    (meeting,) = segment(text)
    assert (meeting.title, meeting.date) == ("平阳县2024年重点工作任务分解", datetime.date(2024, 2, 26))


def test_yearbook_layout_is_detected_by_meeting_entries():
    assert detect_layout(YEARBOOK_TEXT) == YEARBOOK


@pytest.mark.parametrize("text", ["", "   \n", "没有会议的文字。", "【】", "【会议】"])
def test_odd_input_gives_no_error(text):
    segment(text, 2020)


def test_a_task_document_is_dated_by_its_signature_not_by_a_time_limit_near_the_end():
    text = (
        "2024年重点任务清单\n(一)推进扩区调位。\n责任单位:开发区管委会\n时间节点:2024年6月30日前\n"
        "领导小组办公室\n2024年1月15日\n"
    )
    (meeting,) = segment(text)
    assert meeting.date == datetime.date(2024, 1, 15)


def test_minutes_are_named_by_the_title_that_names_their_subject():
    text = (
        "专 题 会 议 纪 要\n〔2023〕第28期\n\n关于研究城区冬季供暖保障工作的会议纪要\n\n"
        "二〇二三年十一月二十日,副市长杨帆主持召开专题会议,研究城区冬季供暖保障工作。\n会议明确,市城管局要加快改造。\n"
    )
    (meeting,) = segment(text)
    assert (meeting.title, meeting.kind, meeting.date) == (
        "关于研究城区冬季供暖保障工作的会议",
        "special",
        datetime.date(2023, 11, 20),
    )


def test_a_news_title_naming_a_task_list_and_a_stray_bracket_line_keep_the_news_layout():
    text = (
        "市政府召开常务会议 研究部署重点任务清单\n2023-03-02 来源:市政府办公室\n"
        "3月1日,市长张三主持召开市政府第12次常务会议。\n【相关链接】\n会议研究了重点任务清单。张三强调,各部门要抓好落实。\n"
    )
    assert detect_layout(text) == NEWS
    (meeting,) = segment(text)
    assert (meeting.kind, meeting.number, meeting.date) == ("executive", 12, datetime.date(2023, 3, 1))


def test_a_news_meeting_is_dated_before_its_page_whatever_year_the_caller_passes():
    text = (
        "县长办公会议专题研究重大项目推进工作\n发布时间:2024年01月03日\n"
        "12月28日,县长刘志远主持召开县长办公会议。会议要求,县发改局要加快推进。\n"
    )
    for year in (None, 2023, 2024):
        (meeting,) = segment(text, year)
        assert meeting.date == datetime.date(2023, 12, 28)


@pytest.mark.parametrize(
    ("published", "lead", "expected"),
    [
        ("2023-06-06", "本报讯 5日上午,市长张三主持召开市政府第20次常务会议。", datetime.date(2023, 6, 5)),
        ("2023-06-03", "30日,市长张三主持召开市政府第20次常务会议。", datetime.date(2023, 5, 30)),
        ("2023-06-03", "近日,市长张三主持召开市政府第20次常务会议。", None),
    ],
)
def test_a_news_lead_with_only_a_day_takes_the_month_of_its_page(published, lead, expected):
    text = f"市政府召开常务会议\n发布时间:{published} 08:00\n{lead}会议要求,各部门要抓好落实。\n"
    (meeting,) = segment(text)
    assert (meeting.date, meeting.number) == (expected, 20)


def test_a_tasks_time_limit_is_not_the_pages_publication_date():
    text = (
        "市政府召开第12次常务会议\n"
        "1.修缮城区道路(牵头单位:市交通运输局;完成时间:2025年3月31日)。\n"
        "发布时间:2024-12-30 10:20\n"
    )
    assert publication_date(text) == datetime.date(2024, 12, 30)
    assert publication_date(text.replace("发布时间:2024-12-30 10:20\n", "")) is None


@pytest.mark.parametrize(("word", "held"), [("昨日下午", 9), ("今天上午", 10), ("前天", 8)])
def test_a_report_that_says_yesterday_dates_the_meeting_by_its_page(word, held):
    text = (
        "市政府召开专题会议部署防汛工作\n"
        "发布时间:2025-06-10 08:30 来源:临江日报\n"
        f"本报讯(记者 张三){word},副市长李红主持召开全市防汛工作专题会议。\n"
        "会议要求,市水利局要在6月15日前完成全市水库安全隐患排查。\n"
    )
    (meeting,) = segment(normalize(text), published=datetime.date(2025, 6, 10))
    assert meeting.date == datetime.date(2025, 6, held)


@pytest.mark.parametrize("bullet", ["■", "◆", "●", "▲", ""])
def test_each_paragraph_opening_with_a_meeting_name_and_its_date_is_a_meeting_of_its_own(bullet):
    text = normalize(
        "政府常务会议\n发布时间:2024-04-02\n\n"
        f"{bullet}市政府第3次常务会议 3月5日召开。会议要求,市农业农村局要抓好春耕备耕。\n\n"
        f"{bullet}十五届市政府第4次常务会议:3月19日上午召开。会议强调,市应急管理局要开展安全生产大检查。\n\n"
        f"{bullet}全市防汛工作专题会议(4月1日)\n会议要求,市水利局要在5月底前完成水库除险加固。\n"
    )
    meetings = segment(text, 2024)
    assert [(m.title, m.kind, m.session, m.number, m.date) for m in meetings] == [
        ("市政府第3次常务会议", EXECUTIVE, None, 3, datetime.date(2024, 3, 5)),
        ("十五届市政府第4次常务会议", EXECUTIVE, 15, 4, datetime.date(2024, 3, 19)),
        ("全市防汛工作专题会议", SPECIAL, None, None, datetime.date(2024, 4, 1)),
    ]
    assert "市应急管理局" not in meetings[0].text and "市农业农村局" not in meetings[1].text


def test_a_report_whose_lead_paragraph_repeats_its_title_with_the_date_is_one_meeting():
    text = normalize(
        "全市安全生产工作会议召开\n发布时间:2024-03-06\n\n"
        "全市安全生产工作会议3月5日在市行政中心召开。会议要求,各地各部门要压实安全生产责任。\n"
    )
    assert [(m.title, m.date) for m in segment(text, 2024)] == [
        ("全市安全生产工作会议", datetime.date(2024, 3, 5))
    ]


def test_a_meeting_paragraph_of_late_december_on_a_january_page_is_dated_in_the_year_before():
    text = normalize(
        "■市政府第30次常务会议 12月28日召开。会议要求,市财政局要做好年终结算。\n\n"
        "■市政府第1次常务会议 1月2日召开。会议要求,市商务局要做好节日市场保供。\n"
    )
    meetings = segment(text, 2024, published=datetime.date(2024, 1, 3))
    assert [m.date for m in meetings] == [datetime.date(2023, 12, 28), datetime.date(2024, 1, 2)]


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("向阳街道办事处工作例会纪要", "向阳街道办事处工作例会"),
        ("全县秋冬季森林防火工作推进会纪要", "全县秋冬季森林防火工作推进会"),
        ("关于老旧小区改造的专题会议纪要", "关于老旧小区改造的专题会议"),
    ],
)
def test_minutes_named_by_their_meeting_drop_only_the_word_minutes(head, title):
    (meeting,) = segment(head + "\n时间:2024年2月26日\n会议要求,各社区要在3月10日前完成排查。\n")
    assert meeting.title == title


@pytest.mark.parametrize(
    ("head", "title", "kind", "session", "number"),
    [
        ("青山县人民政府\n常务会议纪要", "青山县人民政府常务会议", EXECUTIVE, None, None),
        ("江北市人民政府\n第12次常务会议纪要", "江北市人民政府第12次常务会议", EXECUTIVE, None, 12),
        ("江北市十五届人民政府\n第3次全体会议纪要", "江北市十五届人民政府第3次全体会议", PLENARY, 15, 3),
        ("清河县人民政府\n\n县长办公会议纪要", "清河县人民政府县长办公会议", SPECIAL, None, None),
        ("江北市住房和城乡建设局\n专题会议纪要", "江北市住房和城乡建设局专题会议", SPECIAL, None, None),
    ],
)
def test_a_minutes_title_over_two_lines_is_the_issuer_and_the_meeting_joined(
    head, title, kind, session, number
):
    text = head + "\n〔2024〕6号\n\n时间:2024年4月8日\n会议要求,县住建局要在6月底前完成老旧小区改造。\n"
    (meeting,) = segment(text)
    assert (meeting.title, meeting.kind, meeting.session, meeting.number) == (title, kind, session, number)


@pytest.mark.parametrize(
    "head",
    [
        "江北市人民政府门户网站\n市政府召开第12次常务会议",  # a site's name over a news title
        "江北市人民政府\n关于研究城区供暖工作的会议纪要",  # a title that names its subject stands alone
        "江北市人民政府办公室,2024年4月9日\n专题会议纪要",
    ],
)
def test_a_line_above_a_title_that_is_no_issuer_or_a_title_with_its_own_subject_is_not_joined(head):
    text = head + "\n时间:2024年4月8日\n会议要求,县住建局要在6月底前完成老旧小区改造。\n"
    (meeting,) = segment(text)
    assert not meeting.title.startswith("江北市人民政府")


def test_a_bullet_before_a_news_title_is_no_part_of_it():
    text = "▶市政府召开第25次常务会议\n2024年7月22日,市长张建主持召开市政府第25次常务会议。\n▶会议要求,各部门要查漏补缺。\n"
    (meeting,) = segment(text)
    assert (meeting.title, meeting.number) == ("市政府召开第25次常务会议", 25)


def test_a_yearbook_title_with_a_bracketed_number_after_meeting_is_a_meeting():
    text = (
        "常务会议\n"
        "【区政府常务会议(第3次)】 3月12日召开。会议要求,区城管局要加快推进垃圾分类。\n"
        "专题会议\n"
        "【区政府专题会议(第4期)】 5月6日召开。会议要求,区住建局要加强日常巡查。\n"
        "【区政府工作(第2期)】 5月9日,区政府办公室编印简报。\n"
    )
    meetings = segment(normalize(text), 2024)
    assert [(m.title, m.kind, m.number) for m in meetings] == [
        ("区政府常务会议(第3次)", EXECUTIVE, 3),
        ("区政府专题会议(第4期)", SPECIAL, None),
    ]


NOTICE_UNCONVENED = (
    "关于抓好县政府第8次常务会议议定事项落实的督办通知\n\n各乡镇人民政府,县政府各部门:\n"
    "3月18日,县政府第8次常务会议研究了春季农业生产等工作。现将会议议定事项通知如下。\n"
    "一、会议要求,县农业农村局要抓好春耕备耕。\n"
    "请各承办单位于每月25日前将办理情况报送县政府督查室。\n\n县人民政府办公室\n2024年3月22日\n"
)
NOTICE_CONVENED = (
    "督办通知\n县府督〔2024〕5号\n\n县直各有关单位:\n"
    "2024年4月9日下午,县长李明主持召开县政府第十二次常务会议,研究部署安全生产等工作。现通知如下:\n"
    "1.县应急管理局要在5月底前完成全县危化企业安全隐患排查。\n\n县政府督查室\n2024年4月12日\n"
)
NOTICE_WITH_OWNERS = (
    "关于落实区政府第5次专题会议议定事项的通知\n\n各街道办事处,区直各有关单位:\n"
    "5月10日,区政府第5次专题会议专题研究了城区停车难治理工作。现将会议议定事项及责任分工通知如下:\n"
    "一、加快建设公共停车场。\n责任单位:区住建局(牵头)、区自然资源局\n完成时限:2024年12月底\n"
    "二、开展占道停车专项整治。\n责任单位:区公安分局交警大队(牵头)\n完成时限:2024年7月底\n"
    "三、推进机关单位停车场错时开放。\n责任单位:区机关事务中心\n完成时限:2024年9月底\n\n"
    "区人民政府办公室\n2024年5月15日\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NOTICE_UNCONVENED, ("县政府第8次常务会议", EXECUTIVE, 8, datetime.date(2024, 3, 18))),
        (NOTICE_CONVENED, ("县政府第十二次常务会议", EXECUTIVE, 12, datetime.date(2024, 4, 9))),
        (NOTICE_WITH_OWNERS, ("区政府第5次专题会议", SPECIAL, 5, datetime.date(2024, 5, 10))),
    ],
)
def test_a_notice_relaying_a_meeting_is_named_and_dated_by_that_meeting(text, expected):
    (meeting,) = segment(normalize(text), 2024)
    assert (meeting.title, meeting.kind, meeting.number, meeting.date) == expected


def test_a_bulleted_entry_followed_by_a_heading_keeps_its_own_line_as_body():
    text = normalize(
        "全体会议\n"
        "○县政府第一次全体会议 2月10日召开。会议要求,县发改局要在6月底前完成重点项目开工。\n"
        "常务会议\n"
        "○县政府第十二次常务会议 4月8日召开。会议要求,县水利局要抓紧组织实施。\n"
    )
    meetings = segment(text, 2024)
    assert [m.number for m in meetings] == [1, 12]
    assert "县发改局要在6月底前" in meetings[0].text[meetings[0].body_start :]


def test_minutes_headed_only_by_a_spaced_meeting_minutes_take_their_title_from_the_convening_sentence():
    text = normalize(
        "嵊州市人民政府办公室文件\n\n会 议 纪 要\n\n"
        "2024年3月15日下午,市长王建国主持召开市政府第二十次常务会议,研究部署安全生产工作。\n"
        "会议要求,市应急管理局要牵头开展安全生产大检查。\n"
    )
    (meeting,) = segment(text)
    assert meeting.title == "市政府第二十次常务会议"
    assert (meeting.kind, meeting.number) == (EXECUTIVE, 20)


def test_a_column_tag_before_a_news_title_is_not_part_of_the_meeting_name():
    text = normalize(
        "【政务】市政府召开第7次常务会议\n原创 平阳发布 2024-06-12 18:30 发表于浙江\n"
        "6月11日下午,市长张敏主持召开市政府第7次常务会议。会议要求,市应急管理局要加强值守。\n"
    )
    (meeting,) = segment(text)
    assert meeting.title == "市政府召开第7次常务会议"
    assert meeting.date == datetime.date(2024, 6, 11)
