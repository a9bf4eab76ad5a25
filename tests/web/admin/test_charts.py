"""The dashboard's scan-history chart: axes with round ticks, units and day labels."""

from __future__ import annotations

import re

import pytest

from web.admin.charts import HistoryPoint, duration_unit, history_bars, nice_ticks


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
    assert "420.0s, 3 items, 1 change<" in svg


def test_crowded_day_labels_are_thinned_and_text_is_escaped() -> None:
    points = [_point(n, 10, f"<d{n}>") for n in range(40)]
    svg = str(history_bars(points, title="Scans"))
    days = re.findall(r'class="chart-label chart-tick">([^<]+)<', svg)
    assert 5 <= len(days) < 40
    assert "<d1>" not in svg and "&lt;d0&gt;" in svg


def test_no_runs_still_draws_the_axes() -> None:
    svg = str(history_bars([], title="Scans"))
    assert "No finished scans yet." in svg and 'class="chart-axis"' in svg
