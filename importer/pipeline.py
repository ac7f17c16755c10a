"""Parse a meeting text end to end: segment, extract, link departments, deadlines, targets.

Plain Python, no Django. ``to_json`` gives the document of shared/eval/extraction-format.md.
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from importer.deadlines import resolve_deadline
from importer.departments import Directory, link, shared_labels
from importer.extract import extract
from importer.ledger import recorded_state
from importer.read import Source, page_date, source_of
from importer.segment import TASKS, MeetingSegment, segment
from importer.targets import extract_targets
from importer.types import DATE, DirectoryEntry, ParsedDocument, ParsedItem, ParsedMeeting, RecordedState

logger = logging.getLogger(__name__)

_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[是要]|[(][一二三四五六七八九十0-9]{1,3}[)]|[0-9]{1,3}[.、](?![0-9])|[①-⑳])"
)
# A ledger's columns of what has been done (进展情况:已完成改造18公里;办理状态:办理中), as a task line
# carries them in its bracket: a report, not the task. Its numbers and dates are no target or deadline.
_REPORT_FIELD = re.compile(
    r"(?<=[(;,])(?:(?:工作|目前|当前)?(?:进展|办理|落实|推进|完成|办结|整改)?(?:情况|进度|状态|进展)"
    r"|备注|存在问题|问题及建议|实际(?:完成|办结)(?:时间|日期)):[^;)]*"
)


def _without_reports(text: str) -> str:
    """Blank the ledger report fields of an item's text, keeping its length (positions stay valid)."""
    if ":" not in text:
        return text
    return _REPORT_FIELD.sub(lambda m: "□" * len(m.group()), text)


def parse_source(
    source: Source, year: int | None = None, directory: Iterable[DirectoryEntry] = (), *, jobs: int = 1
) -> ParsedDocument:
    """Parse a document as `read` returned it (its text already normalised, its publication date kept)."""
    return parse_text(
        source.text,
        source=source.name,
        year=year,
        directory=directory,
        normalized=True,
        published=source.published,
        jobs=jobs,
    )


def parse_text(
    text: str,
    *,
    source: str,
    year: int | None = None,
    directory: Iterable[DirectoryEntry] = (),
    normalized: bool = False,
    published: datetime.date | None = None,
    jobs: int = 1,
) -> ParsedDocument:
    """Return the meetings and draft items found in one document's text.

    Pass `normalized=True` for text that already went through `read.normalize` (as a `read.Source`
    holds it) to skip doing that work twice, with the `published` date the Source kept:
    normalising drops a web page's 发布时间 line, which dates a report of 4月17日 in its year.

    With `jobs` > 1 a long text's meetings are parsed in that many processes (forked, so only from
    a single-threaded program such as the import command); the result is the same as with one.
    """
    text = text or ""
    if normalized:
        # A date line that normalising keeps (2024年5月20日 来源:…) still dates the page.
        published = published or page_date(text)
    else:
        read = source_of(source, text)
        text, published = read.text, published or read.published
    dirx = directory if isinstance(directory, Directory) else Directory(directory)
    segments = segment(text, year, default_year=published.year if published else None, published=published)
    if jobs > 1 and len(text) >= PARALLEL_MIN_CHARS and len(segments) > 1 and _may_fork():
        parsed = _parse_in_processes(segments, dirx, source, jobs)
    else:
        parsed = [_parse_segment(seg, dirx, source) for seg in segments]
    meetings = []
    unresolved: dict[str, None] = {}
    warnings: list[str] = []
    for seg, (meeting, mentions) in zip(segments, parsed, strict=True):
        unresolved.update(dict.fromkeys(mentions))
        if seg.date is None:
            warnings.append(f"会议“{seg.title}”没有找到日期。")
        meetings.append(meeting)
    if not meetings:
        warnings.append("没有找到会议。")
    return ParsedDocument(
        source=source,
        meetings=tuple(meetings),
        unresolved_mentions=tuple(unresolved),
        warnings=tuple(warnings),
    )


