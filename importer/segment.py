"""Split a normalised document into meetings and read each meeting's metadata.

Four layouts are recognised:

- ``yearbook``: chapters of ``【title】 M月D日,…`` entries under headings such as 全体会议 /
  常务会议 / 专题会议; an entry is a meeting when its title ends in 会议 (the extraction format's
  rule: 【…推进会】, 【…座谈会】 are not).
- ``minutes``: one 会议纪要, with a header, 一、二、 topics and numbered decisions; a title set over
  two lines, the body's name above the meeting's (青山县人民政府 / 常务会议纪要), is one name.
- ``tasks``: one 重点工作任务分解 document; it becomes one meeting of kind ``other``.
- ``news``: one news report of a meeting (title line, date line, "X月X日,…主持召开…会议"); a
  report that says only 5日 or 昨日 is dated by its page's publication date. A page of several
  reports (each a meeting title over a dated 召开 sentence, or a paragraph that opens with a
  meeting's name and date: ■市政府第3次常务会议 3月5日召开。…) gives one meeting each.

Plain Python, no Django.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import re
from collections import Counter
from dataclasses import dataclass

from importer.numerals import cn_to_int
from importer.types import BULLETS, EXECUTIVE, OTHER, PLENARY, SPECIAL

YEARBOOK, NEWS, MINUTES, TASKS = "yearbook", "news", "minutes", "tasks"

NUM = r"[0-9零〇○一二两三四五六七八九十百千]+"
_CN_MD = r"[0-9一二三四五六七八九十]"

_ENTRY = re.compile(r"^[ \t\u3000]*【([^】\n]{1,80})】", re.M)
# 区政府专题会议(第4期), …常务会议(第3次): the bracket numbers the meeting, the title still ends in 会议.
_MEETING_TITLE = re.compile(rf"会议(?:[(（](?:(?:19|20)[0-9]{{2}}年)?第?{NUM}[次期号]?[)）])?$")
_HEADING_KIND = (("全体会议", PLENARY), ("常务会议", EXECUTIVE), ("专题会议", SPECIAL))
_DATE = re.compile(
    rf"(?:(?P<y>(?:19|20)[0-9]{{2}}|[一二][〇○零一二三四五六七八九]{{3}})\s*年\s*)?"
    rf"(?P<m>{_CN_MD}{{1,2}})\s*月\s*(?P<d>{_CN_MD}{{1,3}})\s*日"
)
_ISO_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-/.]([01]?[0-9])[-/.]([0-3]?[0-9])(?![0-9])")
_YEAR_WORD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")
_SESSION = re.compile(rf"第?\s*({NUM})\s*届")
_NUMBER = re.compile(rf"第\s*({NUM})\s*次")
_SESSION_NUMBER = re.compile(rf"届[^第次,。;:\n]{{0,8}}?({NUM})\s*次")
_CONVENE = re.compile(r"召开|主持|举行|召集")
_MINUTES_HEAD = re.compile(r"会议纪要|纪要")
_TASKS_HEAD = re.compile(r"任务分解|分解表|任务清单|责任分工|分工方案|任务分工")
_HEADER_FIELD = re.compile(
    r"(?:会议)?(?:时间|地点|主持人?|参加人员|参加|参会人员|参会单位|出席|列席|记录人?)[::]"
)
_MEETING_CUE = re.compile(
    r"(?:会议|会上)[还并同时也又进一步]*(?:要求|强调|指出|明确|议定|决定|审议|研究|听取|部署)"
)
_GENERIC_MINUTES = re.compile(r"(?:[\u4e00-\u9fff]{0,12}?(?:人民政府|政府))?(?:专题|常务|办公|工作)?会议纪要")
_NOTICE = re.compile(r"关于(?:印发|转发|下达)《(.+)》的通知")
_OWNER_LABEL = re.compile(r"(?:牵头|主办|主责|负责|责任|配合|协办)(?:单位|部门)[::]")


@dataclass(frozen=True)
class MeetingSegment:
    """One meeting's slice of the document, with its metadata."""

    title: str
    kind: str
    session: int | None
    number: int | None
    date: datetime.date | None
    text: str  # the meeting's whole entry; spans of its items index into it
    start: int  # offset of ``text`` in the document
    body_start: int  # offset in ``text`` where directives may begin (after title and header lines)
    layout: str  # YEARBOOK / NEWS / MINUTES / TASKS
    year: int | None = None  # the year deadlines resolve against when the date is unknown


