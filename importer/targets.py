"""Find the numbers a directive must reach: PM2.5年均浓度控制在45微克/立方米以下 -> (<=, 45, 微克/立方米).

Each quantity (a number with a unit from a fixed list; 万/亿 stay in the unit, so 超千亿元 is
1000 亿元) becomes a target only when the directive says it must be reached: a comparison word
right before it (达到, 控制在, 超, 不少于 …), an action verb governing it (实施土地开发13340亩,
新建5所学校, 消除城市易涝点15处), or a bound after it that ends the phrase (…45微克/立方米以下,).
The bound after the number decides the operator first (以上 >=, 以下/以内 <=, 左右 =), then the
word before it:

=============================================  ====
不少于 不低于 至少 达到 达 提高到 …             >=
action verbs: 实施 完成 新增 新建 改造 消除 …   >=
不超过 不高于 最多 控制在 降至 压缩至 …          <=
低于 少于 小于                                  <
超过 超 高于 多于 突破                          >
下降/降低/减少 X%   (metric …降幅)              >=
增长/提高/提升/增加 X%  (metric …增幅)          >=
压减/缩短/降低 … 至 N (the metric between)      <=
提高/提升/增加/扩大 … 到 N                       >=
=============================================  ====

力争/争取 (达到) N in the same unit right after a target is that target's stretch value
(达5家以上,力争7家). A range 5-7家 is >= 5 with stretch 7; 3至5个工作日以内 is <= 5.
Times (小时, 天, 个工作日) are targets only after a comparison word (压缩至1个工作日以内).

Not targets: years, months and days (年/月/日 are no units), ordinals (第N), document numbers,
model-like tokens (PM2.5, 5G, 3A级), anything inside quotation marks or titles (“五大专项行动”),
a bare count with no verb or bound (三大传统产业, 围绕12个行业), a bound that qualifies a noun
(投资1000万元以上的项目), Chinese numerals after an action verb (建成一个…), and the parts of a
breakdown after 其中 that carry neither their own verb nor a comparison word (其中2016年立项实施面积6840亩;
其中工业投资增长15% is a target).

The metric is the noun phrase before the comparison word with enumeration marks, adverbs,
scope and time words (1., 确保, 力争, 全年, 全市, 到2020年, 6月底前 …) and a baseline (比2020年)
trimmed, and so are the subject with the verbs driving the change (市生态环境局要推动…) and a place
(在老城区…); for an action verb it is the verb's object, before the number (土地开发) or after it
(新建5所学校 -> 新建学校), or, for a bare 完成 N, the work of the clause before it
(加快农村公路改造,年内完成100公里 -> 农村公路改造); a verb that names what is counted is the metric itself (招商引资200亿元,
为企业减负20亿元 -> 企业减负), and a bare 资金 keeps its verb (到位资金300亿元). Areas get 面积 and counts get 数量 appended when the phrase does not
already say what is measured (上市公司 -> 上市公司数量); a bare rate after a number takes that
number's metric (生产总值1500亿元,增长4.5% -> 生产总值增幅).
"""

from __future__ import annotations

import re

from importer.numerals import parse_number
from importer.types import Target

