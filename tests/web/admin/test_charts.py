"""The dashboard's scan-history chart: axes with round ticks, units and day labels."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from scanner.reports.stats import UNDECIDED
from web.admin.charts import (
    HistoryPoint,
    StackedRow,
    day_label,
    duration_unit,
    history_bars,
    legend_step,
    nice_ticks,
    stacked_bars,
)


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (42.0, [0, 20, 40, 60]),
        (100.0, [0, 50, 100]),
        (7.3, [0, 2, 4, 6, 8]),
        (0.0, [0, 1]),
        (0.3, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks_are_round_and_reach_the_maximum(maximum: float, ticks: list[float]) -> None:
    assert nice_ticks(maximum) == ticks


@pytest.mark.parametrize(
    ("longest", "unit"), [(42, (1, "s")), (600, (60, "min")), (3 * 3600, (3600, "h"))]
)
def test_the_duration_axis_picks_a_unit(longest: float, unit: tuple[int, str]) -> None:
    assert duration_unit(longest) == unit


def _point(number: int, duration: float, day: str) -> HistoryPoint:
    return HistoryPoint(
        label=f"#{number} tv", duration=duration, items=3, changes=1, failed=False, day=day
    )


def test_the_history_chart_has_axes_ticks_and_day_labels() -> None:
    points = [_point(1, 300, "Nov 20"), _point(2, 420, "Nov 20"), _point(3, 90, "Nov 21")]
    svg = str(history_bars(points, title="Scans"))
    ticks = re.findall(r'class="chart-label chart-tick" text-anchor="end">([^<]+)<', svg)
    assert ticks == ["0 min", "2 min", "4 min", "6 min", "8 min"]
    assert svg.count('class="chart-axis"') >= 2
    days = re.findall(r'class="chart-label chart-tick">([^<]+)<', svg)
    assert days == ["Nov 20", "Nov 21"]  # a day is named once, under its first run
    assert ">duration</text>" in svg and "scans, oldest first, by day" in svg
    assert "#2 tv: 420.0 s, 3 items, 1 change<" in svg


def test_crowded_day_labels_are_thinned_and_text_is_escaped() -> None:
    points = [_point(n, 10, f"<d{n}>") for n in range(40)]
    svg = str(history_bars(points, title="Scans"))
    days = re.findall(r'class="chart-label chart-tick">([^<]+)<', svg)
    assert 5 <= len(days) < 40
    assert "<d1>" not in svg and "&lt;d0&gt;" in svg


def test_no_runs_still_draws_the_axes() -> None:
    svg = str(history_bars([], title="Scans"))
    assert "No finished scans yet." in svg and 'class="chart-axis"' in svg


def test_the_charts_speak_the_readers_language() -> None:
    """Issue 61: numbers with the locale's decimal separator, the day as the language
    writes it (CLDR), "no tag" and "undecided" as words of the catalog, never ``none``."""
    rows = [StackedRow("tv", [("dub", 2), ("none", 1), (UNDECIDED, 3)])]
    with translation.override("de"):
        points = [_point(1, 0.4, day_label(datetime(2026, 11, 26, 10, 0)))]
        history = str(history_bars(points, title="Scans"))
        bars = str(stacked_bars(rows, title="Tags"))
        assert points[0].day == "26. Nov."
        tip = gettext("%(run)s: %(seconds)s s, %(items)s, %(changes)s") % {
            "run": "#1 tv",
            "seconds": "0,4",
            "items": ngettext("%(count)d item", "%(count)d items", 3) % {"count": 3},
            "changes": ngettext("%(count)d change", "%(count)d changes", 1) % {"count": 1},
        }
        no_tag = gettext("no tag")
        undecided = pgettext("a planned tag never decided (no readable file yet)", "undecided")
        rate = ngettext(
            "%(row)s: %(series)s, %(count)d item", "%(row)s: %(series)s, %(count)d items", 1
        )
    assert f"<title>{tip}</title>" in history
    assert 'text-anchor="end">0,1\u00a0s</text>' in history and "0.1" not in history
    assert '">26. Nov.</text>' in history and "Nov 26" not in history
    assert no_tag == "kein Tag" and f">{no_tag}</text>" in bars  # the legend
    assert f">{undecided}</text>" in bars
    assert f"<title>{rate % {'row': 'tv', 'series': no_tag, 'count': 1}}</title>" in bars
    assert ">none<" not in bars and ": none" not in bars
    with translation.override("fr"):
        assert day_label(datetime(2026, 11, 26)) == "26 nov."


def test_the_legend_makes_room_for_a_long_name() -> None:
    """A language's longer word for a series ("unentschieden") never touches the next."""
    assert legend_step(["dub", "semi-dub", "wrong-dub"]) == 95
    assert legend_step(["unentschieden"]) >= 14 + 7 * len("unentschieden")
    rows = [StackedRow("tv", [("dub", 1), ("a-very-long-series-name", 1)])]
    svg = str(stacked_bars(rows, title="Tags"))
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" class="chart-legend"', svg)]
    assert xs[1] - xs[0] >= 7 * len("a-very-long-series-name")
