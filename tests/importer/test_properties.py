"""Property tests: the parser never raises, and every span reproduces its item's text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.pipeline import parse_text, to_json

# Pieces of meeting prose, so that random texts often hold meetings, cues, lists and brackets.
PIECES = [
    "【第3次常务会议】",
    "【概况】",
    "常务会议\n",
    "专题会议\n",
    "4月26日,",
    "市政府召开第三次常务会议。",
    "会议要求,",
    "会议强调,",
    "会议审议了《办法》。",
    "会议认为,",
    "会议就有关事项明确如下:\n",
    "各乡镇(街道)、相关部门要",
    "市住建局要会同市财政局",
    "由市发改局牵头,市财政局配合,",
    "落实主体责任",
    "确保年底前完成",
    "力争全年增长8%以上",
    "一是",
    "二是",
    "(一)",
    "1.",
    "(责任单位:县住建局;完成时限:2022年6月30日)",
    "(牵头单位:市发改局;责任单位:各县(市、区)人民政府,下同)",
    "牵头单位:市住建局\n",
    "任务分解\n",
    "会议纪要\n",
    "发布时间:2023-05-19 17:42\n",
    ";",
    "。",
    ",",
    "\n",
    "\n\n",
    "(",
    ")",
    "《",
    "》",
    "“",
    "”",
    "将",
    "要",
    "下同",
]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, year=st.one_of(st.none(), st.integers(min_value=1990, max_value=2040)))
def test_parser_never_raises_and_spans_reproduce_item_text(text, year):
    doc = parse_text(text, source="random.txt", year=year)
    for meeting in doc.meetings:
        for item in meeting.items:
            start, end = item.span
            assert 0 <= start <= end <= len(meeting.text)
            assert meeting.text[start:end] == item.text
            assert item.text.strip()
    to_json([doc])