_UNITS = sorted(
    [
        "%",
        "‰",
        "个百分点",
        "百分点",
        "微克/立方米",
        "μg/m3",
        "ug/m3",
        "mg/m3",
        "毫克/立方米",
        "毫克/升",
        "千瓦时",
        "千瓦",
        "兆瓦",
        "吨标准煤",
        "吨",
        "公斤",
        "千克",
        "斤",
        "标箱",
        "元",
        "美元",
        "亩",
        "公顷",
        "平方公里",
        "平方米",
        "立方米",
        "公里",
        "千米",
        "米",
        "家",
        "个",
        "项",
        "件",
        "所",
        "座",
        "户",
        "起",
        "人",
        "人次",
        "名",
        "辆",
        "台",
        "套",
        "条",
        "处",
        "场",
        "栋",
        "幢",
        "张",
        "床",
        "间",
        "只",
        "头",
        "株",
        "篇",
        "册",
        "期",
        "班",
        "批",
        "艘",
        "盏",
        "棵",
        "根",
        "块",
        "份",
        "家次",
        "户次",
        "个次",
        "架次",
        "倍",
        "个工作日",
        "工作日",
        "小时",
        "分钟",
        "天",
    ],
    key=len,
    reverse=True,
)
_AREA_UNITS = {"亩", "公顷", "平方公里", "平方米"}
_COUNT_UNITS = {
    "家", "个", "项", "件", "所", "座", "户", "起", "人", "人次", "名", "辆", "台", "套",
    "条", "处", "场", "栋", "幢", "张", "床", "间", "只", "头", "株", "篇", "册", "期", "班", "批",
    "艘", "盏", "棵", "根", "块", "份", "家次", "户次", "个次", "架次",
}  # fmt: skip

_RATE_UNITS = {"%", "‰", "个百分点", "百分点"}
_TIME_UNITS = {"个工作日", "工作日", "小时", "分钟", "天"}
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_CN_NUM = "零〇两一二三四五六七八九十百千"
_QUANTITY = re.compile(
    r"(?:百分之(?P<pct>[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十]+))"
    r"|(?:(?<![0-9.A-Za-z_{}第" + _CN_NUM + r"万亿])"
    r"(?:(?P<lo>[0-9]+(?:\.[0-9]+)?)(?:至|到|-|~|—|–))?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|[" + _CN_NUM + r"]+)"
    r"(?P<unit>(?:万|亿)?(?:" + _UNIT_RE + r"))(?![A-Za-z0-9]))"
)
_STRETCH = re.compile(r"(?:力争|争取|努力)(?:达到|达|实现|突破|超过|超|完成)?")
_BOUND = re.compile(r"(?P<b>及以上|以上|及以下|以下|以内|之内|左右)")
_BOUND_OP = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
    "左右": "=",
}

# Comparison words: they stand right before the number (ending the text before it).
_COMPARATORS = [
    (
        "<=",
        "不超过|不高于|不多于|不大于|最多|控制在|控制到|保持在|稳定在|下降到|下降至|降低到|降低至|降至|降到|减少到|减少至|压减到|压减至|压降到|压降至|缩减到|缩减至|压缩到|压缩至|缩短到|缩短至|低至",
    ),
    (
        ">=",
        "不少于|不低于|不小于|不下于|至少|达到|达|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|扩大到|扩大至|上升到|上升至|力争|争取",
    ),
    ("<", "低于|少于|小于"),
    (">", "超过|超出|高于|多于|大于|突破|超"),
    ("drop", "下降|降低|减少|削减|压减|压降"),
    ("rise", "增长|提高|提升|增加|上升"),
]
_COMPARATOR = re.compile(
    r"(?:" + "|".join(f"(?P<c{i}>{words})" for i, (_, words) in enumerate(_COMPARATORS)) + r")(?:为|了)?$"
)
# Action verbs: the number is what the action must amount to; their object may stand in between.
# (extract reads them as the work an approval commits somebody to.)
ACTION_VERBS = (
    "实施|完成|新增|累计|建成|新建|改建|扩建|新开工|开工建设|开工|建设|改造|提升改造|消除|整治|拆除|治理|"
    "清理|培育|引进|招引|引育|创建|创成|认定|实现|开发|培训|植树|造林|种植|签约|落地|发放|办结|打造|推出|开通|增设|"
    "安装|投放|储备|配备|采购|转化|招商引资|招商|减税降费|减负|到位|争取|盘活|处置|化解|收储|供应|出让|安排|筹措|筹集|拨付|兑现|举办|排查|走访|交付|竣工|吸纳|帮扶"
)
_ACTION = re.compile(r"(?P<verb>" + ACTION_VERBS + r")(?P<gap>[^,,;;::。!!??、()()\s]{0,16})$")
_LEADING_VERBS = re.compile(r"^(?:" + ACTION_VERBS + r")+")
_VERB = re.compile(ACTION_VERBS)
# Verbs that say nothing of what is counted: 完成12个小区 -> 小区数量, but 新建5所学校 -> 新建学校数量.
_GENERIC_VERBS = {"实施", "完成", "累计", "实现"}
# Verbs that name what is counted themselves: 招商引资200亿元, 为企业减负20亿元.
_NOMINAL_VERBS = {"招商引资", "减税降费", "减负"}
_BENEFICIARY = re.compile(r"^(?:帮助|为|给|帮|替|向)")
_SEGMENT_END = re.compile(r"[,,;;::。!!??()()]")
_BREAKDOWN = "其中"
_LISTED_OBJECT = re.compile(r"[、,，](?P<noun>[^0-9,，;；:：。!?！？、()（）\s□]{1,10})")

