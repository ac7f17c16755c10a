"""Resolve the deadline of one directive clause against the meeting's date.

Hand-written rules, no date-parsing library. The clause is read on a copy with white space
removed (``2017 年`` reads as ``2017年``) and with quoted names and titles (``“…”``, ``《…》``)
blanked, so a year inside ``《2017年行动方案》`` or ``“全年红”`` never counts. Every
expression found keeps its exact span, and ``Deadline.text`` is that span of the original clause.

Rule table (meeting M, its year Y):

======================================  =====================================================
words                                   deadline
======================================  =====================================================
完成时限:/时限:/截止时间: <any date>    that date (also 2023-06-30, 2023.6.30 after a label)
2018年6月30日前, 2018年6月底前, 2018年6月  that day / last day of the month (a time limit or
完成, 到2018年6月                         goal word is needed: 前, 底, 内, 止, 到, 完成 …)
2018年底前, 2018年年底, 2018年内          31 Dec 2018
2018年上半年, 2018年第一季度(末)          30 Jun 2018, 31 Mar 2018 …
到2020年, 至2020年, 确保/力争2018年…      31 Dec of that year
2017年…要 (a year opening a phrase,       31 Dec of that year (weak: loses to any of the above)
followed by 要/将/确保/目标/任务/完成…)
X月X日前 / 之前 / 止, X月X日完成         that day; next year's when before M
X月底(前), X月末, X月前, X月内, X月完成   last day of month X; next year's when X is before M's month
X月上旬 / 中旬 / 下旬前, X月中            the 10th / 20th / last day, 15th
今年/明年 + any of the above              the year given, never rolled over
本月底前, 月底前, (本)月内, 下月10日前     the end (or that day) of M's month or the next one
本季度末(前), 季度末前, 本季度内            the last day of M's quarter
本周内, 下周内, 本周五前, 下周一前          Sunday of M's week or the next, or that weekday
不晚于 / 最迟 X月X日                       that day (a limit, as 前 after it)
到“十四五”末, “十五五”期末               31 Dec 2025, 31 Dec 2030 (the plan's last year)
元旦前, 国庆前, 五一前                    31 Dec, 30 Sep, 30 Apr (next year's when past)
春节前, 汛期前, 明年供暖季前              kind VAGUE (the date moves), unless a date is given
年底前, 今年年底, 今年底, 年内, 年末      31 Dec of Y
明年, 明年底, 明年年底                    31 Dec of Y + 1
全年 (as the period of the directive)     31 Dec of Y (weak)
上半年 / 下半年, (第)一…四季度, Q1…Q4     30 Jun / 31 Dec, the quarter's last day (next year's
                                          when already over); needs 前/末/内/完成… or to open
                                          the phrase
N年内, 两年内, 半年内, 用N年时间, 今后N年  M + N years (半年 = 6 months; 三至五年内: five)
N个月内, N天内, N日内, N周内              M + N months / days / weeks
N个工作日内                               M + N weekdays (Saturdays and Sundays skipped)
每月, 每季度, 每年, 定期, 按月 …          kind RECURRING, no date (每年6月底前 too: a schedule)
长期坚持, 长期, 常态化, 持续, 常抓不懈    kind ONGOING, no date
如期, 按期, 按时, 限时, 限期, 第一时间,   kind VAGUE, no date
尽快, 尽早, 立即, 抓紧, 及时, 迅速, …期间
======================================  =====================================================

No deadline (kind NONE): a year naming what is counted or planned (总结2017年成绩,
设置2018年目标, 其中2016年立项实施面积, 2017年度, 2017年是…之年), plans named by their length
(三年行动, 三年提升计划), a date given as an event (8月11日,督察组进驻…), past years
(去年底, 近两年内, a year opening a phrase that is before Y: 2022年全市实现…), year ranges
that qualify a noun (2019年至2021年实施的项目), periods looked back on (1月至9月,), the base a directive builds on (在上半年完成的基础上), starts
(2018年起, 从2024年1月1日起), bans (5年内不得转让), service standards (压缩至1个工作日以内),
document numbers (〔2023〕2号), ordinals (第N次), page timestamps (2023-05-06 10:31 and
发布时间 outside a 时限 label), 24小时, 12345, percentages.

Precedence when a clause holds several dates: a date after a 时限 label first; then the strong
expressions (those carrying a time-limit word: 前, 底, 内, 到, 确保, 完成 …); the weak ones
(a year opening the phrase, 全年, 今年/明年 alone) only when nothing strong is found. Within the
winning tier the latest date wins (interim milestones come before the directive's final goal);
equal dates go to the one written first. Dates always beat RECURRING, which beats ONGOING and
VAGUE by the strength of the word (长期坚持/常态化 and 如期/限时 over 持续/及时); ties go to
the word written first. Relative expressions with no meeting date and no year give kind VAGUE
with their text.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from importer.numerals import cn_to_int, parse_number
from importer.types import DATE, ONGOING, RECURRING, VAGUE, Deadline

# --- building blocks ------------------------------------------------------------------------

_YEAR = r"(?P<y>(?:19|20)[0-9]{2}|[一二][〇○零一二三四五六七八九]{3})"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?P<d>3[01]|[12][0-9]|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_NUM = r"(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百]+)"
# "到2020年" keeps its preposition in the text; 确保/力争 stay outside it.
_PRE = r"(?P<pre>截止到|截至|截止|直到|(?<![达得提])到|至)?"
# Words after a date that make it a time limit.
_SUF = r"(?P<suf>底之前|底以前|底前|末前|之前|以前|前|之内|以内|内|为止|止)?"
# 月中 is left out: in 10月中央… the 中 belongs to the next word; 初步 is no 月初.
_PART = r"(?P<part>上旬|中旬|下旬|底|末|初(?!步|始|心|期|次|级|见))?"
_HALF_Q = r"(?P<hq>上半年|下半年|第?[一二三四1-4]季度|[Qq][1-4])"

_LABEL = re.compile(
    r"(?:完成时限|完成时间|完成期限|办结时限|办理时限|时间节点|时限要求|时间要求|进度要求|时间安排|截止时间|截止日期|"
    r"截止时限|时限|期限)(?:[::]|】)"
)
_LABEL_STOP = re.compile(r"[;;。))\]】]")
_ISO = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9])"
    r"(?P<suf>之前|以前|前)?"
)

_Y_M_D = re.compile(_PRE + r"(?<![0-9])" + _YEAR + r"年" + _MONTH + r"月" + _DAY + r"[日号]" + _SUF)
_Y_M = re.compile(_PRE + r"(?<![0-9])" + _YEAR + r"年" + _MONTH + r"月份?" + _PART + _SUF)
_Y_HQ = re.compile(_PRE + r"(?<![0-9])" + _YEAR + r"年" + _HALF_Q + r"(?P<qend>末|底)?" + _SUF)
_Y_END = re.compile(_PRE + r"(?<![0-9])" + _YEAR + r"年(?P<end>年底|年末|底|末|度内|内)" + _SUF)
_Y = re.compile(_PRE + r"(?<![0-9])" + _YEAR + r"年(?P<suf>前|之前|以前)?")

_REL = r"(?P<rel>今年|明年|后年|本年|当年|次年|去年|上年)?"
_NO_YEAR_BEFORE = r"(?:(?P<rel>今年|明年|后年|本年|当年|次年|去年|上年)|(?<![0-9〇○零一二三四五六七八九十]))"
_M_D = re.compile(_PRE + _NO_YEAR_BEFORE + _MONTH + r"月" + _DAY + r"[日号]" + _SUF)
_M = re.compile(_PRE + _NO_YEAR_BEFORE + _MONTH + r"月份?" + _PART + _SUF)
_REL_END = re.compile(
    _PRE
    + r"(?:(?P<rel>今年|明年|后年|本年|当年|次年|去年|上年)(?:年底|年末|底|末|度内|内)|(?<![0-9〇○零一二三四五六七八九十两百几多半个])年(?:底|末|度内|内))"
    + r"(?P<suf>之前|以前|前)?"
)
_REL_HQ = re.compile(_PRE + _REL + _HALF_Q + r"(?P<qend>末|底)?" + _SUF)
_DURATION = re.compile(
    r"(?P<prev>近|过去|前|这|最近|已|每)?(?<![0-9月])(?P<n>"
    + _NUM
    + r"|半)(?:(?:至|到|-|~|—)(?P<n2>"
    + _NUM
    + r"))?(?P<u>个工作日|工作日|天|日|个半?月|半个月|月|个星期|星期|周|年)(?P<suf>之内|以内|内)"
)
_SPAN_OF = re.compile(
    r"(?:(?:利用|用|花|经过)(?P<n>" + _NUM + r"|半)(?P<u>个月|年)(?:左右)?(?:的)?(?:时间|努力)"
    r"|(?:今后|未来)(?P<n3>" + _NUM + r")(?P<u3>个月|年)(?=[,,]|内|里|时间|要|将|全市|我市|力争|确保))"
)
# 本月底前, 下月10日前, 月底前: the meeting's month or the next one.
_NEAR_MONTH = re.compile(
    r"(?:(?P<which>本月|当月|下月|下个月|次月)|(?<![0-9〇○零一二三四五六七八九十两半数几个每本当下次年])(?P<bare>月)(?=底|末|上旬|中旬|下旬|内))"
    r"(?:(?P<d>3[01]|[12][0-9]|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
    r"(?P<suf>之前|以前|前)|(?P<part>底|末|上旬|中旬|下旬)(?P<suf2>之前|以前|前)?|(?P<nei>内))"
)
# 本周内, 下周一前: the meeting's week (Monday to Sunday) or the next.
_NEAR_WEEK = re.compile(
    r"(?P<which>本周|这周|本星期|下周|下个?星期)"
    r"(?:(?P<wd>[一二三四五六日天])(?P<suf>之前|以前|前)|(?P<nei>之内|以内|内))"
)
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Fixed holidays; 春节 and the flood season move, so they stay vague.
_HOLIDAY = re.compile(
    r"(?:(?P<rel>今年|明年|本年|次年)|(?P<hy>(?:19|20)[0-9]{2}|[一二][〇○零一二三四五六七八九]{3})年)?(?P<h>元旦|国庆节|国庆|五一|劳动节|中秋节|中秋|端午节|端午|清明节|清明|春节|"
    r"主汛期|入汛|汛期|汛|(?:秋季|春季|秋|春)?开学|节)(?P<suf>之前|以前|前)"
)
_HOLIDAY_DATE = {"元旦": (12, 31), "国庆节": (9, 30), "国庆": (9, 30), "五一": (4, 30), "劳动节": (4, 30)}
_EVERY_BEFORE = re.compile(r"(?:每年|每个?月|每季度?|每半年|每周|每个季度)$")
_DURATION_TARGET_BEFORE = re.compile(r"(?:至|到|为|超过|控制在|时间|时限|周期)$")
_MODIFIER_AFTER = re.compile(r"[^,,;;。]{0,6}的")
_PROHIBITION_AFTER = re.compile(r"不得|不准|不能|禁止|严禁|不予|不再")
_REL_YEAR = re.compile(_PRE + r"(?P<rel>今年|明年|后年|本年|次年)")
_WHOLE_YEAR = re.compile(r"全年")
# 本季度末前 / 季度末前 / 本季度内: the end of the meeting's quarter.
_THIS_QUARTER = re.compile(
    r"(?<![一二三四1-4第每])(?:(?:本季度|本季|当季|季度)(?:末|底)(?:之前|以前|前)?|(?:本季度|本季|当季)(?:之内|以内|内))"
)
# 到“十四五”末 / “十四五”期末: the last day of that five-year plan (十四五 = 2021-2025).
_PLAN_END = re.compile(r"(?:到|至)?[“\"]?(?P<n>十[一二三四五六七八九]|二十)五[”\"]?(?:时期|期)?(?:末|底)")
# 明年供暖季前, 2024年开学前: a year then an event (no date words) and 前.
_EVENT_BEFORE = re.compile(
    r"(?:的)?[\u4e00-\u9fff]{1,5}?(?<![底末内月日年提目当此])(?:之前|以前|前)(?![0-9一二三四五六七八九十])"
)

# Context around a date.
_COMPLETE_AFTER = re.compile(
    r"^.{0,6}?(?:完成|到位|建成|实现|办结|竣工|完工|开工|投用|投产|投入使用|交付|上报|报送|提交|报(?![告道表刊纸名销])|达到|达标|"
    r"验收|关停|清零|销号|见效|全覆盖)"
)
_STRONG_BEFORE = re.compile(r"(?:确保|力争|争取|力求|务必|计划|目标是|不晚于|不迟于|最迟|最晚)$")
# 6月底起, 9月以来: the start of something, not its limit.
_START_AFTER = re.compile(r"起|开始|以来|以后|之后|后(?!前)|至今|期间")
_WEAK_BEFORE = re.compile(r"(?:在|于)$")
_PHRASE_START = re.compile(
    r"(?:^|[,,;;::。!!??、()()【】]|[0-9]+[..]|[一二三四五六七八九十]是|首先|其次|再次|最后|同时|此外|另外|并且|并|"
    r"会议(?:要求|明确|强调|决定))$"
)
# A half-year, quarter or 今年/明年 opening a phrase needs a real modal (上半年全县实现… is a report).
_MODAL_STRICT = re.compile(r"要|将|须|必须|应|确保|力争|争取|力求|务必|目标|任务")
_MODAL_AFTER = re.compile(
    r"要|将|须|必须|应|确保|力争|争取|力求|目标|任务|完成|实现|达到|建成|新增|推进|开展|启动|全面|力促|加快"
    r"|压减|下降|降低|增长|提高|控制在|突破|不少于|不低于|不超过"
)
_YEAR_NOT_GOAL_AFTER = re.compile(
    r"^(?:第|是|以来|来|度|的|初|中|已|就|曾|以前|前后|同期|起|开始|以后|后|至今)"
)
_WHOLE_YEAR_NOT_AFTER = re.compile(r"^(?:的|度|目标|任务|工作|计划|红|总结|情况|累计|共)")

# Timing words that are not dates, with their strength.
_KIND_WORDS = re.compile(
    r"(?P<rec>每(?:个|一|两|二|三|半)?(?:月|季度|季|年|周|星期|旬|天|日)|定期|按月|按季度?|按年度?|逐月|月度通报|季度通报)"
    r"|(?P<ong>长期坚持|常态化|常抓不懈|久久为功|长期(?!以来))"
    r"|(?P<vag>如期|按期|按时|限时|限期|第一时间|尽快|尽早|及早|督察期间|期间)"
    r"|(?P<ong_w>(?<!可)持续)"
    r"|(?P<vag_w>立即|马上|抓紧|及时|迅速|即刻)"
)
_KIND_RANK = {
    "rec": (4, RECURRING),
    "ong": (3, ONGOING),
    "vag": (3, VAGUE),
    "ong_w": (2, ONGOING),
    "vag_w": (1, VAGUE),
}

# 在上半年完成的基础上: what has been reached, the base of the directive, not its time limit.
_ON_THE_BASIS = re.compile(r"在[^,，;；。!?！？]{0,24}?的?基础上")
_QUOTED = re.compile(
    r"《[^《》]{0,80}》|“[^“”]{0,80}”|「[^「」]{0,80}」|『[^『』]{0,80}』|〈[^〈〉]{0,80}〉|\"[^\"]{0,80}\""
)
_WS = re.compile(r"\s+")
_ANY_TIMING = re.compile(r"[0-9年月日天周季期时每定长常持如按限尽及立抓迅马即内前底末旦节Qq]")

WEAK, STRONG, LABELLED = 1, 2, 3


@dataclass(frozen=True)
class _Candidate:
    tier: int
    date: datetime.date | None  # None: a time limit we cannot date (no meeting date)
    start: int  # in the compact text
    end: int


def resolve_deadline(clause: str, meeting_date: datetime.date | None, year: int | None = None) -> Deadline:
    """Return the deadline a directive clause sets, resolved against the meeting's date."""
    if not clause or not _ANY_TIMING.search(clause):
        return Deadline()
    compact, index = _compact(clause)
    masked = _QUOTED.sub(lambda m: "□" * len(m.group()), compact)
    if "基础上" in masked:
        masked = _ON_THE_BASIS.sub(lambda m: "□" * len(m.group()), masked)
    base_year = meeting_date.year if meeting_date else year
    finder = _Finder(masked, meeting_date, base_year)
    candidates = finder.run()
    if "五" in compact:
        candidates += _plan_ends(compact, finder.taken)

    dated = [c for c in candidates if c.date is not None]
    if dated:
        top = max(c.tier for c in dated)
        best = max((c for c in dated if c.tier == top), key=lambda c: (c.date, -c.start))
        return Deadline(DATE, best.date, _original(clause, index, best.start, best.end))
    if candidates:
        best = min(candidates, key=lambda c: (-c.tier, c.start))
        return Deadline(VAGUE, None, _original(clause, index, best.start, best.end))

    best_kind = None
    for m in _KIND_WORDS.finditer(masked):
        rank, kind = _KIND_RANK[m.lastgroup]
        if best_kind is None or rank > best_kind[0]:
            best_kind = (rank, kind, m.start(), m.end())
    if best_kind:
        _, kind, start, end = best_kind
        return Deadline(kind, None, _original(clause, index, start, end))
    return Deadline()


