"""Find the directives of one meeting, each with its exact span of the meeting text.

Prose (yearbook entries, news reports, minutes) is cut into sentences (。!?, line ends) and
units (; and enumeration markers 一是 / 一要 / (一) / 1. / ①). A sentence led by a directive verb
(会议要求 / 明确 / 决定 …) makes every unit after the verb an item, and so does a list announced
by 会议要求: or a bare 会议要求 line (its points numbered or bulleted: ● ■ …); after 强调 / 指出, and in a sentence with no such verb, an
item needs a directive word (要, 须, 应, 确保, 力争, 将, 由/请 + a department, a department +
配合/协助 …); an approval (同意 / 原则同意 / 批准) is an item when it commits somebody to work
(…方案,修改完善后印发实施; 同意新建停车场5处), not when it approves a document alone or only sets the
day it takes effect. Sentences led by 审议 / 听取 / 认为 / 通报 … are context, not items, except a clause
handing the work on (…,请市司法局印发实施); the reporter's background (据悉, 据了解) is never an
item, nor, in a notice relaying a meeting's decisions (督办通知), the sender's own words: passing the
decisions on (现将会议议定事项通知如下) and asking for the handling to be reported back
(请各承办单位…将办理情况报送督查室). Owner and time-limit labels after a decision ((责任单位:…),
完成时限:… lines) make it an item even without a directive word (全年新增托位1000个。牵头单位:市民政局),
stay with its last item and are shared by the items of the decision before it (those of a topic
heading (一、关于…(牵头单位:…)) by the items under it); a decision's heading ((一)全力稳增长。) joins
the sentence after it on its line. Task documents are cut into numbered tasks, each one item with its
owner and field lines; a numbered heading followed by its own owner lines is a task.

Plain Python, no Django. The scan is linear in the text length.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from importer.quotes import mask_quotes
from importer.targets import ACTION_VERBS
from importer.types import BULLETS

CJK = "\u4e00-\u9fff"
_OPEN = "(（《“‘「【〔["
_CLOSE = ")）》”’」】〕]"
_PAIRS = dict(zip(_CLOSE, _OPEN, strict=True))
_SENTENCE_END = "。!?！？"
_UNIT_END = ";；"
_CLAUSE = ",，:：、"
_NUMBERED = r"[0-9]{1,2}[.．、](?![0-9])"  # 1. 2、: also one of the markers below
_NUMBERED_LINE = re.compile(_NUMBERED)
_BOUNDARY_BEFORE_MARKER = set("。!?！？;；:：,，\n")

_MARKER = re.compile(
    r"[一二三四五六七八九十]{1,3}是"
    r"|[(（][一二三四五六七八九十]{1,3}[)）]"
    r"|[(（][0-9]{1,2}[)）]"
    rf"|{_NUMBERED}"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|第[一二三四五六七八九十]{1,3}[,，、]"
    r"|[一二三四五六七八九十]{1,2}要(?![素件点求])"  # 一要…,二要…: an enumeration of requirements
)
_TOPIC = re.compile(r"[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]")

# Directive and context verbs, when the meeting (or its chair) says them.
_STRONG = ("要求", "明确", "决定", "议定", "商定", "部署", "责成", "确定", "作出安排", "作了安排")
_WEAK = ("强调", "指出", "提出", "指示", "号召", "原则同意", "同意", "批准", "倡议", "希望")
_APPROVALS = ("原则同意", "同意", "批准")
_CONTEXT = (
    "研究部署",
    "认为",
    "审议",
    "听取",
    "通报",
    "研究",
    "传达",
    "学习",
    "肯定",
    "讨论",
    "审定",
    "观看",
    "回顾",
    "总结",
    "分析",
    "介绍",
    "汇报",
    "表示",
    "看望",
    "调研",
)
_CUE = re.compile("|".join(sorted(_STRONG + _WEAK + _CONTEXT, key=len, reverse=True)))
_ADVERBS = "还并同时也又进一步再次专门特别最后认真充分集体首先重点着重一致"
_MEETING_SUBJECT = re.compile(rf"(?:会议|会上|会议上)[{_ADVERBS}]{{0,5}}$")
_CONJ_SUBJECT = re.compile(rf"(?:^|[,，;；]\s*)(?:并|还|同时|也|并且|同时还)[{_ADVERBS}]{{0,3}}$")
_REQUIREMENT_CUES = ("要求", "强调", "指出", "部署")
_NOT_A_SUBJECT = re.compile(r"根据|按照|依照|依据|遵照|结合|围绕|关于|对于|为了|通过")

# How the names of departments end, for "由X…" and "请X…" (县财政局, 区消防救援大队, 开发区管委会).
_DEPT_END = "局|委|办|中心|政府|街道|镇|乡|大队|支队|管委会"

# Directive words; 要 and 应 lose their look-alikes (要求, 重要, 需要, 理应, 相应, 应急 …).
_MODAL = re.compile(
    r"(?<![重主需只纲纪必摘提首紧简机显政扼])要(?![求素点害闻件案领务员地道冲])(?!(?:清醒|充分|深刻)?(?:看到|认识到)(?!位))"
    r"|必须|务必|务须|(?<![必务])须(?!知)"
    r"|(?<![理相响适对供反效呼答顺感照报回])应(?![急用对届邀聘收付征变运酬答允承有])"
    r"|确保|力争|争取|严禁|禁止|不得|负责(?![人同])|牵头|(?<!申)请(?![示求教假柬示])|责成|抓紧|尽快|务求"
    r"|(?:目标|任务)[^,，。;；:：]{0,3}是"
    # a department named as the doer: 资金由县财政局统筹安排; 区消防救援大队协助做好培训
    rf"|由[^,，。;；:：]{{1,14}}?(?:{_DEPT_END})(?![长])"
    # 区消防救援大队协助…; 市医保局、市统计局按职责做好配合 / 积极予以协助
    r"|(?<=[局委办队心府])(?:积极|主动|全力|密切)?(?:按(?:照)?(?:各自)?职责(?:分工)?)?(?:做好|予以)?(?:配合|协助)"
)
# 将 is a directive at the start of a clause or right after a department, not in a forecast
# (全年用地规模将超过1万亩) nor in 就将 / 即将.
_JIANG = re.compile(r"(?:^|(?<=[,，:：;；\s]))(?:并|还|也|同时)?将(?![来近要])|(?<=[局办委门位心府镇道区])将")
_HEAD_LINE_END = re.compile(
    r"^(?:出席|列席|参加|参会|请假|缺席|抄送|抄报|主送|分送|记录|印发|责任编辑|编辑|审核|来源)"
    r"(?:人员|单位|领导|同志|人)?[::]|^[(（]?记者"
)
# A meeting named as the object of 报 / 提交 (一季度报区政府常务会议审议) does not speak.
_MEETING_AS_OBJECT = re.compile(
    r"(?:报|报请|提交|提请|呈报|上报|送|交)[^,，;；:：]{0,16}会议[^,，;；:：]{0,2}$"
)
# A cue word used as a noun: 会议议定事项, 会议要求的时间, 会议精神.
_CUE_AS_NOUN = re.compile(r"事项|的|精神|内容")
# After what the meeting reviewed, a clause handing the work on: ,请X… / ,由X负责… / ,责成X….
_HANDED_ON = re.compile(
    rf"[,，;；]\s*((?:并|同时)?(?:请|责成|交由|由)[^,，;；。]{{1,16}}?(?:{_DEPT_END}|部门|单位))"
)
# What an approval commits somebody to: work or a time limit in a clause after what it approves
# (…方案,修改完善后印发实施 / …,全年收储土地1200亩: any verb a target counts), or building a
# counted thing (同意新建停车场5处).
# Sending a document on to a higher body (提交市委常委会审定) is procedure, not work, and the day a
# decision takes effect (,自7月1日起执行) is no work either.
_TAKES_EFFECT = re.compile(r"[,，](?:自|从)?[^,，;；]{1,14}?起(?:施行|执行|实施|生效)")
_COMMIT_WORK = re.compile(
    ACTION_VERBS + r"|印发|投用|投入使用|推进|落实|启动|开展|组织|调整|修改|组建|负责"
    r"|[0-9一二三四五六七八九十]{1,2}月(?:底|末)?前|年底|年内|全年|季度"
)
_COMMIT_BUILD = re.compile(
    r"(?:新建|新增|扩建|改建|建设|改造|实施|设立|组建)[^,，;；]{0,16}?[0-9]+(?:\.[0-9]+)?(?:万|亿)?"
    r"[个处所座家条项套亩间张台辆户人公千平米吨元]"
)
_REPORTED = re.compile(r"(?:据悉|据了解|据介绍|据统计|据初步统计|据报道|记者[^,，。]{0,10}(?:了解到|获悉))")
_OWNER_WORDS = re.compile(r"牵头|责任单位|配合|协办|主办|负责")
_NOTICE_TITLE = re.compile(r"通知[ \t\u3000]*(?:\n|$)")
# Reporting the handling back (将办理情况报送督查室, 反馈落实结果): what a notice's sender asks for.
_REPORT_BACK = re.compile(
    r"(?:办理|落实|进展|推进|整改|工作)(?:情况|结果|进度)[^。;；]{0,20}?(?:报送|上报|报告|反馈|报)"
    r"|(?:报送|上报|报告|反馈)[^。;；]{0,8}?(?:办理|落实|进展|推进|整改)(?:情况|结果|进度)"
)

# A notice passing the decisions on (现将会议议定事项通知如下,请认真抓好落实): the sender's words.
_NOTICE_OWN = re.compile(_REPORT_BACK.pattern + r"|通知如下|印发给你们")


@dataclass(frozen=True)
class Directive:
    """One directive (or the lead-in of an enumeration) found in a meeting's text."""

    span: tuple[int, int]
    text: str
    passage: int  # directives of one 要求/强调 passage share a number: subjects carry inside it
    is_item: bool = True  # False for a lead-in like "各部门要做好以下工作:" (its subject still carries)
    task: bool = False  # a numbered task of a task document: owners come from its own lines only
    # The owner and time-limit labels of a decision of several items ((责任单位:…;完成时限:…) after
    # its last sentence), on every item of it; the last item's text ends with them.
    labels: str = ""