# Directive words, not the first character of a word (要素, 将来, 应急, 使用, 让利): trimmed from a
# metric's start (_LEADING) and marking where the subject and its drivers end (_DRIVER).
_MUST, _WILL, _SHOULD = r"要(?![素点求件])", r"将(?![来近])", r"应(?![急用对届收付])"
_MAKE, _LET = r"使(?!用)", r"(?<![出转退避谦])让(?!利)"  # not 出让, 转让
_LEADING = re.compile(
    "^(?:"
    + "|".join(
        [
            r"[0-9]+[..、]|[((][0-9一二三四五六七八九十]+[))]|[一二三四五六七八九十]+、|[一二三四五六七八九十]是",  # 1. (一) 一是
            r"会议(?:要求|明确|强调|指出|提出|决定)|其中|同时|此外|并且|并|且",
            # not the first character of a word (应急, 使用, 让利, 到期, 要素, 在建, 在线)
            rf"要求|{_MUST}|{_WILL}|必须|须(?!知)|{_SHOULD}|确保|力争|争取|力求|努力",
            rf"进一步|全面|实现|完成|推动|促进|{_MAKE}|{_LET}|在(?![建册岗职编线校读途库售用])|于",
            r"(?:到|至)(?=(?:19|20)[0-9]{2}|[今明本]年|年底|年末|[0-9一二三四五六七八九十]{1,2}月|“|\")",
            r"至少|最少|累计|共计|(?:总)?共(?![\u4e00-\u9fff])|首批|第一批|新一批|一批",  # not 共享单车
            r"全市|全县|全区|全省|全镇|各地|我市|本市",
            # time words: 今年, 全年, 年底前, 6月底前, 三个月内, 一季度, 2020年底 …
            r"今年以来|今年|明年|全年|年内|年底|年末|[0-9]{1,2}月份?(?:底|末|上旬|中旬|下旬)?",
            r"(?:19|20)[0-9]{2}年(?:底|末)?",  # before counts of years: 2025年底前, not 2025年 + 底前
            r"[0-9一二两三四五六七八九十半]+(?:个月|年|天|日|周|个工作日)",
            r"(?:(?:前三|第?[一二三四1-4])季度|上半年|下半年)(?:末|底)?|年中",
            r"之前|以前|前|之内|以内|内",
        ]
    )
    + ")+"
)
_TRAILING = re.compile(r"(?:要|将|能|须|必须|应|力争|确保|争取|的|全部|均|都|共|再|至少|最少|累计)+$")
_BASELINE = re.compile(r"(?:比|较|同比|环比)(?:(?:19|20)[0-9]{2}年|上年|去年|上年同期|同期|基期)?(?:末|底)?$")
_SUBSCRIPT = re.compile(r"([A-Za-z])_?\{?([0-9.]+)\}")
_SUBSCRIPT_PLAIN = re.compile(r"([A-Za-z])_([0-9.]+)")
_QUOTED = re.compile(r"《[^《》]{0,80}》|“[^“”]{0,80}”|「[^「」]{0,80}」|『[^『』]{0,80}』|\"[^\"]{0,80}\"")
_HAS_NUMBER = re.compile(r"[0-9" + _CN_NUM + r"]")
_NOUN_AFTER = re.compile(
    r"(?:(?!的|和|及|等|安全隐患|隐患|排查|整改|建设|改造|治理|清理|整治|工作|任务)[^0-9,,;;::。!!??、()()\s]){1,8}"
)
# The comparison split around what it measures: 压减审批时间至60个工作日以内, 提高覆盖率到95%.
_SPLIT_COMPARATOR = re.compile(
    r"(?P<verb>压减|压缩|缩短|缩减|压降|降低|减少|提高|提升|增加|扩大)"
    r"(?P<object>[^,,;;::。!!??()()、\s至到]{2,16})(?:至|到)$"
)
_DOWN_VERBS = {"压减", "压缩", "缩短", "缩减", "压降", "降低", "减少"}
_MAX_METRIC = 16
_CUT_AFTER = ("的", "使", "让", "实现", "达到", "确保", "力争")
# The subject and the verbs that drive the change come before what is measured: 市生态环境局要推动
# PM2.5浓度降幅…, 各县区要确保…普及率…; the metric starts after the last of them. Their look-alikes
# stay in a name (主要污染物, 供应能力, 使用率).
_DRIVER = re.compile(
    rf"^.*(?:(?<![重主需只必首紧简纲摘提]){_MUST}|(?<![必务])须|必须|务必"
    rf"|(?<![供反响效适对相理回答]){_SHOULD}|(?<![即就]){_WILL}"
    rf"|推动|推进|促进|力促|带动|{_MAKE}|{_LET}|确保|力争|争取|努力)"
)
# A place where the change happens: 在老城区, 在全县范围内.
_PLACE = re.compile(r"^在[^在]{1,8}?(?:社区|园区|街道|区|县|市|镇|乡|村)(?:范围内|区域内|内)?")
# Verbs that push work on (加快农村公路改造): what follows them is the work itself.
_WORK_VERB = re.compile(
    r"(?:加快|加强|推进|推动|抓好|做好|抓紧|开展|持续|大力|全力|积极|扎实|深入|稳步|有序|全面|实施|启动)+"
)
_WHEN = re.compile(r"(?:之前|以前|前)$")
_DIGIT = re.compile(r"[0-9]")
_ITEM_MARKER = re.compile(r"(?:[0-9]+[.．、]|[(（][0-9一二三四五六七八九十]+[)）])?")
_MEASURE_WORDS = ("面积", "数量", "规模", "总量", "长度", "里程", "金额", "总额")


