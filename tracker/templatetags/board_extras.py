"""Template helpers of the item page and the dashboard: source excerpts and the trend chart."""

import math

from django import template

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