def extract(text: str, body_start: int = 0, layout: str = "prose") -> list[Directive]:
    """Return the directives of one meeting's text, in order."""
    if layout == "tasks":
        return extract_tasks(text, body_start)
    return extract_prose(text, body_start)


# --- prose ----------------------------------------------------------------------------------


def extract_prose(text: str, body_start: int = 0) -> list[Directive]:
    """Cut prose into sentences and units and keep the units that are directives."""
    end = _body_end(text, body_start)
    # A notice that relays a meeting's decisions (督办通知) also says what the office wants back.
    notice = bool(body_start and _NOTICE_TITLE.search(text, 0, body_start))
    out: list[Directive] = []
    passage = 0
    governing_list = False  # a 明确如下: lead governs the enumerated units after it
    requirements = False  # the last cue was 要求 / 强调 …, not 议定 / 决定
    paused_list = False  # a line without a marker stopped the governed list; a marker resumes it
    prev_end = body_start
    topics: list[tuple[int, str]] = []  # where each topic heading stands, with its owner bracket
    # The units of the sentence before that gave no item: owner labels right after them make them one.
    unassigned: list[Directive] = []
    for s_start, s_end in _split_leading_labels(text, _sentences(text, body_start, end)):
        sentence = text[s_start:s_end]
        stripped = sentence.strip()
        new_line = "\n" in text[prev_end:s_start] or s_start == body_start
        prev_end = s_end
        if not stripped:
            continue
        pending, unassigned = unassigned, []
        if _is_topic_heading(stripped):
            passage += 1
            governing_list = paused_list = False
            topics.append((s_start, _owner_bracket(stripped)))  # 一、关于…(牵头单位:…): its items'
            continue
        if _is_topic_sentence(stripped):
            passage += 1  # 四、关于背街小巷整治。会议明确,…: the topic of the decision after it
            topics.append((s_start, ""))
            continue
        if _is_bracket_only(stripped) or _LABEL_SENTENCE.match(stripped):
            # (责任单位:…) / 责任单位:县林业局。完成时限:4月30日。: the owners and time limit of the
            # directive right before; after a sentence that gave no item they belong to nothing.
            if pending and _follows_directly(text, pending[-1].span[1], s_start):
                out.extend(pending)  # 全年新增托位1000个。\n牵头单位:市民政局: the labels assign it
            if out and out[-1].is_item and _follows_directly(text, out[-1].span[1], s_start):
                out[-1] = _extend(out[-1], text, s_end)
                unassigned = []
            continue
        if _REPORTED.match(stripped):
            continue  # 据悉, … : the reporter's background, not the meeting's words
        cue = _find_cue(sentence)
        if cue is not None:
            passage += 1
            governing_list = paused_list = False
            word = _CUE.match(mask_quotes(sentence), cue[1]).group(0)
            requirements = word in _REQUIREMENT_CUES
            tail = sentence[cue[1] + len(word) :].strip()
            if cue[0] != "context" and tail and not tail.strip("。!?！？"):
                continue  # 会议对防汛工作进行了再安排再部署。: what the meeting did, no directive
        elif governing_list and new_line and not _list_point(stripped):
            governing_list, paused_list = False, True
        elif (
            new_line
            and (_NUMBERED_LINE.match(stripped) or _TOPIC.match(stripped))
            and not (governing_list and requirements)
        ):
            # 2.同意设立… / (二)…: a numbered decision takes no subject from the one before, but the
            # points of one 会议要求: list are one passage (要提升效率 after 各部门要勇于担当)
            passage += 1
        if paused_list and cue is None and new_line and _list_point(stripped):
            # (一)…。\n<its body>\n(二)县财政局拨付补贴。: the list goes on after a decision's body line
            governing_list, paused_list = True, False
        mode = cue[0] if cue else None
        if notice and mode is None and not governing_list and _NOTICE_OWN.search(sentence):
            # 请各承办单位于每月25日前将办理情况报送… / 现将会议议定事项通知如下: the office's words
            continue
        if mode == "context":
            # 会议审议通过了《办法》,请市司法局按程序印发实施: what follows the review is a directive.
            handed = _HANDED_ON.search(mask_quotes(sentence), cue[1])
            if handed is None:
                continue
            out.append(_make(text, s_start + handed.start(1), s_end, passage))
            continue
        lead_end = cue[2] if cue else 0
        units = _units(text, s_start + lead_end, s_end)
        if (
            mode in ("strong", "weak")
            and (sentence.rstrip().endswith((":", "：")) or (not units and _ends_line(text, s_end)))
            and (not units or (len(units) == 1 and _is_list_header(text[units[0][0] : units[0][1]])))
        ):  # 会议要求: / a bare 会议要求 line above its paragraphs
            governing_list = mode == "strong" or governing_list  # 会议就有关事项明确如下:
            continue
        governed = mode == "strong" or (mode is None and governing_list)
        approval = cue is not None and word in _APPROVALS
        found_modal = False
        list_follows = sentence.rstrip().endswith((":", "：")) and _list_point(
            text, _SPACES_NL.match(text, s_end, end).end(), end
        )
        for i, (u_start, u_end) in enumerate(units):
            u_text = text[u_start:u_end]
            if not _has_content(u_text):
                continue
            if _LABEL_SENTENCE.match(u_text):
                # …;一季度新开工项目不少于50个;责任单位:市发改委: the labels of the units before
                if unassigned and _follows_directly(text, unassigned[-1].span[1], u_start):
                    out.extend(unassigned)
                if out and out[-1].is_item and _follows_directly(text, out[-1].span[1], u_start):
                    out[-1] = _extend(out[-1], text, u_end)
                unassigned = []
                continue
            modal = has_modal(u_text) or (approval and _commits(u_text))
            last = i + 1 == len(units)
            if (not last or list_follows) and _ends_with_colon(text, u_start, u_end):
                out.append(_make(text, u_start, u_end, passage, is_item=False))
                if _LIST_LEAD.search(u_text):
                    governed = True  # 提出三点要求:一是…二是…
                    governing_list = governing_list or (last and list_follows)
            elif governed or modal or (found_modal and mode is not None):
                out.append(_make(text, u_start, u_end, passage))
            elif mode is None:
                unassigned.append(_make(text, u_start, u_end, passage))
            found_modal = found_modal or modal
        if mode == "strong" and units and sentence.rstrip().endswith((":", "：")):
            governing_list = True
    items = _join_headings(text, _merge_owner_groups(text, [d for d in out if d.text]))
    return _share_labels(text, _topic_labels(items, topics))