def _compact(clause: str) -> tuple[str, list[int]]:
    """Drop white space, keeping for each kept character its index in the clause."""
    if not _WS.search(clause):
        return clause, list(range(len(clause)))
    chars, index = [], []
    for i, ch in enumerate(clause):
        if not ch.isspace():
            chars.append(ch)
            index.append(i)
    return "".join(chars), index


def _original(clause: str, index: list[int], start: int, end: int) -> str:
    return clause[index[start] : index[end - 1] + 1]


class _Finder:
    """Collect the date expressions of one (masked, compact) clause; each span is read once."""

    def __init__(self, text: str, meeting_date: datetime.date | None, base_year: int | None):
        self.text = text
        self.meeting = meeting_date
        self.base_year = base_year
        self.taken = bytearray(len(text))  # 1 where an earlier expression was read
        self.found: list[_Candidate] = []
        self.labelled = bytearray(len(text))  # 1 inside the value after a 时限 label
        for m in _LABEL.finditer(text):
            end = _label_end(text, m.end())
            self.labelled[m.end() : end] = b"\x01" * (end - m.end())

    def run(self) -> list[_Candidate]:
        t = self.text
        if "-" in t or "/" in t or "." in t:
            # 2023-06-30 only after a 时限 label or with 前: elsewhere it is a page timestamp.
            for m in _ISO.finditer(t):
                tier = LABELLED if self._in_label(m.start()) else STRONG if m["suf"] else None
                date = _safe_date(_year(m["y"]), int(m["m"]), int(m["d"]))
                if tier and date and self._claim(m):
                    self._add(tier, date, m)
        if "年" in t:
            self._scan(_Y_M_D, self._y_m_d)
            self._scan(_Y_M, self._y_m)
            self._scan(_Y_HQ, self._y_hq)
            self._scan(_Y_END, self._y_end)
        if "月" in t:
            self._scan(_M_D, self._m_d)
        if "季" in t or "半年" in t or "Q" in t or "q" in t:
            self._scan(_REL_HQ, self._rel_hq)
        if "内" in t:
            self._scan(_DURATION, self._duration)
        if "时间" in t or "努力" in t or "今后" in t or "未来" in t:
            self._scan(_SPAN_OF, self._span_of)
        if "月" in t:
            self._scan(_M, self._m)
            self._scan(_NEAR_MONTH, self._near_month)
        if "季" in t:
            self._scan(_THIS_QUARTER, self._this_quarter)
        if "周" in t or "星期" in t:
            self._scan(_NEAR_WEEK, self._near_week)
        if "前" in t:
            self._scan(_HOLIDAY, self._holiday)
        if "年" in t:
            self._scan(_REL_END, self._rel_end)
            self._scan(_REL_YEAR, self._rel_year)
            self._scan(_Y, self._y)
            self._scan(_WHOLE_YEAR, self._whole_year)
        return self.found

    # -- scanning helpers

    def _scan(self, pattern: re.Pattern, handler) -> None:
        for m in pattern.finditer(self.text):
            if m.end() > m.start() and self._claim(m):
                if _EVERY_BEFORE.search(self.text, max(0, m.start() - 4), m.start()):
                    continue  # 每年6月底前: a recurring schedule, left to the kind words
                handler(m)

    def _claim(self, m: re.Match) -> bool:
        s, e = m.start(), m.end()
        if self.taken.find(1, s, e) >= 0:
            return False
        self.taken[s:e] = b"\x01" * (e - s)
        return True

    def _in_label(self, pos: int) -> bool:
        return pos < len(self.labelled) and self.labelled[pos] == 1

    def _add(
        self, tier: int | None, date: datetime.date | None, m: re.Match, start: int | None = None
    ) -> None:
        if tier is None:
            return  # not a time limit after all (6月底起: a start)
        self.found.append(_Candidate(tier, date, m.start() if start is None else start, m.end()))

    def _limit_tier(
        self, m: re.Match, *, inherent: bool = False, weak_ok: bool | str = False, verb_after: bool = True
    ) -> int | None:
        """Decide whether a date reads as a time limit, and how strongly; None when it does not."""
        if self._in_label(m.start()):
            return LABELLED
        if _START_AFTER.match(self.text, m.end()):
            return None
        groups = m.groupdict()
        if groups.get("suf") or groups.get("pre") or inherent:
            return STRONG
        before = self.text[max(0, m.start() - 4) : m.start()]
        after = self.text[m.end() : m.end() + 12]
        if _STRONG_BEFORE.search(before) or (verb_after and _COMPLETE_AFTER.match(after)):
            return STRONG
        modal = _MODAL_AFTER if weak_ok == "year" else _MODAL_STRICT
        if (
            weak_ok
            and _PHRASE_START.search(self.text[max(0, m.start() - 6) : m.start()])
            and modal.search(self.text, m.end(), m.end() + 40)
        ):
            return WEAK
        return None

    def _open_range(self, m: re.Match) -> bool:
        """Tell 1月至9月, (a period looked back on) from 至9月30日前 or 至9月30日开展 (a time limit)."""
        if not m["pre"] or m["suf"] or m.groupdict().get("part"):
            return False
        return (
            m.end() >= len(self.text)
            or self.text[m.end()] in ",,;;。、"
            or self.text.startswith("期间", m.end())
        )

    def _rel_year_of(self, rel: str | None) -> int | None:
        if self.base_year is None:
            return None
        return self.base_year + {"明年": 1, "次年": 1, "后年": 2, "去年": -1, "上年": -1}.get(rel or "", 0)

    def _rolled(self, date: datetime.date | None, rel: str | None) -> datetime.date | None:
        """Move a month/day without a year to next year when it is already past at the meeting."""
        if date is None or rel or self.meeting is None or date >= self.meeting:
            return date
        return _safe_date(date.year + 1, date.month, date.day, clamp=True)

    # -- handlers, one per pattern

    def _y_m_d(self, m: re.Match) -> None:
        tier = self._limit_tier(m)
        date = _safe_date(_year(m["y"]), cn_to_int(m["m"]), cn_to_int(m["d"]))
        if tier and date:
            self._add(tier, date, m)

    def _y_m(self, m: re.Match) -> None:
        part = m["part"]
        date = _month_part(_year(m["y"]), cn_to_int(m["m"]), part)
        if date:
            self._add(self._limit_tier(m, inherent=part in ("底", "末", "下旬")), date, m)

    def _y_hq(self, m: re.Match) -> None:
        date = _half_quarter_end(_year(m["y"]), m["hq"])
        if date:
            self._add(self._limit_tier(m, inherent=bool(m["qend"])), date, m)

    def _y_end(self, m: re.Match) -> None:
        y = _year(m["y"])
        if y is not None:
            self._add(self._limit_tier(m, inherent=True), datetime.date(y, 12, 31), m)

    def _y(self, m: re.Match) -> None:
        y = _year(m["y"])
        if y is None:
            return
        if not m["pre"] and not m["suf"]:
            after = self.text[m.end() : m.end() + 4]
            if _YEAR_NOT_GOAL_AFTER.match(after):
                return
            if self._event_limit(m):
                return
            before = self.text[max(0, m.start() - 4) : m.start()]
            if _WEAK_BEFORE.search(before):
                # 在2017年…基础上 is background; 于2018年完成 is a limit.
                if not _COMPLETE_AFTER.match(self.text[m.end() : m.end() + 12]):
                    return
                self._add(STRONG, datetime.date(y, 12, 31), m)
                return
        elif (
            m["pre"] in ("至", "到")
            and self.text[m.start() - 1 : m.start()] in ("年", "月", "日")
            and _MODIFIER_AFTER.match(self.text, m.end())
        ):
            return  # 2019年至2021年实施的项目: a period naming what is meant
        tier = self._limit_tier(m, weak_ok="year", verb_after=False)
        if tier == WEAK and self.base_year and y < self.base_year:
            return  # 2022年全市实现…: a past year opening a report, no goal
        if tier:
            self._add(tier, datetime.date(y, 12, 31), m)

    def _m_d(self, m: re.Match) -> None:
        if m["rel"] in ("去年", "上年"):
            return
        tier = self._limit_tier(m)
        if not tier or self._open_range(m):
            return
        y = self._rel_year_of(m["rel"])
        mo, d = cn_to_int(m["m"]), cn_to_int(m["d"])
        date = _safe_date(y, mo, d) if y else None
        if y is not None and not m["rel"] and self.meeting and (date is None or date < self.meeting):
            date = _safe_date(y + 1, mo, d)  # already past (or 2月29日 of a common year): next year's
        if y is not None and date is None:
            return  # 2月30日: not a date
        self._add(tier, date, m)

    def _m(self, m: re.Match) -> None:
        if m["rel"] in ("去年", "上年"):
            return
        part = m["part"]
        tier = self._limit_tier(m, inherent=part in ("底", "末", "下旬") or m["suf"] is not None)
        if not tier or self._open_range(m):
            return
        y = self._rel_year_of(m["rel"])
        date = _month_part(y, cn_to_int(m["m"]), part) if y else None
        if y is not None and date is None:
            return
        if date is not None and not m["rel"] and self.meeting and date < self.meeting:
            date = _month_part(date.year + 1, date.month, part)
        self._add(tier, date, m)

    def _rel_end(self, m: re.Match) -> None:
        if m["rel"] in ("去年", "上年"):
            return
        y = self._rel_year_of(m["rel"])
        self._add(self._limit_tier(m, inherent=True), datetime.date(y, 12, 31) if y else None, m)

    def _rel_hq(self, m: re.Match) -> None:
        if m["rel"] in ("去年", "上年"):
            return
        tier = self._limit_tier(m, inherent=bool(m["qend"]) or m["rel"] in ("明年", "次年"), weak_ok=True)
        if not tier:
            return
        y = self._rel_year_of(m["rel"])
        date = _half_quarter_end(y, m["hq"]) if y else None
        self._add(tier, self._rolled(date, m["rel"]), m)

    def _duration(self, m: re.Match) -> None:
        if m["prev"] or _PROHIBITION_AFTER.match(self.text, m.end()):
            return  # 近两年内 looks back; 5年内不得转让 is a ban, not a time limit
        if _DURATION_TARGET_BEFORE.search(self.text, max(0, m.start() - 3), m.start()):
            return  # 压缩至1个工作日以内: a service standard (a target), not a due date
        n = parse_number(m["n2"] or m["n"]) if (m["n2"] or m["n"]) != "半" else 0.5
        if n is None or n <= 0 or n > 100:
            return
        start = m.start("n")
        if self.meeting is None:
            self._add(STRONG, None, m, start)
            return
        self._add(STRONG, _after(self.meeting, n, m["u"]), m, start)

    def _span_of(self, m: re.Match) -> None:
        raw, unit = m["n"] or m["n3"], m["u"] or m["u3"]
        n = 0.5 if raw == "半" else parse_number(raw)
        if n is None or n <= 0 or n > 100:
            return
        if self.meeting is None:
            self._add(WEAK, None, m)
            return
        self._add(WEAK, _after(self.meeting, n, unit), m)

    def _near_month(self, m: re.Match) -> None:
        if self.meeting is None:
            self._add(STRONG, None, m)
            return
        first = self.meeting.replace(day=1)
        if m["which"] in ("下月", "下个月", "次月"):
            first = _add_months(first, 1)
        if m["d"]:
            if m["bare"]:
                return
            date = _safe_date(first.year, first.month, cn_to_int(m["d"]), clamp=True)
            if not m["which"] and date is not None and date < self.meeting:
                return  # 10日前 on the 20th: no month to read it in
        else:
            date = _month_part(first.year, first.month, m["part"])
        self._add(self._limit_tier(m, inherent=True), date, m)

    def _near_week(self, m: re.Match) -> None:
        if self.meeting is None:
            self._add(STRONG, None, m)
            return
        monday = self.meeting - datetime.timedelta(days=self.meeting.weekday())
        if m["which"].startswith("下"):
            monday += datetime.timedelta(days=7)
        date = monday + datetime.timedelta(days=_WEEKDAY[m["wd"]] if m["wd"] else 6)
        if date < self.meeting:
            return  # 本周一前 said on a Wednesday: no day left to read it as
        self._add(STRONG, date, m)

    def _this_quarter(self, m: re.Match) -> None:
        if self.meeting is None:
            self._add(STRONG, None, m)
            return
        month = (self.meeting.month - 1) // 3 * 3 + 3
        self._add(
            STRONG,
            datetime.date(self.meeting.year, month, calendar.monthrange(self.meeting.year, month)[1]),
            m,
        )

    def _holiday(self, m: re.Match) -> None:
        fixed = _HOLIDAY_DATE.get(m["h"])
        if fixed is None:
            self._add(STRONG, None, m)  # 春节前, 汛期前: a time limit we cannot date by hand
            return
        if m["hy"]:  # 2024年元旦前 is the last day of 2023; 2024年国庆前 is in 2024
            y = _year(m["hy"])
            if y is not None:
                self._add(STRONG, datetime.date(y - 1 if m["h"] == "元旦" else y, *fixed), m)
            return
        y = self._rel_year_of(m["rel"])
        if y is None:
            self._add(STRONG, None, m)
            return
        date = datetime.date(y, *fixed)
        if not m["rel"] and self.meeting and date < self.meeting:
            date = date.replace(year=y + 1)
        self._add(STRONG, date, m)

    def _event_limit(self, m: re.Match) -> bool:
        """Read 明年供暖季前 / 2024年开学前 as a time limit set by an event, which has no date."""
        event = _EVENT_BEFORE.match(self.text, m.end())
        if event is None or self.taken.find(1, m.end(), event.end()) >= 0:
            return False
        self.taken[m.end() : event.end()] = b"\x01" * (event.end() - m.end())
        self.found.append(_Candidate(STRONG, None, m.start(), event.end()))
        return True

    def _rel_year(self, m: re.Match) -> None:
        after = self.text[m.end() : m.end() + 4]
        if _YEAR_NOT_GOAL_AFTER.match(after):
            return
        if self._event_limit(m):
            return
        tier = self._limit_tier(m, weak_ok=True)  # 明年全面完成: a goal for next year
        if tier:
            y = self._rel_year_of(m["rel"])
            self._add(tier, datetime.date(y, 12, 31) if y else None, m)

    def _whole_year(self, m: re.Match) -> None:
        if _WHOLE_YEAR_NOT_AFTER.match(self.text[m.end() : m.end() + 2]):
            return
        before = self.text[max(0, m.start() - 6) : m.start()]
        if not (_PHRASE_START.search(before) or _STRONG_BEFORE.search(before)):
            return
        y = self.base_year
        self._add(WEAK, datetime.date(y, 12, 31) if y else None, m)