def extract_targets(clause: str) -> tuple[Target, ...]:
    """Return the quantitative targets a directive clause sets, in the order written."""
    if not clause or not _HAS_NUMBER.search(clause):
        return ()
    text = _clean(clause)
    masked = _QUOTED.sub(lambda m: "□" * len(m.group()), text)
    breakdown_at = masked.find(_BREAKDOWN)
    targets: list[Target] = []
    last_end = -1
    via_action = False
    for m in _QUANTITY.finditer(masked):
        if m["pct"] is not None:
            value, unit, chinese = parse_number(m["pct"]), "%", False
        else:
            value, unit = parse_number(m["num"]), m["unit"]
            chinese = not m["num"][0].isdigit()
        if value is None or (chinese and unit == "起"):
            continue  # 一起: together, not one incident
        seg_start = _segment_start(masked, m.start())
        left = masked[seg_start : m.start()]
        bound_m = _BOUND.match(masked, m.end())
        bound = bound_m["b"] if bound_m else None
        end = bound_m.end() if bound_m else m.end()

        # Inside a breakdown (其中…) only the parts with their own verb are targets; the part that
        # opens with 其中 counts only with a comparison word (其中工业投资增长15%), not as a
        # share of the total (其中2016年立项实施面积6840亩).
        if 0 <= breakdown_at < m.start():
            if seg_start <= breakdown_at:
                if not _COMPARATOR.search(left):
                    continue
            elif not (_ACTION.match(left) or _starts_with_comparator(left)):
                continue

        op, metric = None, ""
        cm = _COMPARATOR.search(left)
        sm = None if cm else _SPLIT_COMPARATOR.search(left)
        am = None if cm or sm else _ACTION.search(left)
        if sm:
            op = "<=" if sm["verb"] in _DOWN_VERBS else ">="
            metric = _metric(sm["object"], unit)
        elif cm:
            kind = _COMPARATORS[int(cm.lastgroup[1:])][0]
            word = cm[cm.lastgroup]
            pre = text[seg_start : seg_start + cm.start()]
            between = masked[last_end : m.start()].lstrip(",、; ") if last_end >= 0 else ""
            if targets and (
                (seg_start <= last_end + 2 and _STRETCH.fullmatch(left)) or _STRETCH.fullmatch(between)
            ):
                prev = targets[-1]  # 达5家以上,力争7家: the stretch value of the target just set
                if prev.unit == unit and prev.stretch is None:
                    targets[-1] = Target(prev.metric, prev.op, prev.value, prev.unit, value)
                    last_end = end
                    continue
            if kind in ("drop", "rise"):
                op = ">="
                if unit in _RATE_UNITS:  # 下降3.5% -> 单位GDP能耗降幅
                    suffix = "降幅" if kind == "drop" else "增幅"
                    metric = _metric(pre, unit, suffix=suffix)
                    if not metric:  # …1500亿元,增长4.5%: the rate of the number just named
                        metric = (targets[-1].metric if targets else "") + suffix
                else:  # 减少排放200吨: the amount of the change itself
                    metric = _metric(pre + word, unit)
            else:
                op, metric = kind, _metric(pre, unit)
        elif unit in _TIME_UNITS:
            pass  # 24小时, 3个工作日: a target only with a comparison word
        elif am and not chinese:
            op = ">="
            raw_gap = text[seg_start + am.start("gap") : m.start()]
            gap = _LEADING_VERBS.sub("", raw_gap)
            if gap in _MEASURE_WORDS:
                gap = am["verb"] + gap  # 新建改造雨污管网 -> 雨污管网, but 拆除面积 stays
            metric = _metric(gap, unit)  # 实施土地开发13340亩: the object stands before the number
            if metric == "资金" and am["verb"] not in _GENERIC_VERBS:
                # 到位资金, 争取资金: which money only the verb says, the last one before it
                # (招商引资到位资金 -> 到位资金)
                chain = _LEADING_VERBS.match(raw_gap)
                metric = (_VERB.findall(chain.group())[-1] if chain else am["verb"]) + metric
            after = None if metric else _NOUN_AFTER.match(masked, end)
            if not metric and am["verb"] in _NOMINAL_VERBS:
                who = _BENEFICIARY.sub("", _LEADING.sub("", text[seg_start : seg_start + am.start()]))
                metric = _metric(who + am["verb"], unit)
            elif after:  # 新建5所学校: the object follows the number
                verb = "" if am["verb"] in _GENERIC_VERBS else am["verb"]
                metric = _metric(verb + text[after.start() : after.end()], unit)
            elif not metric:
                before = text[seg_start : seg_start + am.start()]
                # 明年供暖季前完成…: the words before the verb say when, not what
                metric = "" if _WHEN.search(before) else _metric(before, unit)
            if not metric and raw_gap:  # 完成改造300户: only verbs after 完成, and they say what is counted
                metric = _metric(raw_gap, unit)
            if not metric and am["verb"] in _GENERIC_VERBS:
                metric = _previous_work(text, seg_start, unit)  # 加快农村公路改造,年内完成100公里
        elif bound and _ends_phrase(masked, end):
            op, metric = _BOUND_OP[bound], _metric(text[seg_start : m.start()], unit)
        elif via_action and not chinese and last_end >= 0:
            # 新建幼儿园3所、中小学5所: a further object of the same action, listed after the first
            nm = _LISTED_OBJECT.fullmatch(masked, last_end, m.start())
            if nm and not _ACTION.search(nm["noun"]) and not _LEADING.match(nm["noun"]):
                op, metric = ">=", _metric(text[nm.start("noun") : nm.end("noun")], unit)
        if op is None:
            continue
        via_action = am is not None or (op == ">=" and not (cm or sm or bound))
        if bound and not (bound == "以上" and op == ">"):
            op = _BOUND_OP[bound]
        if chinese and value == 1 and not bound and op == ">=":
            continue  # 达到一个…: a phrase, not a number
        stretch = None
        if m["lo"] is not None:  # 5-7家: at least 5 (7 the stretch); 3至5天以内: at most 5
            low = float(m["lo"])
            if op in (">=", ">", "="):
                value, stretch = low, value
        targets.append(Target(metric, op, value, unit, stretch))
        last_end = end
    return tuple(targets)