def _list_point(text: str, pos: int = 0, end: int | None = None) -> bool:
    """Tell whether a point of a list opens at ``pos``: an enumeration marker, or a bullet (●, ■ …)."""
    end = len(text) if end is None else end
    return bool(_MARKER.match(text, pos, end)) or (pos < end and text[pos] in BULLETS)


def _topic_labels(items: list[Directive], topics: list[tuple[int, str]]) -> list[Directive]:
    """Give the owner bracket of a topic heading to the items under it, up to the next topic."""
    if not any(labels for _, labels in topics):
        return items
    out = []
    k = -1
    for d in items:
        while k + 1 < len(topics) and topics[k + 1][0] <= d.span[0]:
            k += 1
        labels = topics[k][1] if k >= 0 else ""
        out.append(dataclasses.replace(d, labels=labels) if labels and d.is_item else d)
    return out


def _is_list_header(s: str) -> bool:
    return len(s) <= 16 and bool(re.search("如下|以下|纪要|事项", s)) and not has_modal(s)


def has_modal(unit: str) -> bool:
    """Tell whether a unit holds a directive word (quoted names and titles do not count)."""
    masked = mask_quotes(unit)
    if _MODAL.search(masked):
        return True
    return bool(_JIANG.search(masked))


def _commits(unit: str) -> bool:
    """Tell whether what the meeting approved in ``unit`` commits somebody to do something."""
    masked = mask_quotes(unit)
    approved = max((masked.find(w) for w in _APPROVALS), default=-1)
    rest = _TAKES_EFFECT.sub("", masked[approved + 2 :] if approved >= 0 else masked)
    comma = min((i for i in (rest.find(","), rest.find("，")) if i >= 0), default=len(rest))
    return bool(_COMMIT_WORK.search(rest, comma) or _COMMIT_BUILD.search(rest, 0, comma))


