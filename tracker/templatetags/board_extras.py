"""Template helpers of the item page and the dashboard: source excerpts and the trend chart."""

import math
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()


@register.filter
def tail(text, length=120):
    """Keep the last `length` characters of a text, marking the cut with an ellipsis."""
    text = str(text or "")
    length = int(length)
    return text if len(text) <= length else "…" + text[-length:]


@register.filter
def head(text, length=120):
    """Keep the first `length` characters of a text, marking the cut with an ellipsis."""
    text = str(text or "")
    length = int(length)
    return text if len(text) <= length else text[:length] + "…"


def nice_step(raw: float) -> int:
    """Round a tick step up to 1, 2 or 5 times a power of ten (at least 1)."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


@register.simple_tag
def trend_chart(months, width=720, height=260):
    """Lay out an inline SVG of monthly bars (opened, closed) and the overdue line.

    `months` is a list of dicts with label, opened, closed and overdue (None for months to come).
    Returns coordinates only; the template draws them, so the chart needs no script.
    """
    left, right, top, bottom = 44, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1] + [m["opened"] for m in months] + [m["closed"] for m in months])
    peak = max([peak] + [m["overdue"] for m in months if m["overdue"] is not None])
    step = nice_step(peak / 4)
    scale_top = step * math.ceil(peak / step)

    def y(value):
        return round(top + plot_h - value / scale_top * plot_h, 1)

    slot = plot_w / max(len(months), 1)
    bar = round(slot * 0.3, 1)
    columns, points = [], []
    for i, m in enumerate(months):
        x0 = left + i * slot
        centre = round(x0 + slot / 2, 1)
        columns.append(
            {
                **m,
                "label_x": centre,
                "opened_x": round(centre - bar - 1, 1),
                "opened_y": y(m["opened"]),
                "opened_h": round(top + plot_h - y(m["opened"]), 1),
                "closed_x": round(centre + 1, 1),
                "closed_y": y(m["closed"]),
                "closed_h": round(top + plot_h - y(m["closed"]), 1),
            }
        )
        if m["overdue"] is not None:
            points.append({"x": centre, "y": y(m["overdue"]), "label": m["label"], "value": m["overdue"]})
    ticks = [{"value": v, "y": y(v)} for v in range(0, scale_top + 1, step)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "baseline": top + plot_h,
        "label_y": height - 10,
        "bar": bar,
        "columns": columns,
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "ticks": ticks,
    }


@register.filter
def filename(path):
    """Return the last part of a stored file's name."""
    return str(path or "").rsplit("/", 1)[-1]


@register.filter
def light_badge(code):
    """Show a light by icon and text (tracker/_light.html), rendered once per light per process."""
    from tracker.tables import light_badge as badge

    return badge(code)


@register.simple_tag(takes_context=True)
def board_cards(context, cards):
    """Write a board column's cards (<li>) in Python: a template per card cost more than the rest of the board."""
    from tracker.tables import light_badge as badge

    if not cards:
        return mark_safe('<li class="board-empty">暂无事项</li>')
    here = context["request"].get_full_path()
    next_query = "?next=" + quote(here, safe="/")  # as the urlencode filter does
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )
    out = []
    for card in cards:
        text = card.item.text
        due = f"到期 {card.due_date:%Y-%m-%d}" if card.due_date else "无时限"
        progress = ""
        if card.status in ("in_progress", "review"):
            progress = format_html(
                '<div class="progress-cell"><progress max="100" value="{}" aria-hidden="true"></progress>'
                '<span class="num">{}%</span></div>',
                card.progress,
                card.progress,
            )
        actions = ""
        if card.board_actions:
            buttons = []
            for action in card.board_actions:
                url = reverse("tracker:assignment_update", args=[card.pk, action["name"]])
                if action["needs_form"]:
                    buttons.append(
                        format_html(
                            '<a class="btn btn-small" href="{}" hx-get="{}" hx-target="#dialog-body">{}</a>',
                            url + next_query,
                            url + next_query,
                            action["label"],
                        )
                    )
                else:
                    buttons.append(
                        format_html(
                            '<form method="post" action="{}" hx-post="{}" hx-swap="none">{}'
                            '<input type="hidden" name="next" value="{}">'
                            '<button type="submit" class="btn btn-small btn-primary">{}</button></form>',
                            url,
                            url,
                            csrf,
                            here,
                            action["label"],
                        )
                    )
            actions = format_html('<div class="board-card-actions">{}</div>', mark_safe("".join(buttons)))
        out.append(
            format_html(
                '<li class="board-card" data-light="{}">'
                '<a class="board-card-title" href="{}" title="{}">{}</a>'
                '<p class="board-card-meta"><span>{}</span><span class="role role-{}">{}</span></p>'
                '<div class="board-card-foot"><span class="due">{}</span>{}</div>{}{}</li>',
                card.light_code,
                reverse("tracker:item_detail", args=[card.item_id]),
                text,
                Truncator(text).chars(70),
                card.department.name,
                card.role,
                card.get_role_display(),
                due,
                badge(card.light_code),
                progress,
                actions,
            )
        )
    return mark_safe("\n".join(out))