def _previous_work(text: str, seg_start: int, unit: str) -> str:
    """The work of the clause before a bare 完成 N (…要加快农村公路改造,年内完成100公里), or "".

    Only a clause of the same sentence (a comma between) without a number of its own: the
    quantity is how much of that work must be done.
    """
    if seg_start < 2 or text[seg_start - 1] not in ",，":
        return ""
    phrase = text[_segment_start(text, seg_start - 1) : seg_start - 1]
    phrase = phrase[_ITEM_MARKER.match(phrase).end() :]  # 5.推进…: the marker is no number of the work
    if _DIGIT.search(phrase):
        return ""
    driven = _DRIVER.match(phrase)
    if driven and driven.end() < len(phrase):
        phrase = phrase[driven.end() :]
    work = _WORK_VERB.search(phrase)
    return _metric(phrase[work.end() :] if work else phrase, unit)


def _clean(clause: str) -> str:
    """Write PM_{2.5} as PM2.5 so neither the metric nor the numbers carry the markup."""
    if "_" in clause:
        clause = _SUBSCRIPT.sub(r"\1\2", clause)
        clause = _SUBSCRIPT_PLAIN.sub(r"\1\2", clause)
    return re.sub(r"\s+", "", clause)


def _segment_start(text: str, pos: int) -> int:
    """Return where the comma-separated phrase holding pos begins."""
    start = max(0, pos - 60)
    last = start
    for m in _SEGMENT_END.finditer(text, start, pos):
        last = m.end()
    return last if last > start or start == 0 else start


