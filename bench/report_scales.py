"""A ``--scale A,B`` run's comparison: each figure that must grow no faster than the
library, the larger scale's over the smaller one's, against the straight line (issue 40:
10,000 + 2,500 within 5.5 x its 2,000 + 500 figure, measured in one run on one machine)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bench.report import markdown_table
from bench.report_scans import Row, verdict
from bench.results import SCALE_SLACK, Results

Figure = Callable[[Results], float | None]  # seconds, None: not measured in this run


def _scan(key: str) -> Figure:
    def seconds(results: Results) -> float | None:
        scan = results.scans.get(key)
        return scan.seconds if scan is not None else None

    return seconds


def _scheduled(results: Results) -> float | None:
    scan = results.scans.get("local workers scheduled")
    return scan.run_span() if scan is not None else None


def _webhook_p95(source: str) -> Figure:
    def p95(results: Results) -> float | None:
        hooks = results.webhooks.get(source)
        return hooks.percentile(0.95) if hooks is not None and hooks.latencies else None

    return p95


FIGURES: tuple[tuple[str, Figure, str], ...] = (
    ("full first scan, local (`scan --inline`)", _scan("local inline first"), "files"),
    ("full first scan, local (`scan --wait`, 2 workers)", _scan("local workers first"), "files"),
    ("rescan, nothing changed, local (inline)", _scan("local inline rescan"), "files"),
    ("rescan, nothing changed, local (workers)", _scan("local workers rescan"), "files"),
    ("rescan as the schedule runs it (run created -> ended)", _scheduled, "files"),
    ("`arr` source: full first scan (`--inline`)", _scan("arr first"), "arr"),
    ("`arr` source: rescan, nothing changed", _scan("arr rescan"), "arr"),
    ("webhook -> tag p95 (files source)", _webhook_p95("files"), "files"),
    ("webhook -> tag p95 (arr source)", _webhook_p95("arr"), "arr"),
)


def comparison_rows(small: Results, large: Results) -> list[Row]:
    growth = large.series / small.series
    limit = SCALE_SLACK * growth
    rows: list[Row] = []
    for label, figure, phase in FIGURES:
        low, high = figure(small), figure(large)
        if low is None or high is None:
            continue
        ratio = high / low if low > 0 else float("inf")
        rows.append(
            (
                label,
                f"{low:.2f} s",
                f"{high:.2f} s",
                f"{ratio:.2f} x",
                f"<= {limit:.2f} x ({SCALE_SLACK:g} x the {growth:g} x library)",
                verdict([("", ratio <= limit)]),
                f"--phases {phase}",
            )
        )
    return rows


def render_scales(results: Sequence[Results], command: str) -> str:
    """The comparison of the smallest scale with each larger one."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    ordered = sorted(results, key=lambda each: each.series)
    small = ordered[0]
    parts = [
        f"## {now} - scales compared: " + ", ".join(each.scale for each in ordered),
        "",
        f"One run, one machine, the scales one after another (each table above). "
        f"Repeat: `{command}`.",
    ]
    for large in ordered[1:]:
        header = (
            "figure",
            f"{small.series:,} series",
            f"{large.series:,} series",
            "large / small",
            "target",
            "verdict",
            "repeat",
        )
        rows = comparison_rows(small, large)
        parts += ["", markdown_table(header, rows) if rows else "(no figure in both scales)"]
    return "\n".join(parts) + "\n"