def segment(
    text: str,
    year: int | None = None,
    default_year: int | None = None,
    published: datetime.date | None = None,
) -> list[MeetingSegment]:
    """Return the meetings of a normalised document, in document order.

    ``year`` is the year the caller knows; ``default_year`` a weaker guess (the publication date
    of a web page, read before its date line was dropped as page chrome); ``published`` that
    page's full publication date, if known (a meeting never comes after its report).
    """
    if not text or not text.strip():
        return []
    layout = detect_layout(text)
    if layout == YEARBOOK:
        return _yearbook(text, year or default_year)
    if layout == NEWS and not (_lead_sentence(text, layout) or _MEETING_CUE.search(text)):
        return []  # no sign of a meeting: nothing to import
    if layout == NEWS:
        out = []
        for start, end in _news_reports(text):
            for seg in _single(text[start:end], year, layout, default_year, published):
                out.append(dataclasses.replace(seg, start=start))
        return out
    return _single(text, year, layout, default_year, published)


_CONVENING = re.compile(r"[^。!?\n]*(?:召开|主持|举行)[^。!?\n]*")
_MD = rf"(?:(?:19|20)[0-9]{{2}}\s*年\s*)?{_CN_MD}{{1,2}}\s*月\s*{_CN_MD}{{1,3}}\s*日"
# A paragraph that opens with a meeting's name and its date, often after a bullet:
# ■市政府第3次常务会议 3月5日召开。… / ◆十五届市政府第4次常务会议:3月19日上午召开 /
# 全市防汛工作专题会议(4月1日).
_MARKS = BULLETS + "□○·*"  # here ○ and □ are bullets too: a meeting's name holds no zero
_NAMED_PARAGRAPH = re.compile(
    rf"[{_MARKS}\s]*(?P<name>[^\s,，。;；:：!?！？()（）【】《》“”{_MARKS}]{{2,40}}?会议)"
    r"\**\s*[,，:：]?\s*"
    rf"(?:[(（]{_MD}[)）]|于?{_MD}[^。!?\n]{{0,12}}?(?:召开|举行))"
)


def _news_reports(text: str) -> list[tuple[int, int]]:
    """Cut a page of several news reports at their titles (a meeting title over a dated 召开 sentence)."""
    lines = _lines(text)
    starts = []
    last = -10  # the line of the last report's start
    for i, (start, end, s) in enumerate(lines):
        if _NAMED_PARAGRAPH.match(s):
            # ■市政府第3次常务会议 3月5日召开。…: a report of its own, unless it opens the report whose
            # title stands just above it (全市安全生产工作会议召开 over 全市安全生产工作会议3月5日召开。)
            if not (i - last <= 3 and not any("。" in t for _, _, t in lines[max(last, 0) : i])):
                starts.append(start)
                last = i
            continue
        if len(s) > 60 or re.search(r"[。;,!?]", s) or "会" not in s or _is_dateline(s):
            continue
        if len(s) < 6 or not re.search(r"召开|会议$|会$", s):
            continue  # 会议内容 heads a part of the report, not a report
        window_end = lines[min(i + 4, len(lines) - 1)][1]
        lead = next(
            (
                m
                for m in _CONVENING.finditer(text, end, window_end)
                if "会" in m.group(0) and _DATE.search(m.group(0))
            ),
            None,
        )
        if lead is not None:
            starts.append(start)
            last = i
    if len(starts) < 2:
        return [(0, len(text))]
    bounds = [0, *starts[1:], len(text)]  # what comes before the first title belongs to the first report
    return list(zip(bounds, bounds[1:], strict=False))