def _find_cue(sentence: str) -> tuple[str, int, int] | None:
    """Find the verb that says what the meeting did in this sentence: (mode, cue start, lead end)."""
    masked = mask_quotes(sentence)
    first_clause_end = _first_clause_end(masked)
    context_seen = None
    for m in _CUE.finditer(masked):
        word = m.group(0)
        window_start = max(0, m.start() - 60)
        before = masked[window_start : m.start()]
        if _CUE_AS_NOUN.match(masked, m.end()):
            continue
        anchored = bool(_MEETING_SUBJECT.search(before) or _CONJ_SUBJECT.search(before))
        if anchored and _MEETING_AS_OBJECT.search(before):
            anchored = False
        if not anchored and before.endswith("并") and word in ("指出", "强调", "要求", "明确"):
            anchored = True  # 会议听取了…汇报并指出,…
        if not anchored:
            cut = max(before.rfind(c) for c in ",，;；:：")
            clause_start = window_start + cut + 1 if cut >= 0 else (0 if window_start == 0 else -1)
            clause = before[cut + 1 :].strip()
            if clause_start < 0:
                continue  # a clause longer than the window: no meeting subject near
            if not clause and cut >= 0 and _without_marker(masked).startswith(("会议", "会上")):
                anchored = word in ("强调", "指出", "要求", "明确")  # 会议研究了《…》,强调要…
            elif clause.startswith(("对", "就")) and _without_marker(masked).startswith(("会议", "会上")):
                anchored = word in ("部署", "作出安排", "作了安排")  # 会议听取了…汇报,对下一步工作作出安排:
            elif clause.startswith(("会议", "会上")) and m.start() < first_clause_end + 40:
                anchored = len(_CUE.findall(clause)) == 0 and not _NOT_A_SUBJECT.search(clause)
            elif (
                m.end() < len(masked)
                and masked[m.end()] in ",，:："
                and len(clause) <= 20
                and not _NOT_A_SUBJECT.search(clause)
                and (clause_start == 0 or m.start() <= first_clause_end + 25)
                and word in _SPEECH
                # 各部门要严格落实过紧日子要求, / 上级的要求,: a requirement named, nobody speaking
                and not clause.endswith("的")
                and not _MODAL.search(clause)
            ):
                anchored = True  # 市长王强强调, / 张三在讲话中指出,
        if not anchored:
            continue
        mode = "strong" if word in _STRONG else "weak" if word in _WEAK else "context"
        if mode == "context":
            context_seen = context_seen or ("context", m.start(), 0)
            continue
        return mode, m.start(), _lead_end(sentence, m.start(), m.end())
    return context_seen


