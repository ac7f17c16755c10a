"""How far a ledger (台账) row says its task has got: 办理状态:已办结, 进展情况:推进中, 进度:80%.

Only labelled fields are read: those of an item's bracket of fields (…(牵头单位:X;办理状态:已完成),
which is how the readers write a table's row) and field lines of their own (完成情况:已办结); the
label must name a status column (办理状态, 完成情况, 进展情况, 落实情况, 工作进展, 进度 …), and the
value must start with a status (已完成, 推进中, 未启动 …) or be a percentage. A sentence that says
已完成 is no status column, nor is a remark (备注); a report of work (已完成改造18公里), a value
nobody can read as a status, or two columns that disagree give no state.

Plain Python, no Django.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from importer.types import DONE, IN_PROGRESS, NOT_STARTED, RecordedState

_LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()、]{1,20}(?=:)")
_PREFIX = "(?:目前|当前|工作|任务|项目|事项)"
_STATUS_LABEL = re.compile(
    rf"(?:{_PREFIX}?(?:办理|完成|进展|落实|推进|整改|办结|实施|执行|工作)(?:状态|情况|进展|进度|结果)"
    rf"|{_PREFIX}?(?:状态|进展|进度)(?:情况)?|(?:完成|执行)率|是否已?(?:完成|办结|完结|销号))"
    # 进展情况及下步打算, 完成情况(截至6月底): a status column with more words after it
    r"(?:[及和与、].{0,12}|\(.{0,12}\))?"
)
# A column of the day the work was finished, not of when it is due.
FINISHED_LABEL = re.compile(r"实际(?:完成|办结)(?:时间|日期)")

_SOON = "(?:已经?|均已|现已|目前已|已全部|全部|已全面|全面|已按期|按期|已按时|按时|已如期|如期|已提前|提前)"
_DONE = re.compile(
    rf"{_SOON}?(?:完成|办结|结办|完结|办完|销号|结项|结案|竣工|完工)了?"
    r"|已经?(?:全部|全面|按期|如期)?(?:落实|建成|整改到位|到位|投入使用|投用)"
    r"|已?(?:办理|整改|处理)完毕"
    # 已于2024年3月20日完成: the day it was finished, when it names a whole date
    r"|已于(?P<day>[0-9]{4}[年.\-/][0-9]{1,2}[月.\-/][0-9]{1,2}日?)(?:全部|全面)?(?:完成|办结|完工|竣工)"
)
_ONGOING = "(?:正在|目前正在|持续|有序|稳步|积极|加快|加紧|全力|正常|按计划|按进度|按序时(?:进度)?|序时|仍在)"
_IN_PROGRESS = re.compile(
    rf"{_ONGOING}?(?:推进|进行|办理|实施|建设|落实|整改|开展|施工|推动)中"
    rf"|{_ONGOING}(?:推进|进行|办理|实施|建设|落实|整改|开展|施工|推动)"
    r"|推进|在建|在办|已(?:启动|开工|动工|开展)|(?:部分|基本|大部分|大部)完成"
)
_NOT_STARTED = re.compile(
    r"(?:目前|当前)?(?:尚|暂|还|仍)?未(?:启动|开展|开始|实施|开工|动工|推进|办理)|待(?:启动|开展|实施|开工|办理)"
)
_PERCENT = r"(?P<pct>[0-9]{1,3}(?:\.[0-9]+)?)%"
# 80%, 进度80%, 完成65%, 已完成80%: a percentage as the whole value
_PERCENT_ONLY = re.compile(rf"(?:形象进度|完成进度|进度|完成率|已完成|完成)?(?:约|达到?|为)?{_PERCENT}")
# after 推进中: ,进度80% / (完成30%) / 80%
_PERCENT_AFTER = re.compile(
    rf"[,;:(\s]*(?:目前|当前)?(?:形象进度|完成进度|进度|完成率|已完成|完成)?(?:约|达到?|为)?{_PERCENT}\)?"
)
_DATE = re.compile(r"(?P<y>[0-9]{4})[年.\-/](?P<m>[0-9]{1,2})[月.\-/](?P<d>[0-9]{1,2})日?")
_YES = {"是", "已", "已完成", "已办结"}


def ledger_fields(text: str) -> list[tuple[str, str]]:
    """Return the labelled fields (label, value) of an item's text, in order.

    Fields are read in runs: one starts right after an opening bracket or at the start of a line,
    and goes on after each ";" (outside the value's own brackets); a value ends at that ";", at the
    bracket that closes the run, or at the line's end.
    """
    text = unicodedata.normalize("NFKC", text)
    if ":" not in text:
        return []
    fields: list[tuple[str, str]] = []
    seen: set[int] = set()
    starts = [0, *(m.end() for m in re.finditer(r"[(\n]", text))]
    for pos in starts:
        while pos not in seen:
            seen.add(pos)
            m = _LABEL.match(text, pos)
            if not m:
                break
            end = _value_end(text, m.end() + 1)
            fields.append((m.group(), text[m.end() + 1 : end].strip()))
            if end >= len(text) or text[end] != ";":
                break
            pos = end + 1
    return fields


def _value_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        elif c == "\n" or (c == ";" and depth == 0):
            return i
    return len(text)


def recorded_state(text: str) -> RecordedState | None:
    """Return the state an item's ledger fields record, or None when they record none that is clear."""
    if ":" not in text and "：" not in text:
        return None
    fields = ledger_fields(text)
    read = []  # (label, value, kind, progress, from words)
    finished = None
    for label, value in fields:
        if FINISHED_LABEL.fullmatch(label):
            finished = finished or _date(value)
        elif _STATUS_LABEL.fullmatch(label):
            found = _status(label, value)
            if found is not None:
                read.append((label, value, *found))
    if not read:
        return None
    worded = [r for r in read if r[4]]
    if len({r[2] for r in worded}) > 1:
        return None  # 办理状态:已完成 beside 进展情况:未启动: nobody can tell which is right
    if worded:
        label, value, kind, progress, _, day = worded[0]
        if kind == IN_PROGRESS and progress is None:
            progress = next((r[3] for r in read if not r[4] and r[2] == IN_PROGRESS), None)
    else:
        if len({(r[2], r[3]) for r in read}) > 1:
            return None
        label, value, kind, progress, _, day = read[0]
    if kind != DONE:
        return RecordedState(kind=kind, label=label, text=value, progress=progress)
    return RecordedState(kind=kind, label=label, text=value, finished=day or finished)


def _status(label: str, value: str):
    """Read one status cell: (kind, progress, whether words said it, finished day) or None."""
    value = value.strip().rstrip("。.,;")
    value = re.sub(r"\s+", "", value)
    if not value:
        return None
    if label.startswith("是否"):
        return (DONE, None, True, None) if value in _YES else None
    m = _PERCENT_ONLY.fullmatch(value)
    if m:
        return _by_percent(m["pct"], worded=False)
    for pattern, kind in ((_NOT_STARTED, NOT_STARTED), (_DONE, DONE), (_IN_PROGRESS, IN_PROGRESS)):
        m = pattern.match(value)
        if not m:
            continue
        rest = value[m.end() :]
        after = _PERCENT_AFTER.match(rest)
        if after and kind != NOT_STARTED:
            # 已完成80% is work four fifths done; 推进中,进度80% its progress
            found = _by_percent(after["pct"], worded=True)
            if found is None or (kind == IN_PROGRESS and found[0] == DONE):
                return (kind, None, True, None) if kind == IN_PROGRESS else None
            return found
        if rest and rest[0] not in ",;:(":
            return None  # 已完成改造18公里: a report of work, not a status
        day = _date(m.group("day")) if kind == DONE and m.groupdict().get("day") else None
        return (kind, None, True, day)
    return None


def _by_percent(number: str, *, worded: bool):
    pct = float(number)
    if pct > 100:
        return None
    if pct == 100:
        return (DONE, None, worded, None)
    if pct == 0:
        return (NOT_STARTED, None, worded, None)
    return (IN_PROGRESS, int(pct), worded, None)


def _date(value: str) -> datetime.date | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    try:
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