def detect_layout(text: str) -> str:
    """Tell which of the four layouts a document is in."""
    entries = [m.group(1) for m in _ENTRY.finditer(text)]
    if any(_is_meeting_title(t) for t in entries):
        return YEARBOOK
    head = _head_lines(text, 6)
    # 常务会议研究部署重点任务清单 is a news title, not a task document's.
    if any(_TASKS_HEAD.search(line) and not re.search(r"会议|召开", line) for line in head):
        return TASKS
    if any(_MINUTES_HEAD.search(line) for line in head):
        return MINUTES
    if not _CONVENE.search(text[:400]):
        owners = len(_OWNER_LABEL.findall(text))
        if owners >= 3:
            return TASKS
        # A short sheet (two rows of a ledger): every line but a title names its owners.
        lines = [line for line in text.split("\n") if line.strip()]
        if owners and sum(bool(_OWNER_LABEL.search(line)) for line in lines) >= max(1, len(lines) - 1):
            return TASKS
    if len(entries) >= 2 and not re.search(r"会议(?:要求|强调|指出|明确)", text):
        return YEARBOOK  # a chapter of work reports (【概况】…): no meetings, not a news report
    return NEWS


def parse_session_number(s: str) -> tuple[int | None, int | None]:
    """Read 届 and 次 from a meeting's name: 十六届政府第1次常务会议 -> (16, 1); 十六届一次 -> (16, 1)."""
    s = re.sub(r"\s+", "", s)
    session = number = None
    m = _SESSION.search(s)
    if m:
        session = cn_to_int(m.group(1))
    m = _NUMBER.search(s)
    if m:
        number = cn_to_int(m.group(1))
    elif session is not None:
        m = _SESSION_NUMBER.search(s)
        if m:
            number = cn_to_int(m.group(1))
    return session, number


def kind_of(title: str, default: str = SPECIAL) -> str:
    """Tell a meeting's kind from its name."""
    t = re.sub(r"\s+", "", title)
    if re.search(r"全体(?:\(扩大\))?会", t):
        return PLENARY
    if "常务会" in t:
        return EXECUTIVE
    if "专题会" in t:
        return SPECIAL
    return default


def find_date(s: str, year: int | None) -> tuple[datetime.date | None, int | None]:
    """Return the first M月D日 date in ``s`` (with its own year, else ``year``) and the year it names."""
    m = _DATE.search(s)
    if not m:
        return None, None
    return _make_date(m, year), _year_of(m.group("y"))


# --- yearbook -------------------------------------------------------------------------------


def _is_meeting_title(title: str) -> bool:
    t = re.sub(r"\s+", "", title)
    return bool(_MEETING_TITLE.search(t)) and not t.startswith("概况")


def _yearbook(text: str, year: int | None) -> list[MeetingSegment]:
    doc_year = year or _document_year(text)
    entries = list(_ENTRY.finditer(text))
    headings = _headings(text)
    out: list[MeetingSegment] = []
    last_session: dict[str, tuple[int | None, int | None]] = {}
    for i, m in enumerate(entries):
        title = re.sub(r"\s+", "", m.group(1))
        if not _is_meeting_title(title):
            continue
        start = m.start()
        end = entries[i + 1].start() if i + 1 < len(entries) else len(text)
        heading_end = _next_heading(headings, m.end(), end)
        end = heading_end if heading_end is not None else end
        chunk = text[start:end].rstrip()
        body_start = m.end() - start
        heading_kind = _heading_kind(headings, start)
        kind = kind_of(title, default=heading_kind or SPECIAL)
        session, number = parse_session_number(title)
        if kind in (EXECUTIVE, PLENARY) and (session is None or number is None):
            first = _first_sentence(chunk[body_start:])
            b_session, b_number = parse_session_number(_meeting_name(first[_convene_pos(first) :]))
            session = session if session is not None else b_session
            number = number if number is not None else b_number
        if kind == EXECUTIVE:
            session = _inherit_session(last_session.get(kind), session, number)
            last_session[kind] = (session, number)
        head = chunk[body_start : body_start + 40]
        date, own_year = find_date(head, doc_year)
        if date is None:
            date, own_year = find_date(_first_sentence(chunk[body_start:]), doc_year)
        out.append(
            MeetingSegment(
                title=title,
                kind=kind,
                session=session,
                number=number,
                date=date,
                text=chunk,
                start=start,
                body_start=body_start,
                layout=YEARBOOK,
                year=own_year or doc_year,
            )
        )
    return out