def _plan_ends(compact: str, taken: bytearray) -> list[_Candidate]:
    """Find the end of a five-year plan as a goal: 到“十四五”末 is 31 Dec 2025 (read before quotes are masked)."""
    out = []
    for m in _PLAN_END.finditer(compact):
        if taken.find(1, m.start(), m.end()) >= 0:
            continue
        n = cn_to_int(m["n"])
        if n is not None and 10 <= n <= 20:
            out.append(_Candidate(STRONG, datetime.date(1955 + 5 * n, 12, 31), m.start(), m.end()))
    return out


def _label_end(text: str, start: int) -> int:
    """Return where the value after a 时限 label stops: at ; 。 ) or after 30 characters."""
    m = _LABEL_STOP.search(text, start, start + 30)
    return m.start() if m else min(len(text), start + 30)


def _year(s: str) -> int | None:
    y = cn_to_int(s)
    return y if y is not None and 1990 <= y <= 2100 else None


def _safe_date(y: int | None, mo: int | None, d: int | None, clamp: bool = False) -> datetime.date | None:
    if y is None or mo is None or d is None or not 1 <= mo <= 12:
        return None
    last = calendar.monthrange(y, mo)[1]
    if d > last:
        if not clamp:
            return None
        d = last
    return datetime.date(y, mo, d) if d >= 1 else None


