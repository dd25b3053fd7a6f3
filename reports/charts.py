"""Server-rendered SVG charts: no JavaScript, print well, and readable by screen readers (a
title and a description on the <svg role="img">, and the same numbers in a table next to it).

Colours are dark enough for 3:1 contrast against white (WCAG 1.4.11) and every series also has
its name in the legend, so colour is never the only cue."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#1d4f91", "#b34700", "#2c6e2f", "#6b2c91", "#8a1538"]
FONT = 'font-family="system-ui, sans-serif"'


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step:
            return step
    return ((value // 10000) + 1) * 10000


def stacked_bars(*, chart_id: str, title: str, description: str, labels, series) -> str:
    """labels: x-axis labels (weeks); series: [(name, [values per label])]."""
    width, height = 720, 300
    left, right, top, bottom = 48, 16, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    top_value = _nice_max(max(totals, default=0))
    n = max(len(labels), 1)
    slot = plot_w / n
    bar = max(slot * 0.7, 2)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    # _nice_max returns a multiple of 5, so five equal steps are whole numbers.
    for i in range(6):
        value = top_value * i // 5
        y = top + plot_h - plot_h * i / 5
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" {FONT}>'
            f"{value}</text>"
        )
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for s, (name, values) in enumerate(series):
            h = plot_h * values[i] / top_value if top_value else 0
            if h:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(label)}: '
                    f"{escape(name)} {values[i]}</title></rect>"
                )
        if n <= 16 or i % 2 == 0:
            cx = left + slot * i + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11" {FONT}>{escape(label)}</text>'
            )
    x = left
    for s, (name, _values) in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{height - 26}" width="14" height="14" '
            f'fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 20}" y="{height - 14}" font-size="13" {FONT}>{escape(name)}</text>'
        )
        x += 28 + 8 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def rate_bars(*, chart_id: str, title: str, description: str, rates) -> str:
    """Horizontal bars, 0–100 %, with the numbers behind each rate as the bar's label."""
    width, row = 720, 36
    left, top = 150, 8
    height = top * 2 + row * max(len(rates), 1)
    plot_w = width - left - 190
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, rate in enumerate(rates):
        y = top + row * i
        parts.append(
            f'<text x="{left - 8}" y="{y + 22}" text-anchor="end" font-size="14" {FONT}>'
            f"{escape(rate.label)}</text>"
            f'<rect x="{left}" y="{y + 6}" width="{plot_w}" height="22" fill="#eee"/>'
        )
        if rate.rate:
            parts.append(
                f'<rect x="{left}" y="{y + 6}" width="{plot_w * rate.rate:.1f}" height="22" '
                f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{y + 22}" font-size="14" {FONT}>'
            f"{escape(rate.percent)} ({rate.numerator}/{rate.denominator})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