def _inherit_session(
    previous: tuple[int | None, int | None] | None, session: int | None, number: int | None
) -> int | None:
    """Give an executive meeting without 届 the session of the one before it."""
    if session is not None or previous is None or previous[0] is None:
        return session
    prev_session, prev_number = previous
    if number is not None and prev_number is not None and number < prev_number:
        return prev_session + 1  # numbering starts again: a new 届
    return prev_session


def _headings(text: str) -> list[tuple[int, int, str]]:
    """Find short standalone heading lines (全体会议, 常务会议, 办公室工作 …)."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if (
            s
            and len(s) <= 12
            and not s.startswith(("【", "(", "("))
            and not re.search(r"[,。;:!?、,:;()()0-9]", s)
        ):
            out.append((pos, pos + len(line), re.sub(r"\s+", "", s)))
        pos += len(line)
    return out


def _next_heading(headings: list[tuple[int, int, str]], start: int, end: int) -> int | None:
    i = bisect.bisect_left(headings, (start,))
    if i < len(headings) and headings[i][0] < end:
        return headings[i][0]
    return None


def _heading_kind(headings: list[tuple[int, int, str]], pos: int) -> str | None:
    """Kind named by the nearest heading before pos (全体会议 / 常务会议 / 专题会议), if any."""
    i = bisect.bisect_right(headings, (pos, float("inf")))
    if i == 0:
        return None
    name = headings[i - 1][2]
    return next((k for word, k in _HEADING_KIND if word in name), None)


# --- one-meeting documents ------------------------------------------------------------------


def _single(
    text: str,
    year: int | None,
    layout: str,
    default_year: int | None = None,
    published: datetime.date | None = None,
) -> list[MeetingSegment]:
    lines = _lines(text)
    if not lines:
        return []
    title_line = _title_line(lines, layout)
    named = None
    if layout == NEWS:
        named = next((m for line in lines[:6] if (m := _NAMED_PARAGRAPH.match(text, line[0]))), None)
        if named:  # ■市政府第3次常务会议 3月5日召开。: the paragraph names the meeting and dates it
            title_line = (named.start("name"), named.end("name"), named.group("name"))
    title = re.sub(r"\s+", "", title_line[2]).lstrip(_MARKS) if title_line else ""
    if layout == NEWS:
        title = _COLUMN_TAG.sub("", title)  # 【政务】市政府召开…: the column an account files it under
    lead = _lead_sentence(text, layout)
    lead_text = text[lead[0] : lead[1]] if lead else ""
    pub_year = _publication_year(text) or default_year
    doc_year = year or pub_year or _document_year(text)
    # The meeting's own date: in the 召开 sentence, or a 时间: line of minutes.
    date = None
    own_year = None
    if named:
        date, own_year = find_date(named.group(0)[named.end("name") - named.start() :], doc_year)
    if layout in (NEWS, MINUTES):
        if date is None:
            date, own_year = _convene_date(lead_text, doc_year)
        if date is None:
            m = re.search(r"(?:会议时间|时间)[::]\s*([^\n]{4,30})", text)
            if m:
                date, own_year = find_date(m.group(1), doc_year)
        if date is None and layout == MINUTES and title_line:
            date, own_year = find_date(title_line[2], doc_year)
        pub = _publication_date(text) or published
        if date is None and pub is not None and layout == NEWS:
            date = _day_only_date(lead_text, pub)  # 本报讯 5日上午,市长…主持召开…: the page's month
            date = date or _relative_day_date(lead_text, pub)  # 昨日下午,…主持召开…
            own_year = date.year if date else None
        if date is not None and own_year is None and pub is not None:
            # A meeting is reported after it was held, in the year before or the year of its page:
            # 12月28日 in a page of 2024-01-03 is in 2023, whatever year the caller passed.
            y = pub.year if (date.month, date.day) <= (pub.month, pub.day) else pub.year - 1
            date = _safe(y, date.month, date.day) or date
    elif layout == TASKS:
        date, own_year = _task_date(text, lines, doc_year)
    name_src = title + " " + (lead_text[_convene_pos(lead_text) :] if lead_text else "")
    session, number = parse_session_number(_meeting_name(title))
    if session is None or number is None:
        l_session, l_number = parse_session_number(_meeting_name(lead_text[_convene_pos(lead_text) :]))
        session = session if session is not None else l_session
        number = number if number is not None else l_number
    if layout == TASKS:
        kind = OTHER
        session = number = None
    else:
        kind = kind_of(name_src, default=SPECIAL)
    relayed = _relayed_meeting(text, lines)
    if relayed:  # a 督办通知 relays a meeting's decisions: the meeting is the one it names
        name = relayed.group("name")
        title, kind = name, kind_of(name, default=SPECIAL)
        session, number = parse_session_number(name)
        date, own_year = find_date(relayed.group("date"), doc_year)
    notice = _NOTICE.fullmatch(title)
    if notice:
        title = notice.group(1)  # 关于印发《X》的通知: the document is X
    if not title:
        title = _fallback_title(kind, session, number)
    if layout == MINUTES:
        # …专题会议纪要 / …例会纪要 name their meeting; a bare 纪要 leaves 会议 to be said
        title = re.sub(r"(?:会议)?纪要$", "" if title.endswith("会纪要") else "会议", title)
        if title == "会议":  # a bare 会议纪要 heading: the convening sentence names the meeting
            convened = _CONVENED_NAME.search(lead_text)
            title = convened.group(1) if convened else title
    body_start = _body_start(text, lines, title_line, lead, layout)
    return [
        MeetingSegment(
            title=title,
            kind=kind,
            session=session,
            number=number,
            date=date,
            text=text,
            start=0,
            body_start=body_start,
            layout=layout,
            year=(date.year if date else None) or own_year or doc_year or _title_year(title),
        )
    ]


_COLUMN_TAG = re.compile(r"^[【\[][^】\]]{1,6}[】\]](?=.*会)")
_NOTICE_HEAD = re.compile(r"通知$")
# 3月18日,县政府第8次常务会议研究了… / 2024年4月9日下午,县长李明主持召开县政府第十二次常务会议,…
_RELAYED = re.compile(
    rf"(?P<date>{_MD})(?:上午|下午|晚上|晚)?[,，]?(?:[^,，。;；\n]{{0,20}}?(?:召开|举行))?"
    r"(?P<name>[^,，。;；:：\n]{2,30}?会议)"
)


def _relayed_meeting(text: str, lines: list[tuple[int, int, str]]) -> re.Match | None:
    """Find the dated meeting a notice relays the decisions of (督办通知, 关于抓好…议定事项落实的通知)."""
    head = next((line for line in lines[:3] if _NOTICE_HEAD.search(line[2])), None)
    if head is None or _NOTICE.fullmatch(re.sub(r"\s+", "", head[2])):
        return None  # 关于印发《X》的通知 sends a document, X, not a meeting's decisions
    return _RELAYED.search(text, head[1], min(len(text), head[1] + 1500))


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(s), s))
        pos += len(line)
    return out


def _head_lines(text: str, n: int) -> list[str]:
    return [s for _, _, s in _lines(text[:2000])[:n]]


def _title_line(lines: list[tuple[int, int, str]], layout: str) -> tuple[int, int, str] | None:
    """Pick the document's title: an early short line without a full stop that names a meeting."""
    candidates = []
    for line in lines[:8]:
        s = line[2]
        if len(s) > 60 or s.endswith(("。", ";", ",")) or _is_dateline(s):
            continue
        if re.fullmatch(r"[〔\[(]?\s*[0-9]{4}\s*[〕\])]?\s*[0-9]+\s*号|第\s*[0-9]+\s*期", s):
            continue
        candidates.append(line)
    if not candidates:
        return None
    words = {TASKS: _TASKS_HEAD, MINUTES: _MINUTES_HEAD}.get(layout, re.compile(r"会议|会$|召开"))
    named = [line for line in candidates if words.search(line[2])]
    if not named:
        return candidates[0]
    # 专题会议纪要 over 关于研究城区冬季供暖保障工作的会议纪要: the one naming the subject wins.
    if _GENERIC_MINUTES.fullmatch(re.sub(r"\s+", "", named[0][2])):
        subject = next((line for line in named[1:] if re.sub(r"\s+", "", line[2]).startswith("关于")), None)
        if subject:
            return subject
    return _with_issuer(lines, named[0]) if layout != TASKS else named[0]


