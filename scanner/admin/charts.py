"""Small server-side SVG charts for the dashboard: no JavaScript library, no CDN.

Every label goes through format_html, so an instance called ``<script>`` is text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

TAG_COLOURS = {
    "dub": "#2e7d32",
    "semi-dub": "#f9a825",
    "wrong-dub": "#c62828",
    "none": "#9e9e9e",
    "undecided": "#cfd8dc",
}
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: Sequence[tuple[str, int]]  # (series, count), drawn in this order


def stacked_bars(rows: Sequence[StackedRow], *, width: int = 640, title: str) -> SafeString:
    """One horizontal bar per row, split by series; each bar is 100 % of its row."""
    height = len(rows) * (BAR_HEIGHT + GAP) + 30
    bar_width = width - LABEL_WIDTH - 60
    parts: list[SafeString] = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        total = sum(count for _, count in row.segments)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="chart-label">{}</text>',
                y + BAR_HEIGHT - 6,
                _shorten(row.label),
            )
        )
        x = float(LABEL_WIDTH)
        for series, count in row.segments:
            if not count:
                continue
            w = bar_width * count / total
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'data-series="{}"><title>{}: {} {}</title></rect>',
                    _n(x),
                    y,
                    _n(w),
                    BAR_HEIGHT,
                    TAG_COLOURS.get(series, "#607d8b"),
                    series,
                    row.label,
                    count,
                    series,
                )
            )
            x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                LABEL_WIDTH + bar_width + 6,
                y + BAR_HEIGHT - 6,
                total,
            )
        )
    series_names = list(dict.fromkeys(s for row in rows for s, _ in row.segments))
    parts.append(_legend(series_names, y=height - 12))
    return _svg(width, height, title, parts)


@dataclass(frozen=True)
class HistoryPoint:
    label: str  # e.g. "#12 tv"
    duration: float
    items: int
    changes: int
    failed: bool


def history_bars(points: Sequence[HistoryPoint], *, width: int = 640, title: str) -> SafeString:
    """One column per run: its height is the duration; items and changes in the tooltip,
    changes also as a dark cap on the column."""
    height, top, bottom = 180, 16, 24
    plot = height - top - bottom
    longest = max((p.duration for p in points), default=0.0) or 1.0
    step = (width - 50) / max(len(points), 1)
    column = max(min(step * 0.7, 40), 2)
    most_changes = max((p.changes for p in points), default=0) or 1
    parts: list[SafeString] = [
        format_html('<text x="0" y="{}" class="chart-label">{}s</text>', top, _number(longest)),
        format_html('<text x="0" y="{}" class="chart-label">0s</text>', top + plot),
    ]
    for index, point in enumerate(points):
        x = 50 + index * step
        h = max(plot * point.duration / longest, 1)
        colour = "#c62828" if point.failed else "#417690"
        tip = f"{point.label}: {point.duration:.1f}s, {point.items} items, {point.changes} changes"
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'class="history-run"><title>{}</title></rect>',
                _n(x),
                _n(top + plot - h),
                _n(column),
                _n(h),
                colour,
                tip,
            )
        )
        if point.changes:
            cap = max(min(h, 3 + 9 * point.changes / most_changes), 2)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" '
                    'fill="#1b3a4b"><title>{}</title></rect>',
                    _n(x),
                    _n(top + plot - h),
                    _n(column),
                    _n(cap),
                    tip,
                )
            )
    if not points:
        parts.append(format_html('<text x="50" y="{}">No finished scans yet.</text>', top + 40))
    return _svg(width, height, title, parts)


def _legend(series: Sequence[str], *, y: int) -> SafeString:
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" class="chart-legend">{}</text>',
        (
            (
                LABEL_WIDTH + i * 95,
                y - 9,
                TAG_COLOURS.get(name, "#607d8b"),
                LABEL_WIDTH + i * 95 + 14,
                y,
                name,
            )
            for i, name in enumerate(series)
        ),
    )


def _svg(width: int, height: int, title: str, parts: Sequence[SafeString]) -> SafeString:
    body = mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="taggarr-chart" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}"><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        title,
        body,
    )


def _shorten(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _n(value: float) -> str:
    """A coordinate: format_html escapes its arguments, so numbers go in as text."""
    return f"{value:.1f}"


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
