"""The benchmark's table: each figure with its target and ratio, the machine it ran on,
the date and the commit; printed, and appended to bench/RESULTS.md."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.api_latency import ApiMedia
from bench.cpu import CpuShare
from bench.fakearr import format_routes
from bench.floor import Floor
from bench.machine import commit, machine
from bench.scans import ScanFigure
from bench.services import PeakRss
from bench.webhook_latency import WebhookResult

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "RESULTS.md"

INLINE_MAX = 1.3  # x floor
WORKERS_MAX = 0.75  # x floor
WRITES_MAX = 10  # per *arr per scan
RESCAN_MAX = 0.05  # x the full scan
RSS_MAX_MB = 300
WEBHOOK_P95_MAX = 2.0  # seconds
API_P95_MAX_MS = 100

SCAN_ORDER = (
    "inline first",
    "inline rescan",
    "inline touched",
    "workers first",
    "workers rescan",
    "workers touched",
)


@dataclass
class Results:
    scale: str
    inline_db: str
    floor: Floor | None = None
    scans: dict[str, ScanFigure] = field(default_factory=dict)
    rss: PeakRss | None = None
    webhooks: WebhookResult | None = None
    api_media: ApiMedia | None = None
    problems: list[str] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    total_seconds: float = 0.0


Row = tuple[str, str, str, str, str]  # figure, value, target, ratio, verdict


def _noise(share: CpuShare | None) -> str:
    return f"; {share.describe()}" if share is not None else ""


def _verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def _scan_rows(results: Results) -> list[Row]:
    rows: list[Row] = []
    floor = results.floor.seconds if results.floor else math.nan
    for how, limit, where in (
        ("inline", INLINE_MAX, f"`scan --inline`, {results.inline_db}"),
        ("workers", WORKERS_MAX, "2 worker processes, PostgreSQL + Redis"),
    ):
        first = results.scans.get(f"{how} first")
        if first is None:
            continue
        ratio = first.seconds / floor
        rows.append(
            (
                f"full first scan ({where})",
                f"{first.seconds:.1f} s, {first.files_probed} probed, {first.listed} items"
                + _noise(first.cpu),
                f"<= {limit} x floor",
                f"{ratio:.2f} x floor",
                _verdict(ratio <= limit),
            )
        )
        rescan = results.scans.get(f"{how} rescan")
        if rescan is not None:
            share = rescan.seconds / first.seconds
            ok = share <= RESCAN_MAX and rescan.probed_as_expected
            rows.append(
                (
                    f"rescan, nothing changed ({how})",
                    f"{rescan.seconds:.2f} s, {rescan.files_probed} probed" + _noise(rescan.cpu),
                    "<= 5 % of full scan, 0 probed",
                    f"{share:.1%} of full",
                    _verdict(ok),
                )
            )
        touched = results.scans.get(f"{how} touched")
        if touched is not None:
            expected = len(touched.expected_probes or [])
            rows.append(
                (
                    f"rescan after touching 1 % of episodes ({how})",
                    f"{touched.seconds:.2f} s, {touched.files_probed} probed, "
                    f"{touched.total('items_total')} items rescanned" + _noise(touched.cpu),
                    f"probes exactly the {expected} touched",
                    f"{touched.seconds / first.seconds:.1%} of full",
                    _verdict(touched.probed_as_expected),
                )
            )
    return rows


def rows(results: Results) -> list[Row]:
    table: list[Row] = []
    if results.floor:
        f = results.floor
        table.append(
            (
                "floor: bare `MediaInfo.parse` loop, 1 process",
                f"{f.seconds:.1f} s ({f.files} files, {f.rate:.0f} files/s)" + _noise(f.cpu),
                "-",
                "1.00",
                "-",
            )
        )
    table += _scan_rows(results)
    scans = [results.scans[key] for key in SCAN_ORDER if key in results.scans]
    if scans:
        worst = {app: max(s.writes(app) for s in scans) for app in ("sonarr", "radarr")}
        value = ", ".join(f"{app} {n}" for app, n in worst.items())
        ok = max(worst.values()) <= WRITES_MAX
        table.append(
            (
                "*arr write requests per scan (max over scans)",
                value,
                f"<= {WRITES_MAX} per *arr",
                f"{max(worst.values()) / WRITES_MAX:.1f}",
                _verdict(ok),
            )
        )
    for key in ("inline first", "inline rescan", "inline touched"):
        scan = results.scans.get(key)
        if scan and scan.queries and scan.listed:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(scan.queries.items()))
            table.append(
                (
                    f"SQL statements per listed item ({key.removeprefix('inline ')})",
                    f"{scan.query_count / scan.listed:.1f} ({scan.query_count}: {kinds})",
                    "-",
                    "-",
                    "-",
                )
            )
    if results.rss is not None:
        child, main = results.rss.child_kib * 1024 / 1e6, results.rss.main_kib * 1024 / 1e6
        peak = max(child, main)
        table.append(
            (
                "worker peak RSS (VmHWM, per process)",
                f"child {child:.0f} MB, main {main:.0f} MB ({results.rss.processes} procs)",
                f"<= {RSS_MAX_MB} MB",
                f"{peak / RSS_MAX_MB:.2f}",
                _verdict(peak <= RSS_MAX_MB),
            )
        )
    if results.webhooks is not None:
        hooks = results.webhooks
        p50, p95 = hooks.percentile(0.5), hooks.percentile(0.95)
        table.append(
            (
                f"webhook -> tag, {len(hooks.latencies)} webhooks",
                f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(hooks.latencies):.2f} s",
                f"p95 <= {WEBHOOK_P95_MAX:g} s",
                f"{p95 / WEBHOOK_P95_MAX:.2f}",
                _verdict(p95 <= WEBHOOK_P95_MAX),
            )
        )
    api = results.api_media
    table.append(
        (
            "`/api/media/` p95 (bench/api_media.py)",
            api.describe() if api else "not measured (bench/api_media.py missing or failed)",
            f"< {API_P95_MAX_MS} ms",
            f"{api.p95_ms / API_P95_MAX_MS:.2f}" if api else "-",
            _verdict(api.p95_ms < API_P95_MAX_MS) if api else "-",
        )
    )
    mismatches = sum(len(scan.mismatches) for scan in scans)
    table.append(
        (
            "tags in the fake *arrs vs manifest, after every scan",
            f"{mismatches} wrong",
            "0",
            "-",
            _verdict(mismatches == 0),
        )
    )
    return table


def markdown_table(table: list[Row]) -> str:
    header: Row = ("figure", "value", "target", "ratio", "")
    lines = [header, ("---",) * 5, *table]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def routes_table(results: Results) -> str:
    lines = ["| scan | sonarr requests | radarr requests |", "| --- | --- | --- |"]
    for key in SCAN_ORDER:
        scan = results.scans.get(key)
        if scan is not None:
            cells = [
                format_routes(scan.requests.get(app, {})) or "-" for app in ("sonarr", "radarr")
            ]
            lines.append(f"| {key} | {cells[0]} | {cells[1]} |")
    if results.webhooks is not None:
        hooks = format_routes(results.webhooks.requests) or "-"
        lines.append(
            f"| {len(results.webhooks.latencies)} webhooks (polls left out) | {hooks} | - |"
        )
    return "\n".join(lines)


def render(results: Results) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " / ".join(
        f"{a:.2f} {b:.2f} {c:.2f}" for a, b, c in (results.load_before, results.load_after)
    )
    parts = [
        f"## {now} - {results.scale} - commit {commit()}",
        "",
        f"Machine: {machine()}; load average before / after: {load}; "
        f"whole run {results.total_seconds / 60:.1f} min.",
        "",
        markdown_table(rows(results)),
        "",
        "*arr requests by route:",
        "",
        routes_table(results),
    ]
    if results.problems:
        parts += ["", "Problems:", "", *[f"- {problem}" for problem in results.problems[:50]]]
        if len(results.problems) > 50:
            parts.append(f"- ... and {len(results.problems) - 50} more")
    return "\n".join(parts) + "\n"


def append_results(text: str) -> None:
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `bench/run.py` (see bench/README.md), newest last."
            ' Timings depend on the machine and on what else ran on it ("others used N %").'
            " The commit is HEAD when the run started, read from .git: uncommitted changes"
            " are not detected.\n\n",
            encoding="utf-8",
        )
    with RESULTS.open("a", encoding="utf-8") as results_file:
        results_file.write("\n" + text)