# The name of a body that holds meetings: 青山县人民政府, 市住房和城乡建设局, 开发区管委会.
_ISSUER_LINE = re.compile(
    r"[\u4e00-\u9fff()]{2,30}?(?:政府|办公室|办公厅|委员会|管委会|指挥部|领导小组|局|委|办)"
)
_ISSUER_WORD = re.compile(r"政府|办公室|办公厅|委员会|管委会|指挥部|领导小组|[局委办](?!公)")


def _with_issuer(lines: list[tuple[int, int, str]], title: tuple[int, int, str]) -> tuple[int, int, str]:
    """Join a title to the issuer's name set on the line above it (青山县人民政府 / 常务会议纪要).

    Only a title that names no body of its own, nor its subject (关于…), takes the line above,
    and only when that line is a body's bare name.
    """
    k = lines.index(title)
    name = re.sub(r"\s+", "", title[2])
    if k == 0 or name.startswith("关于") or _ISSUER_WORD.search(name) or _CONVENE.search(name):
        return title
    above = lines[k - 1]
    if not _ISSUER_LINE.fullmatch(re.sub(r"\s+", "", above[2])):
        return title
    return above[0], title[1], above[2] + title[2]


def _is_dateline(s: str) -> bool:
    if re.search(r"来源|发布|浏览|作者|编辑|点击|(?:^|更新|录入|日期)时间[::]", s):
        return True
    rest = _ISO_DATE.sub("", _DATE.sub("", s))
    return len(re.sub(r"[\s:0-9:]", "", rest)) <= 2