def _month_part(y: int | None, mo: int | None, part: str | None) -> datetime.date | None:
    if y is None or mo is None or not 1 <= mo <= 12:
        return None
    last = calendar.monthrange(y, mo)[1]
    day = {"上旬": 10, "初": 10, "中旬": 20, "中": 15}.get(part or "", last)
    return datetime.date(y, mo, day)


def _half_quarter_end(y: int | None, hq: str) -> datetime.date | None:
    if y is None:
        return None
    if hq == "上半年":
        return datetime.date(y, 6, 30)
    if hq == "下半年":
        return datetime.date(y, 12, 31)
    q = cn_to_int(hq.strip("第季度Qq"))
    if q is None or not 1 <= q <= 4:
        return None
    month = q * 3
    return datetime.date(y, month, calendar.monthrange(y, month)[1])


def _add_months(d: datetime.date, months: int) -> datetime.date:
    total = d.month - 1 + months
    y, mo = d.year + total // 12, total % 12 + 1
    return datetime.date(y, mo, min(d.day, calendar.monthrange(y, mo)[1]))


def _after(d: datetime.date, n: float, unit: str) -> datetime.date:
    """Return meeting date + n units (年 / 个月 / 天 / 周 / 工作日)."""
    if unit == "年":
        return _add_months(d, round(n * 12))
    if unit == "半个月":
        return d + datetime.timedelta(days=15)
    if "月" in unit:
        months = int(n)
        extra = 15 if "半" in unit or n != int(n) else 0  # 一个半月, 1.5个月
        return _add_months(d, months) + datetime.timedelta(days=extra)
    if unit in ("周", "星期", "个星期"):
        return d + datetime.timedelta(weeks=n)
    if "工作日" in unit:
        left, day = int(n), d
        while left:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day
    return d + datetime.timedelta(days=int(n))