def _parse_segment(seg: MeetingSegment, dirx: Directory, source: str) -> tuple[ParsedMeeting, list[str]]:
    """Parse one meeting's slice: its items, and the department mentions the directory does not know."""
    directives = extract(seg.text, seg.body_start, "tasks" if seg.layout == TASKS else "prose")
    refs = link(directives, dirx)
    shared = shared_labels(directives, dirx)
    items = []
    unresolved = []
    year = seg.date.year if seg.date else seg.year
    for d, deps, labels in zip(directives, refs, shared, strict=True):
        if not d.is_item:
            continue
        reported_blank = _without_reports(d.text)
        # 1.全年… reads as 全年… opening the phrase
        clause = _MARKER.sub("", reported_blank, count=1)
        deadline = resolve_deadline(clause, seg.date, year)
        if labels and deadline.kind != DATE:
            # The time limit of a decision's labels holds for each of its items without a date.
            limit = resolve_deadline(labels, seg.date, year)
            deadline = limit if limit.kind == DATE else deadline
        items.append(
            ParsedItem(
                position=len(items) + 1,
                text=d.text,
                span=d.span,
                departments=deps,
                deadline=deadline,
                targets=extract_targets(reported_blank),
                recorded=recorded_state(d.text),
            )
        )
        unresolved.extend(r.mention for r in deps if r.name is None and not r.inherited)
    meeting = ParsedMeeting(
        title=seg.title,
        kind=seg.kind,
        session=seg.session,
        number=seg.number,
        date=seg.date,
        text=seg.text,
        source=source,
        items=tuple(items),
    )
    return meeting, unresolved


# Shorter texts (400,000 characters is over a megabyte of Chinese) parse in about a second or less:
# starting processes would not pay.
PARALLEL_MIN_CHARS = 400_000


def _may_fork() -> bool:
    # A forked child gets only the forking thread: were another thread holding a lock (a logger's,
    # say), the child could wait on it for ever. The command line has one thread; a server may not.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _parse_in_processes(segments, dirx: Directory, source: str, jobs: int):
    """Parse the meetings in `jobs` forked processes, in runs of about equal length, in order."""
    total = sum(len(s.text) for s in segments)
    per_run = max(1, total // (jobs * 4))  # several runs a process, so one slow run does not hold up the end
    runs, run, size = [], [], 0
    for seg in segments:
        run.append(seg)
        size += len(seg.text)
        if size >= per_run:
            runs.append(run)
            run, size = [], 0
    if run:
        runs.append(run)
    context = multiprocessing.get_context("fork")
    try:
        # Forked, the children share the directory as it is in memory: nothing to pickle but the text.
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_adopt, initargs=(dirx, source)
        ) as pool:
            return [parsed for done in pool.map(_parse_run, runs) for parsed in done]
    except BrokenProcessPool:
        # A child that died (killed for memory, say) loses no work: this process parses it all.
        logger.warning("解析进程意外退出，改为单进程解析。")
        return [_parse_segment(seg, dirx, source) for seg in segments]


_worker: tuple[Directory, str] | None = None


def _adopt(dirx: Directory, source: str) -> None:
    global _worker
    _worker = (dirx, source)


def _parse_run(run: list[MeetingSegment]) -> list[tuple[ParsedMeeting, list[str]]]:
    dirx, source = _worker
    return [_parse_segment(seg, dirx, source) for seg in run]


def to_json(docs: list[ParsedDocument]) -> dict:
    """Return the extraction JSON of extraction-format.md for one or more parsed documents."""
    sources = [d.source for d in docs]
    return {
        "source": sources[0] if len(sources) == 1 else ", ".join(sources),
        "meetings": [_meeting_json(m) for d in docs for m in d.meetings],
    }


def _meeting_json(m: ParsedMeeting) -> dict:
    return {
        "title": m.title,
        "kind": m.kind,
        "session": m.session,
        "number": m.number,
        "date": m.date.isoformat() if m.date else None,
        "source": m.source,
        "items": [_item_json(i) for i in m.items],
    }


def _item_json(i: ParsedItem) -> dict:
    dl = i.deadline
    return {
        "text": i.text,
        "span": list(i.span),
        "departments": [
            {
                "name": r.name,
                "mention": r.mention,
                "role": r.role,
                "is_group": r.is_group,
                "inherited": r.inherited,
            }
            for r in i.departments
        ],
        "deadline": dl.date.isoformat() if dl.kind == DATE and dl.date else None,
        "deadline_text": dl.text,
        "deadline_kind": dl.kind,
        "targets": [
            {
                "metric": t.metric,
                "op": t.op,
                "value": _number(t.value),
                "unit": t.unit,
                "stretch": _number(t.stretch),
            }
            for t in i.targets
        ],
        # an extra key (extraction-format.md allows them): what the item's ledger row records
        "recorded_state": _recorded_json(i.recorded),
    }


def _recorded_json(r: RecordedState | None) -> dict | None:
    if r is None:
        return None
    return {
        "kind": r.kind,
        "progress": r.progress,
        "finished": r.finished.isoformat() if r.finished else None,
        "label": r.label,
        "text": r.text,
    }


def _number(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v
