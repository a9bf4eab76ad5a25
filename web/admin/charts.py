"""Small server-side SVG charts for the dashboard: no JavaScript library, no CDN.

Every label goes through format_html, so an instance called ``<script>`` is text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from babel import UnknownLocaleError
from babel.dates import format_skeleton
from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from scanner.engine.verdict import Tag
from scanner.reports.stats import UNDECIDED
from scanner.reports.tag_change_text import tag_word

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


def stacked_bars(
    rows: Sequence[StackedRow], *, width: int = 640, title: str, label_width: int = LABEL_WIDTH
) -> SafeString:
    """One horizontal bar per row, split by series; each bar is 100 % of its row. A
    narrow chart (a phone's) gives the labels less room and wraps the legend."""
    series_names = list(dict.fromkeys(s for row in rows for s, _ in row.segments))
    step = legend_step([series_name(name) for name in series_names])
    per_row = max(1, (width - 10) // step)
    legend_rows = max(1, math.ceil(len(series_names) / per_row))
    height = len(rows) * (BAR_HEIGHT + GAP) + 12 + 18 * legend_rows
    bar_width = width - label_width - 50
    parts: list[SafeString] = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        total = sum(count for _, count in row.segments)
        parts.append(
            format_html(
                '<text x="0" y="{}" class="chart-label">{}</text>',
                y + BAR_HEIGHT - 6,
                _shorten(row.label, 22 if label_width >= LABEL_WIDTH else 13),
            )
        )
        x = float(label_width)
        for series, count in row.segments:
            if not count:
                continue
            w = bar_width * count / total
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'data-series="{}"><title>{}</title></rect>',
                    _n(x),
                    y,
                    _n(w),
                    BAR_HEIGHT,
                    TAG_COLOURS.get(series, "#607d8b"),
                    series,
                    ngettext(
                        "%(row)s: %(series)s, %(count)d item",
                        "%(row)s: %(series)s, %(count)d items",
                        count,
                    )
                    % {"row": row.label, "series": series_name(series), "count": count},
                )
            )
            x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                label_width + bar_width + 6,
                y + BAR_HEIGHT - 6,
                total,
            )
        )
    legend_top = len(rows) * (BAR_HEIGHT + GAP) + 18
    parts.append(_legend(series_names, y=legend_top, per_row=per_row, step=step))
    return _svg(width, height, title, parts)


@dataclass(frozen=True)
class HistoryPoint:
    label: str  # e.g. "#12 tv"
    duration: float
    items: int
    changes: int
    failed: bool
    day: str = ""  # the run's day as the x axis names it (day_label), e.g. "Nov 21"


# The history chart's frame: the plot, with room for the axes' ticks and titles.
HISTORY_HEIGHT, HISTORY_TOP, HISTORY_BOTTOM, HISTORY_LEFT = 220, 16, 46, 64
MIN_DAY_LABEL_GAP = 56  # px between two day labels on the x axis


