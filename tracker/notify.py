"""Mail to a department's people when the office assigns (交办) or chases (催办) its work.

Off unless settings.DUBAN_MAIL_NOTICES is on (it is when DJANGO_EMAIL_HOST names the intranet's
mail server). Mail goes after the change commits, to the department's active 联络员 who have an
address (they do its work; the office and managers see the item in the app); a mail server that fails is logged and never undoes the change that was made.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse

from .models import ActionItem, Assignment, User, today
from .permissions import STAFF

logger = logging.getLogger(__name__)

SUBJECT_TEXT = 40  # characters of an item's text in a subject line


def enabled() -> bool:
    """Whether notices go out by mail at all."""
    return bool(getattr(settings, "DUBAN_MAIL_NOTICES", False))


def reminded(assignments, note: str = "") -> int:
    """Mail each chased department the item, its deadline, its state and the office's words.

    One message an assignment, read together (the admin's bulk 催办 chases many at once). Returns
    the number of messages queued (0 when mail is off or nobody there has an address).
    """
    if not enabled():
        return 0
    chased = list(
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .select_related("department", "item__meeting")
        .defer("item__meeting__text")
        .order_by("pk")
    )
    addresses = _addresses({a.department_id for a in chased})
    words = note.strip() or "请抓紧办理，按时反馈进展。"
    messages = []
    for assignment in chased:
        to = addresses.get(assignment.department_id)
        if not to:
            continue
        item = assignment.item
        days = assignment.days_left()
        if days is None:
            timing = ""
        elif days < 0:
            timing = f"（已逾期 {-days} 天）"
        else:
            timing = f"（还有 {days} 天）"
        lines = [
            f"{assignment.department.name}：",
            "",
            f"{settings.DUBAN_NOTICE_ISSUER}对你单位承办的以下事项催办，请抓紧办理并及时反馈进展。",
            "",
            f"事项：{item.text}",
            *_source_lines(item),
            f"承办角色：{assignment.get_role_display()}单位",
            f"办理期限：{_date(assignment.due_date)}{timing}",
            f"当前状态：{assignment.get_status_display()}，进度 {assignment.progress}%",
            f"催办意见：{words}",
            "",
            _link_line(item),
        ]
        subject = f"【催办】{assignment.department.name}：{_short(item.text)}"
        messages.append(_message(subject, lines, to))
    _send_after_commit(messages)
    return len(messages)


def assigned(items) -> int:
    """Mail each department its newly assigned (交办) items: one message a department, every item listed.

    Returns the number of messages queued.
    """
    if not enabled():
        return 0
    ids = [item.pk for item in items]
    if not ids:
        return 0
    assignments = (
        Assignment.objects.filter(item_id__in=ids, live=True, item__state=ActionItem.State.ACTIVE)
        .select_related("department", "item__meeting")
        .defer("item__meeting__text")
        .order_by("department__name", "department_id", "item__meeting__date", "item_id")
    )
    per_department: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        per_department[assignment.department_id].append(assignment)
    addresses = _addresses(per_department)
    messages = []
    for department_id, mine in per_department.items():
        to = addresses.get(department_id)
        if not to:
            continue
        name = mine[0].department.name
        lines = [
            f"{name}：",
            "",
            f"{settings.DUBAN_NOTICE_ISSUER}向你单位交办以下 {len(mine)} 项督办事项，请及时签收并按期办理。",
        ]
        for number, assignment in enumerate(mine, 1):
            item = assignment.item
            lines += [
                "",
                f"{number}. {item.text}",
                *(f"   {line}" for line in _source_lines(item)),
                f"   承办角色：{assignment.get_role_display()}单位；办理期限：{_date(assignment.due_date)}",
                f"   {_link_line(item)}",
            ]
        subject = (
            f"【交办】{name}：{_short(mine[0].item.text)}"
            if len(mine) == 1
            else f"【交办】{name}：新交办事项 {len(mine)} 项"
        )
        messages.append(_message(subject, lines, to))
    _send_after_commit(messages)
    return len(messages)


def _addresses(department_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    users = (
        User.objects.filter(department_id__in=list(department_ids), is_active=True, groups__name=STAFF)
        .exclude(email="")
        .order_by("username")
        .values_list("department_id", "email")
    )
    for department_id, email in users:
        if email not in found[department_id]:
            found[department_id].append(email)
    return found


def _source_lines(item) -> list[str]:
    meeting = item.meeting
    when = f"（{_date(meeting.date)}）" if meeting.date else ""
    return [f"来源：{meeting.title}{when}第 {item.position} 项"]


def _link_line(item) -> str:
    base = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    if not base:
        return "请登录督办系统查看和办理。"
    return f"查看和办理：{base}{reverse('tracker:item_detail', args=[item.pk])}"


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "未定"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUBJECT_TEXT else text[: SUBJECT_TEXT - 1] + "…"


def _message(subject: str, lines: list[str], to: list[str]) -> EmailMessage:
    body = "\n".join(lines + ["", settings.DUBAN_NOTICE_ISSUER, _date(today())])
    return EmailMessage(subject=subject, body=body, to=to)


def _send_after_commit(messages: list[EmailMessage]) -> None:
    if messages:
        transaction.on_commit(partial(_send, messages))


def _send(messages: list[EmailMessage]) -> None:
    try:
        mailers.default.send_messages(messages)
    except Exception:  # the change is made and journaled; a mail server's trouble must not hide that
        logger.exception("督办通知邮件发送失败（%d 封）", len(messages))
