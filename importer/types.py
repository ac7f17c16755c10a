"""Frozen dataclasses the parser produces: plain Python, no Django."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Meeting kinds, as in the extraction JSON and tracker.models.Meeting.Kind.
PLENARY, EXECUTIVE, SPECIAL, OTHER = "plenary", "executive", "special", "other"

# Deadline kinds, as in tracker.models.ActionItem.DeadlineKind.
DATE, NONE, RECURRING, ONGOING, VAGUE = "date", "none", "recurring", "ongoing", "vague"

LEAD, SUPPORT = "lead", "support"

# How far a ledger (台账) row says its task has got, as tracker.models.ActionItem.Recorded.
DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"


# Bullets that open a paragraph or an item (●市城管局要…, ■市政府第3次常务会议…): layout, not words.
# Not ○, which is also a zero (二○二四年). ▶ ► ➤ are the bullets of pages set for phones.
BULLETS = "■◆●▲△★☆◇◎•▪※▶►▷➤➢"


@dataclass(frozen=True)
class Deadline:
    """When an item is due: a date, or the kind of timing the text gives instead."""

    kind: str = NONE
    date: datetime.date | None = None
    # the words the deadline came from, exactly as in the item text (or in the time-limit label
    # after the last item of its decision, which holds for every item of it)
    text: str | None = None


@dataclass(frozen=True)
class Target:
    """A number a directive must reach: PM2.5年均浓度 <= 45 微克/立方米."""

    metric: str
    op: str  # one of "<=", ">=", "<", ">", "="
    value: float
    unit: str = ""
    stretch: float | None = None  # 力争7家 -> 7


@dataclass(frozen=True)
class DepartmentRef:
    """A department or group the text names as responsible for an item."""

    mention: str  # as written in the text (after NFKC)
    name: str | None  # canonical name in the directory, None when unknown
    role: str = LEAD  # LEAD or SUPPORT
    is_group: bool = False  # 各级各部门 / 相关部门 / 乡镇(街道): a person resolves it later
    inherited: bool = False  # taken from an earlier sentence of the same passage


@dataclass(frozen=True)
class RecordedState:
    """What a ledger's status column (办理状态, 完成情况, 进度 …) records for its row's task."""

    kind: str  # DONE / IN_PROGRESS / NOT_STARTED
    label: str  # the column's label, as in the item text (办理状态)
    text: str  # the cell's value, exactly as in the item text (已办结)
    progress: int | None = None  # 进度80% -> 80, only for work in progress
    finished: datetime.date | None = None  # the day the row says the work was finished, if it names one

    @property
    def source(self) -> str:
        """The field as the item text holds it: 办理状态:已办结."""
        return f"{self.label}:{self.text}"


@dataclass(frozen=True)
class ParsedItem:
    """One directive of a meeting, with the exact span of meeting text it came from."""

    position: int  # 1-based, in order within the meeting
    text: str  # == meeting.text[span[0]:span[1]]
    span: tuple[int, int]
    departments: tuple[DepartmentRef, ...] = ()
    deadline: Deadline = field(default_factory=Deadline)
    targets: tuple[Target, ...] = ()
    recorded: RecordedState | None = None  # a ledger row's status, when its row records one


@dataclass(frozen=True)
class ParsedMeeting:
    """A meeting found in a document, with its normalised text and its items."""

    title: str
    kind: str  # PLENARY / EXECUTIVE / SPECIAL / OTHER
    session: int | None  # 届
    number: int | None  # 第N次
    date: datetime.date | None
    text: str  # the meeting's whole entry, normalised (page breaks joined); spans index into it
    source: str  # file name (or "pasted text")
    items: tuple[ParsedItem, ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    """Everything parsed out of one input document."""

    source: str
    meetings: tuple[ParsedMeeting, ...] = ()
    unresolved_mentions: tuple[str, ...] = ()  # department mentions not found in the directory
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectoryEntry:
    """A department (or group) the linker can name, with every spelling the texts use."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "city"  # tracker.models.Department.Kind value
    group: str = ""  # "" for a real department; "all" / "related" / "townships" for a group