def _lead_sentence(text: str, layout: str) -> tuple[int, int] | None:
    """Find the sentence saying who convened the meeting and when (a dated one first)."""
    first = chaired = None
    for m in re.finditer(r"[^。!?\n]*(?:召开|主持|举行)[^。!?\n]*", text[:6000]):
        s = m.group(0)
        if "会" not in s:
            continue
        if _DATE.search(s):
            return m.start(), m.end()
        first = first or (m.start(), m.end())
        if chaired is None and ("主持" in s or _DAY_ONLY.search(s[: _convene_pos(s)])):
            chaired = (m.start(), m.end())  # 5日上午,市长张三主持召开…: not the title line
    return chaired or first


def _convene_date(s: str, year: int | None) -> tuple[datetime.date | None, int | None]:
    """Take the date written closest before 召开 (a page's own date may precede it)."""
    pos = _convene_pos(s) or len(s)
    before = [m for m in _DATE.finditer(s) if m.start() < pos]
    m = before[-1] if before else _DATE.search(s)
    if not m:
        return None, None
    return _make_date(m, year), _year_of(m.group("y"))


_DAY_ONLY = re.compile(
    r"(?<![0-9月年.\-/])([0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日(?:上午|下午|晚上|晚|早上)?[,，]?"
)


def _day_only_date(s: str, pub: datetime.date) -> datetime.date | None:
    """Date 5日 before 召开 by the page's date: this month when the day has come, else the last."""
    pos = _convene_pos(s) or len(s)
    m = next((m for m in _DAY_ONLY.finditer(s, 0, pos)), None)
    day = cn_to_int(m.group(1)) if m else None
    if day is None or not 1 <= day <= 31:
        return None
    if day <= pub.day:
        return _safe(pub.year, pub.month, day)
    prev = pub.replace(day=1) - datetime.timedelta(days=1)
    return _safe(prev.year, prev.month, day)


_RELATIVE_DAY = re.compile(
    r"(?<![0-9一二三四五六七八九十])(今天|今日|昨天|昨日|前天|前日)(?:上午|下午|晚上|晚间|早上|傍晚)?"
)
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "前日": 2}


def _relative_day_date(s: str, pub: datetime.date) -> datetime.date | None:
    """Date 昨日下午,…主持召开 by the page's date: a report says 昨日 of the day before it appeared."""
    pos = _convene_pos(s) or len(s)
    m = _RELATIVE_DAY.search(s, 0, pos)
    return pub - datetime.timedelta(days=_RELATIVE_DAYS[m.group(1)]) if m else None


def _convene_pos(s: str) -> int:
    m = _CONVENE.search(s)
    return m.start() if m else 0


def _meeting_name(s: str) -> str:
    """Keep only the words naming the meeting (up to the first 会议 after 召开)."""
    m = re.search(r"会议|常务会|全体会", s)
    return s[: m.end()] if m else s