def history_bars(points: Sequence[HistoryPoint], *, width: int = 640, title: str) -> SafeString:
    """One column per run, oldest first: its height is the duration (y axis, with ticks),
    the run's day under it (x axis); items and changes in the tooltip, changes also as a
    dark cap on the column."""
    top, left = HISTORY_TOP, HISTORY_LEFT
    plot = HISTORY_HEIGHT - top - HISTORY_BOTTOM
    right = width - 10
    unit, unit_name = duration_unit(max((p.duration for p in points), default=0.0))
    ticks = nice_ticks(max((p.duration for p in points), default=0.0) / unit)
    ceiling = ticks[-1] * unit or 1.0
    step = (right - left) / max(len(points), 1)
    column = max(min(step * 0.7, 40), 2)
    most_changes = max((p.changes for p in points), default=0) or 1
    parts: list[SafeString] = []
    for tick in ticks:
        y = top + plot - plot * tick * unit / ceiling
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-grid"></line>'
                '<text x="{}" y="{}" class="chart-label chart-tick" text-anchor="end">{}</text>',
                left,
                _n(y),
                right,
                _n(y),
                left - 6,
                _n(y + 4),
                pgettext("a number and its unit on a chart axis", "%(number)s %(unit)s")
                % {"number": _number(tick), "unit": unit_name},
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"></line>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"></line>'
            '<text x="12" y="{}" class="chart-legend chart-axis-title" text-anchor="middle" '
            'transform="rotate(-90 12 {})">{}</text>'
            '<text x="{}" y="{}" class="chart-legend chart-axis-title" '
            'text-anchor="middle">{}</text>',
            left,
            top,
            left,
            top + plot,
            left,
            top + plot,
            right,
            top + plot,
            top + plot / 2,
            top + plot / 2,
            gettext("duration"),
            _n(width / 2),  # the chart's middle: a long title fits a phone's 360 px
            HISTORY_HEIGHT - 4,
            gettext("scans, oldest first, by day"),
        )
    )
    last_label_x: float = -MIN_DAY_LABEL_GAP
    previous_day = None
    for index, point in enumerate(points):
        x = left + 4 + index * step
        h = max(plot * point.duration / ceiling, 1)
        colour = "#c62828" if point.failed else "#417690"
        tip = gettext("%(run)s: %(seconds)s s, %(items)s, %(changes)s") % {
            "run": point.label,
            "seconds": number_format(point.duration, 1),
            "items": ngettext("%(count)d item", "%(count)d items", point.items)
            % {"count": point.items},
            "changes": ngettext("%(count)d change", "%(count)d changes", point.changes)
            % {"count": point.changes},
        }
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
        # A day's label under its first run, unless it would touch the previous label.
        if point.day and point.day != previous_day and x - last_label_x >= MIN_DAY_LABEL_GAP:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"></line>'
                    '<text x="{}" y="{}" class="chart-label chart-tick">{}</text>',
                    _n(x),
                    top + plot,
                    _n(x),
                    top + plot + 4,
                    _n(x),
                    top + plot + 16,
                    point.day,
                )
            )
            last_label_x = x
        previous_day = point.day
    if not points:
        parts.append(
            format_html(
                '<text x="{}" y="{}">{}</text>',
                left + 10,
                top + 40,
                gettext("No finished scans yet."),
            )
        )
    return _svg(width, HISTORY_HEIGHT, title, parts)


def duration_unit(longest: float) -> tuple[int, str]:
    """Seconds, minutes or hours: whichever keeps the axis' numbers small."""
    if longest >= 2 * 3600:
        return 3600, "h"
    if longest >= 120:
        return 60, "min"
    return 1, "s"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and up to ``count`` evenly spaced round values (1, 2 or 5 times a power of ten)
    whose last is at least ``maximum``."""
    if maximum <= 0:
        return [0.0, 1.0]
    rough = maximum / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    steps = math.ceil(maximum / step - 1e-9)
    return [round(step * i, 10) for i in range(steps + 1)]


LEGEND_STEP = 95  # px per legend entry, at least
LEGEND_CHAR = 7  # px per character of a 12 px legend, a wide letter's


def legend_step(names: Sequence[str]) -> int:
    """Room for the longest name in the reader's language ("unentschieden") beside its
    10 px swatch, so that no two entries touch."""
    longest = max((len(name) for name in names), default=0)
    return max(LEGEND_STEP, 14 + LEGEND_CHAR * longest + 8)


def _legend(series: Sequence[str], *, y: int, per_row: int, step: int) -> SafeString:
    """Legend entries from the left, ``per_row`` to a line."""
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" class="chart-legend">{}</text>',
        (
            (
                (i % per_row) * step,
                y + (i // per_row) * 18 - 9,
                TAG_COLOURS.get(name, "#607d8b"),
                (i % per_row) * step + 14,
                y + (i // per_row) * 18,
                series_name(name),
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
    """A tick's number as the reader's language writes it (``0,5`` in German)."""
    if value == int(value) or value >= 10:
        return number_format(value, 0)
    return number_format(value, 1)


def series_name(series: str) -> str:
    """A series as the legend and the tooltips name it: a tag by its name (the tag
    written to the *arr, the same in every language), the absence of a tag as "no tag",
    a plan never decided in the reader's words."""
    if series == UNDECIDED:
        return pgettext("a planned tag never decided (no readable file yet)", "undecided")
    if series == Tag.NONE:
        return tag_word(series)
    return series


def day_label(moment: datetime) -> str:
    """A day on the history's x axis, short, as the reader's language writes a month and
    a day (CLDR's "MMMd" through Babel): ``Nov 26``, ``26. Nov.``, ``26 nov.``."""
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    try:
        return format_skeleton("MMMd", moment, locale=locale)
    except (UnknownLocaleError, ValueError):
        return format_skeleton("MMMd", moment, locale="en")