def _starts_with_comparator(left: str) -> bool:
    return bool(_COMPARATOR.search(left)) and len(left) <= 6


def _ends_phrase(text: str, pos: int) -> bool:
    return pos >= len(text) or bool(_SEGMENT_END.match(text, pos))


def _metric(phrase: str, unit: str, suffix: str = "") -> str:
    """Trim a noun phrase to a short metric name."""
    driven = _DRIVER.match(phrase)
    if driven and driven.end() < len(phrase):
        phrase = phrase[driven.end() :]
    phrase = _PLACE.sub("", _LEADING.sub("", _PLACE.sub("", phrase)))
    phrase = _TRAILING.sub("", phrase)
    phrase = _BASELINE.sub("", phrase)
    phrase = _TRAILING.sub("", phrase)
    if len(phrase) > _MAX_METRIC:
        cut = max((phrase.rfind(w) + len(w) for w in _CUT_AFTER if w in phrase), default=-1)
        phrase = phrase[cut:] if 0 <= cut < len(phrase) else phrase[-_MAX_METRIC:]
    phrase = phrase.strip("□")
    if not phrase:
        return ""
    if suffix:
        return phrase + suffix
    unit = unit.lstrip("万亿")
    if unit in _AREA_UNITS and not phrase.endswith(("面积", "规模", "量")):
        return phrase + "面积"
    if unit in _COUNT_UNITS and not phrase.endswith(("数", "量", "率", "额", "数量")):
        return phrase + "数量"
    return phrase