_CONVENED_NAME = re.compile(r"(?:主持召开|召开|主持)(?:了)?([^,，。;；:：、\s]{2,30}?会议)")


def _fallback_title(kind: str, session: int | None, number: int | None) -> str:
    word = {PLENARY: "全体会议", EXECUTIVE: "常务会议"}.get(kind, "会议")
    prefix = (f"{session}届" if session else "") + (f"第{number}次" if number else "")
    return f"市政府{prefix}{word}"


def _body_start(
    text: str,
    lines: list[tuple[int, int, str]],
    title_line: tuple[int, int, str] | None,
    lead: tuple[int, int] | None,
    layout: str,
) -> int:
    """Skip the title and header lines (date, source, document number) before the body."""
    pos = title_line[1] if title_line else 0
    for start, end, s in lines:
        if end <= pos:
            continue
        if start < pos:
            break  # ○县政府第1次常务会议 2月10日召开。会议要求…: the rest of the title's line is body
        if _HEADER_FIELD.match(s):
            pos = end
            continue
        if (
            len(s) <= 40
            and (_is_dateline(s) or not re.search(r"[,。;,:]", s))
            and not re.match(
                r"[一二三四五六七八九十]+、|[0-9]+[.、]|[(（][一二三四五六七八九十0-9]+[)）]|[①-⑳]", s
            )
            and not _MEETING_CUE.search(s)
        ):
            pos = end
            continue
        break
    return pos


def _task_date(
    text: str, lines: list[tuple[int, int, str]], year: int | None
) -> tuple[datetime.date | None, int | None]:
    """Date a task document by the full date in its header or its closing signature.

    The signature is read from the last line up; a labelled line or a time limit
    (时间节点:2024年6月30日前) is a task's deadline, not the document's date.
    """
    for _, _, s in lines[:6] + lines[-4:][::-1]:
        if len(s) <= 40 and not _TIME_LIMIT_LINE.search(s):
            m = _DATE.search(s)
            if m and m.group("y"):
                return _make_date(m, year), _year_of(m.group("y"))
    return None, None


_TIME_LIMIT_LINE = re.compile(r"[::]|日(?:之|以)?前|完成")


def _title_year(title: str) -> int | None:
    m = _YEAR_WORD.search(title)
    return int(m.group(1)) if m else None


def _first_sentence(s: str) -> str:
    m = re.search(r"[。!?;\n]", s)
    return s[: m.start()] if m else s[:200]


# --- dates ----------------------------------------------------------------------------------


def _year_of(s: str | None) -> int | None:
    if not s:
        return None
    return cn_to_int(s)


def _make_date(m: re.Match, year: int | None) -> datetime.date | None:
    y = _year_of(m.group("y")) or year
    mo = cn_to_int(m.group("m"))
    d = cn_to_int(m.group("d"))
    if y is None or mo is None or d is None:
        return None
    return _safe(y, mo, d)


def _safe(y: int, mo: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        return None


def _publication_date(text: str) -> datetime.date | None:
    head = text[:600]
    m = _ISO_DATE.search(head)
    if m:
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _DATE.finditer(head):
        if m.group("y"):
            line_start = head.rfind("\n", 0, m.start()) + 1
            line_end = head.find("\n", m.end())
            line = head[line_start : line_end if line_end >= 0 else len(head)].strip()
            if _is_dateline(line) or (len(line) <= 40 and not re.search(r"[,。;,]", line)):
                return _make_date(m, None)
    return None


def publication_date(text: str) -> datetime.date | None:
    """Return the date of a page's publication line (发布时间:2023-05-19 …), if it has one."""
    return _publication_date(text)


def publication_year(text: str) -> int | None:
    """Return the year of a page's publication line (发布时间:2023-05-19 …), if it has one."""
    return _publication_year(text)


def _publication_year(text: str) -> int | None:
    d = _publication_date(text)
    return d.year if d else None


def _document_year(text: str) -> int | None:
    """Guess the year a document speaks of: the one its text names most often."""
    counts = Counter(int(m.group(1)) for m in _YEAR_WORD.finditer(text[:200_000]))
    if not counts:
        return None
    return counts.most_common(1)[0][0]