def _without_marker(sentence: str) -> str:
    """The sentence after its enumeration marker: 4.会议听取了… opens with 会议 as well."""
    sentence = sentence.lstrip()
    m = _MARKER.match(sentence)
    return sentence[m.end() :].lstrip() if m else sentence


def _lead_end(sentence: str, cue_start: int, pos: int) -> int:
    """Where the directive's own words begin: after "会议要求," or "会议就有关事项明确如下:".

    Without punctuation after the cue the sentence is kept whole (会议原则同意该计划,请…),
    except after a plain 会议要求 / 强调 … (会议要求各部门要… keeps 各部门要…).
    """
    m = _LEAD_TAIL.match(sentence, pos)
    if m:
        chained = _CHAINED_LEAD.match(sentence, m.end())  # 作出部署,要求市教育局…
        return chained.end() if chained else m.end()
    if sentence[cue_start:pos] in _STRIP_WITHOUT_PUNCT:
        return pos
    return 0


# Verbs a chair (or a subject other than 会议) says: 市长王强强调, / 张三在讲话中指出,.
_SPEECH = ("强调", "指出", "要求", "提出", "明确", "指示", "希望", "号召", "责成")


def _ends_line(text: str, pos: int) -> bool:
    return pos >= len(text) or text[pos] == "\n" or text[pos : pos + 1].isspace()


_LEAD_TAIL = re.compile(r"(?:了)?(?:[^,，:：。;；]{0,12}?(?:如下|以下))?[,，:：]\s*")
_STRIP_WITHOUT_PUNCT = ("要求", "强调", "明确", "指出", "决定", "议定", "责成")
_CHAINED_LEAD = re.compile(r"(?:并|同时)?(?:要求|责成)(?![^,，:：。;；]{0,12}?(?:如下|以下))[,，:：]?\s*")


def _first_clause_end(s: str) -> int:
    for i, c in enumerate(s):
        if c in ",，;；:：":
            return i
    return len(s)


# --- cutting --------------------------------------------------------------------------------


def _body_end(text: str, start: int) -> int:
    """Stop before attendance lists, copy-to lines and reporter credits."""
    pos = start
    for line in text[start:].splitlines(keepends=True):
        if _HEAD_LINE_END.match(line.strip()):
            return pos
        pos += len(line)
    return len(text)


_SENT_SCAN = re.compile(r"[\n。!?！？(（《“‘「【〔\[)）》”’」】〕\]]")
_UNIT_SCAN = re.compile(r"[(（《“‘「【〔\[)）》”’」】〕\];；。!?！？:：,，\n]")
_SPACES = re.compile(r"[ \t\u3000]*")
_SPACES_NL = re.compile(r"\s*")
_LIST_LEAD = re.compile(r"要求|如下|以下|几点|意见|部署|任务|事项|工作")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut at 。!? and line ends outside brackets; a line end always cuts."""
    out = []
    depth = 0
    s = start
    for m in _SENT_SCAN.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c == "\n":
            if i > s:
                out.append((s, i))
            s = i + 1
            depth = 0
        elif c in _OPEN:
            depth = 0 if depth and i - s > 400 else depth  # an unclosed bracket must not swallow the text
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 or i - s > 400:
            out.append((s, i + 1))
            s = i + 1
            depth = 0
    if s < end:
        out.append((s, end))
    return out


def _split_leading_labels(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut an owner bracket off the sentence it opens: (责任单位:…;完成时限:…)会议还研究了….

    The bracket closes the sentence before it (its 。 came first); what follows is a sentence of its own.
    """
    out = []
    for start, end in spans:
        lead = _SPACES_NL.match(text, start, end).end()
        close = bracket_close(text, lead, end) if text[lead : lead + 1] in "(（" else None
        if close is not None and close < end and _is_bracket_only(text[lead:close]):
            out.append((start, close))
            out.append((close, end))
        else:
            out.append((start, end))
    return out


