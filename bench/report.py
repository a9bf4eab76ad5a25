"""The benchmark's tables: each figure with its target, whether it was met and how to
repeat it, the machine it ran on, the date and the commit; printed, and appended to
bench/RESULTS.md."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bench.fakearr import format_routes
from bench.machine import REPO, describe_code, machine, uncommitted
from bench.report_rows import other_rows
from bench.report_scans import Row, scan_header, scan_rows
from bench.results import Results

RESULTS = REPO / "bench" / "RESULTS.md"


def markdown_table(header: Row, table: Sequence[Row]) -> str:
    lines = [header, ("---",) * len(header), *table]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def routes_table(results: Results) -> str:
    lines = ["| scan | sonarr requests | radarr requests |", "| --- | --- | --- |"]
    for key, scan in results.scans.items():
        cells = [format_routes(scan.requests.get(app, {})) or "-" for app in ("sonarr", "radarr")]
        lines.append(f"| {key} | {cells[0]} | {cells[1]} |")
    for source, hooks in results.webhooks.items():
        routes = format_routes(hooks.requests) or "-"
        label = f"{len(hooks.latencies)} webhooks, {source} source (polls left out)"
        lines.append(f"| {label} | {routes} | - |")
    return "\n".join(lines)


def render(results: Results) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " / ".join(
        f"{a:.2f} {b:.2f} {c:.2f}" for a, b, c in (results.load_before, results.load_after)
    )
    share = "no share (--share-delay-ms 0)"
    if results.share_delay_ms > 0:
        share = f"the share: bench/slowfs.c, {results.share_delay_ms:g} ms a call"
        if results.share_listing_attrs:
            share += ", listings carry attributes"
    parts = [
        f"## {now} - {results.scale} - {describe_code(results.uncommitted, uncommitted())}",
        "",
        f"Machine: {machine()}; load average before / after: {load}; "
        f"whole run {results.total_seconds / 60:.1f} min; {share}; "
        f"inline scans on {results.inline_db}.",
        "",
        f"Repeat a figure: `{results.command} --phases PHASES` (the row's `repeat`).",
        "",
    ]
    if results.floors or any(key.startswith("local") for key in results.scans):
        parts += [markdown_table(scan_header(results), scan_rows(results)), ""]
    parts += [
        markdown_table(("figure", "value", "target", "verdict", "repeat"), other_rows(results))
    ]
    if results.scans or results.webhooks:
        parts += ["", "*arr requests by route:", "", routes_table(results)]
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
            " The commit is HEAD when the run ended, read from .git; files that differed"
            " from it at the run's start or end are named (git status).\n\n",
            encoding="utf-8",
        )
    with RESULTS.open("a", encoding="utf-8") as results_file:
        results_file.write("\n" + text)