def bracket_close(text: str, start: int, end: int, opening: str = _OPEN, closing: str = _CLOSE) -> int | None:
    """The position after the bracket opening at ``start``, or None when it does not close before ``end``."""
    depth = 0
    for i in range(start, end):
        if text[i] in opening:
            depth += 1
        elif text[i] in closing:
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence at ; and before enumeration markers, trimmed to their words."""
    cuts = []
    depth = 0
    s = start
    for m in _UNIT_SCAN.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in _OPEN:
            depth += 1
            continue
        if c in _CLOSE:
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if c in _UNIT_END:
            # …排查;(责任单位:县水利局)各乡镇要…: an owner bracket after the ; still closes the unit
            # before it, as one after a 。 closes its sentence.
            owners = _owner_bracket_at(text, _SPACES_NL.match(text, i + 1, end).end(), end)
            cuts.append((s, owners or i + 1))
            s = owners or i + 1
            if owners:
                continue
        p = _SPACES.match(text, i + 1, end).end()
        if p > s and _MARKER.match(text, p, end):
            cuts.append((s, p))
            s = p
    if s < end:
        cuts.append((s, end))
    return [t for t in (_trim(text, a, b) for a, b in cuts) if t[1] > t[0]]


def _owner_bracket_at(text: str, pos: int, end: int) -> int | None:
    """The end of an owner or time-limit bracket opening at ``pos``, or None."""
    if text[pos : pos + 1] not in "(（":
        return None
    close = bracket_close(text, pos, end)
    return close if close is not None and _is_bracket_only(text[pos:close]) else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",，;；:：、" or text[start] in BULLETS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",，;；、。.!?！？:："):
        end -= 1
    return start, end


def _ends_with_colon(text: str, start: int, end: int) -> bool:
    j = end
    while j < len(text) and text[j].isspace():
        j += 1
    return (j < len(text) and text[j] in ":：") or text[end - 1 : end] in (":", "：")


def _has_content(s: str) -> bool:
    return len(re.findall(f"[{CJK}]", s)) >= 4


def _is_topic_heading(s: str) -> bool:
    m = _TOPIC.match(s)
    if not m:
        # 1.关于中小学学位扩容问题: digits number decisions too, but a bare 1.加强… may be one
        m = _NUMBERED_LINE.match(s)
        if not m or not s[m.end() :].startswith("关于"):
            return False
    rest = s[m.end() :]
    rest = rest[: len(rest) - len(_owner_bracket(rest))].rstrip()  # 二、关于…(牵头单位:…)
    if rest.endswith(("。", ";", "；")) or len(rest) > 40:
        return False
    if rest.endswith((":", "：")) and _CUE.search(rest):
        return False  # 二、会议议定: leads a list of decisions, it names no topic
    return rest.startswith("关于") or not has_modal(rest)


def _owner_bracket(s: str) -> str:
    """The bracket of owners or time limit that ends ``s`` ((牵头单位:…), (县水利局牵头)), or ""."""
    bracket = _tail_bracket(s.rstrip())
    return bracket if bracket and _is_bracket_only(bracket) else ""


def _is_topic_sentence(s: str) -> bool:
    """Tell whether a numbered sentence only names a topic (四、关于背街小巷整治。) before its decision."""
    m = _MARKER.match(s)
    if not m or not s.endswith("。"):
        return False
    rest = s[m.end() : -1].strip()
    return (
        rest.startswith("关于")
        and len(rest) <= 30
        and not re.search(r"[,，;；:：]", rest)
        and not has_modal(rest)
    )


# A sentence (or line) that only gives the owners or time limit of the directive before it.
_LABEL_WORD = (
    r"(?:(?:牵头|主办|主责|负责|责任|承办|配合|协办|协助|参与|协作|协同)(?:单位|部门)|责任主体"
    r"|(?:责任|牵头|分管|包保)领导|责任人|(?:完成|办结|办理|整改)(?:时限|时间)|时间节点|时限要求|时限)"
)
# 责任单位:… / 【责任单位】… (a label set in brackets needs no colon) / 责任单位为…
_LABEL_SENTENCE = re.compile(rf"[【\[]{_LABEL_WORD}[】\]][:：]?|{_LABEL_WORD}(?:[:：]|为)")


def _follows_directly(text: str, end: int, start: int) -> bool:
    """Tell whether only punctuation and white space lie between an item and a sentence after it."""
    return not re.search(f"[{CJK}0-9A-Za-z]", text[end:start])


def _is_bracket_only(s: str) -> bool:
    return s[:1] in "(（" and s[-1:] in ")）" and bool(_OWNER_WORDS.search(s) or re.search("时限|时间", s))


def _make(
    text: str, start: int, end: int, passage: int, is_item: bool = True, task: bool = False
) -> Directive:
    start, end = _trim(text, start, end)
    return Directive(span=(start, end), text=text[start:end], passage=passage, is_item=is_item, task=task)


def _extend(d: Directive, text: str, end: int) -> Directive:
    start, end = _trim(text, d.span[0], end)
    return Directive(
        span=(start, end), text=text[start:end], passage=d.passage, is_item=d.is_item, task=d.task
    )


def _merge_adjacent(items: list[Directive], joins, merge) -> list[Directive]:
    """Merge each item into the one before it when ``joins(prev, d)``; ``merge(prev, d)`` gives the result.

    Only two items of the same passage are ever merged.
    """
    out: list[Directive] = []
    for d in items:
        prev = out[-1] if out else None
        if prev is not None and prev.is_item and d.is_item and prev.passage == d.passage and joins(prev, d):
            out[-1] = merge(prev, d)
        else:
            out.append(d)
    return out


def _merge_owner_groups(text: str, items: list[Directive]) -> list[Directive]:
    """Keep a numbered unit that names its owners (责任单位:…) as one item, not one per sentence."""
    return _merge_adjacent(
        items,
        lambda prev, d: (
            _MARKER.match(prev.text)
            and not _MARKER.match(d.text)
            and "\n" not in text[prev.span[1] : d.span[0]]
            and _OWNER_WORDS.search(_tail_bracket(d.text))
        ),
        lambda prev, d: _extend(prev, text, d.span[1]),
    )


# A numbered decision's heading: a short phrase with no subject, no directive word, no number.
_HEADING = re.compile(rf"[{CJK}“”]{{2,12}}")
_HEADING_NOT = re.compile(rf"{_DEPT_END}|部门|单位|同意|通过|批准|决定|原则|会议")


def _join_headings(text: str, items: list[Directive]) -> list[Directive]:
    """Join a decision's heading to the sentence after it (on its line or the next): (一)全力稳增长。全年…

    The heading names the decision's work, its body says who does what; alone it is no item.
    """

    def joined(prev: Directive, d: Directive) -> Directive:
        start, end = _trim(text, prev.span[0], d.span[1])
        return dataclasses.replace(d, span=(start, end), text=text[start:end])

    return _merge_adjacent(
        items,
        lambda prev, d: (
            _is_heading(prev.text)
            and _follows_directly(text, prev.span[1], d.span[0])
            and ("\n" not in text[prev.span[1] : d.span[0]] or not _MARKER.match(d.text))
        ),
        joined,
    )


def _is_heading(s: str) -> bool:
    m = _TOPIC.match(s) or _NUMBERED_LINE.match(s) or re.match(r"[(（][0-9]{1,2}[)）]", s)
    if not m:
        return False
    rest = s[m.end() :].strip()
    return bool(_HEADING.fullmatch(rest)) and not _HEADING_NOT.search(rest) and not has_modal(rest)


def _share_labels(text: str, items: list[Directive]) -> list[Directive]:
    """Give the owner labels after a decision's last item to every item of that decision.

    The items of a decision are the ones right before the labelled item, with nothing but
    punctuation and line ends between them (no sentence that is not an item), in the same passage,
    back to one that opens with an enumeration marker or carries labels of its own. Linking drops
    those before a subject the labels do not name (departments.shared_labels).
    """
    out = list(items)
    for j, d in enumerate(out):
        if not d.is_item or d.task:
            continue
        start = label_start(d.text)
        if start is None:
            continue
        first = j
        while first > 0 and not _MARKER.match(out[first].text):
            e, nxt = out[first - 1], out[first]
            if (
                not e.is_item
                or e.task
                or e.passage != d.passage
                or label_start(e.text) is not None
                or not _follows_directly(text, e.span[1], nxt.span[0])
            ):
                break
            first -= 1
        if first < j:
            labels = d.text[start:]
            for k in range(first, j + 1):
                out[k] = dataclasses.replace(out[k], labels=labels)
    return out


def label_start(s: str) -> int | None:
    """Where the owner and time-limit labels at the end of an item begin, or None if it has none."""
    pos = len(s)
    while True:
        head = s[:pos].rstrip(" \t\n\u3000。.;；,，")
        bracket = _tail_bracket(head)
        if bracket and (_OWNER_WORDS.search(bracket) or re.search("时限|时间", bracket)):
            pos = len(head) - len(bracket)
            continue
        cut = max(head.rfind(c) for c in "。!?！？\n") + 1
        if cut > 0 and _LABEL_SENTENCE.match(head[cut:].strip()):
            pos = cut
            continue
        clause = max(head.rfind(c) for c in ",，;；") + 1  # …不少于50个,责任单位:市发改委
        if clause > 0 and _LABEL_SENTENCE.match(head[clause:].strip()):
            pos = clause
            continue
        break
    return pos if pos < len(s) and s[:pos].strip() else None


def _tail_bracket(s: str) -> str:
    if not s.endswith((")", "）")):
        return ""
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        if s[i] in _CLOSE:
            depth += 1
        elif s[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return s[i:]
    return ""


# --- task documents -------------------------------------------------------------------------

_TASK_MARKER = re.compile(
    r"[ \t\u3000]*(?:[0-9]{1,3}[.．、](?![0-9])|[(（][0-9]{1,3}[)）]|[(（][一二三四五六七八九十]{1,3}[)）]|[①-⑳])"
)
_SECTION = re.compile(r"[ \t\u3000]*[一二三四五六七八九十]{1,3}[、.．]")
_OWNER_LINE = re.compile(
    r"[ \t\u3000]*(?:牵头单位|责任单位|配合单位|协办单位|主办单位|牵头部门|责任部门|配合部门|完成时限|时间节点|完成时间|时限要求"
    r"|[\u4e00-\u9fff]{0,4}(?:单位|部门|领导|责任人|联系人|时限|时间|节点|期限|目标|标准|进度|安排|备注))[::]"
)
_TABLE_HEAD = re.compile(r"牵头单位|责任单位|配合单位|完成时限|时间节点|工作任务|重点任务|任务内容|工作内容")


def extract_tasks(text: str, body_start: int = 0) -> list[Directive]:
    """Cut a task document into numbered tasks; owner lines and brackets stay with their task."""
    table = _table_tasks(text, body_start)
    if table:
        return table
    lines = []
    pos = 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, pos + len(line.rstrip("\r\n")), line))
        pos += len(line)
    out: list[Directive] = []
    section = 0
    current: tuple[int, int] | None = None
    section_open = False  # the line before was a numbered heading
    last_line = 0  # where the last line of the current task starts

    def close() -> None:
        if current is not None:
            start, end = current
            d = _make(text, start, end, section, task=True)
            if _has_content(d.text):
                out.append(d)

    for start, end, line in lines:
        if end <= body_start:
            continue
        s = line.strip()
        if not s:
            continue
        if (current is not None or out) and _HEAD_LINE_END.match(s) and not _OWNER_LINE.match(line):
            break  # 抄送:… / 印发:… after the tasks: the document's end matter, no task's line
        if _TASK_MARKER.match(line) and not _is_short_heading(s):
            close()
            current = (start, end)
        elif _SECTION.match(line) or _TASK_MARKER.match(line):
            close()
            current = None
            section += 1
            out.append(_make(text, start, end, section, is_item=False, task=True))
            section_open = True
            continue
        elif (
            current is not None
            and (
                _OWNER_LINE.match(line)
                or (s[:1] in "(（" and _line_has_owner(s))
                # a sentence runs on over lines; after a whole label line (完成时限:…) comes the signature
                or not (
                    _ends_sentence(text[current[0] : current[1]])
                    or (_OWNER_LINE.match(text, last_line) and text[current[1] - 1] not in "、,，")
                )
            )
        ):
            current = (current[0], end)
        elif current is None and _OWNER_LINE.match(line) and out and not out[-1].is_item and section_open:
            # 一、加快建设公共停车场。\n责任单位:…: a numbered heading with its own owners is a task
            heading = out.pop()
            current = (heading.span[0], end)
        else:
            close()
            current = (start, end) if _line_has_owner(s) else None
        section_open = False
        last_line = start
    close()
    return out


def _is_short_heading(s: str) -> bool:
    return len(s) <= 24 and not re.search(r"[,，。;；:：]", s) and not _line_has_owner(s)


def _ends_sentence(s: str) -> bool:
    s = s.rstrip()
    return s.endswith(("。", ")", "）", ";", "；", "!", "?"))


def _line_has_owner(s: str) -> bool:
    return bool(
        re.search(r"(?:牵头|主办|主责|负责|责任|配合|协办)(?:单位|部门)[::]|牵头[,，;；)）]|负责[)）]", s)
    )


def _table_tasks(text: str, body_start: int) -> list[Directive]:
    """Read a task table pasted as text: a header row and rows split by tabs or |."""
    lines = []
    pos = 0
    for line in text.splitlines(keepends=True):
        lines.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    header = None
    for i, (_start, line) in enumerate(lines):
        # The header row may sit before the body (segmentation can count it as the title block).
        if "\t" not in line and "|" not in line:
            continue
        sep = "\t" if "\t" in line else "|"
        cells = [c.strip() for c in line.split(sep)]
        if sum(1 for c in cells if _TABLE_HEAD.search(c)) >= 2:
            header = (i, sep, cells)
            break
    if header is None:
        return []
    i0, sep, cells = header
    task_col = next((k for k, c in enumerate(cells) if re.search("任务|内容|事项", c)), None)
    if task_col is None:
        return []
    out = []
    for start, line in lines[i0 + 1 :]:
        if sep not in line:
            continue
        offset = 0
        parts = []
        for cell in line.split(sep):
            parts.append((start + offset, start + offset + len(cell)))
            offset += len(cell) + len(sep)
        if task_col >= len(parts):
            continue
        a, b = parts[task_col]
        if not _has_content(text[a:b]):
            continue
        # The whole row is the item's source, so its owners and time limit travel with it.
        row_start, row_end = _trim(text, start, start + len(line))
        out.append(Directive(span=(row_start, row_end), text=text[row_start:row_end], passage=0, task=True))
    return out
