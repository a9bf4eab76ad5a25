"""Issue 69 item 3: the two ways a worker fans out the items, measured side by side.

    .venv/bin/python bench/fanout.py --library /tmp/lib      # 2,000 series x 15 + 500 movies
    .venv/bin/python bench/fanout.py --series 200 --pairs 1  # a quick look

``desk`` (the default, TAGGARR_ITEM_FANOUT=desk): 2 worker processes, the item tasks of
each on threads, their claims and stores gathered by the process's item desk. ``direct``
(TAGGARR_ITEM_FANOUT=direct): 2 worker processes on Celery's prefork pool, one item per
child at a time, each item task committing its own writes (scanner.pipeline.runtime.
item_direct). The runs alternate (desk, direct, direct, desk, ...) so that both see the
same machine, each on a fresh database: a first scan (its wall time against the floor,
the SQL statements the worker processes sent per item, their peak RSS), an unchanged
rescan, then (``--kill``) a first scan on a fresh database with beat running, one
worker killed with SIGKILL (its whole process group) once 30 % of the items are done:
does the run end, with every tag, and how many items were started more than once.

It reuses run.py's services (fake *arrs, a throwaway PostgreSQL database
``taggarr_fanout_<pid>``, the Redis database of ``--redis``, which it flushes) and
workers.py's counted workers. Prints a Markdown table; it records nothing itself
(RESULTS.md, "Fan-out: prefork vs desk", quotes it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.floor import measure_floor
from bench.make_library import build_library
from bench.manifest import Manifest
from bench.phases import API_KEY
from bench.run import Bench
from bench.scans import Context, ScanFigure, create_instances, migrate, scan
from bench.services import PeakRss, ThrowawayDatabase
from bench.workers import celery_beat, celery_worker

KILL_AT = 0.3  # of the items done
_RECEIVED = re.compile(r"Task scanner\.tasks\.scan_item\[[0-9a-f-]+\] received")
_ENDED = re.compile(r"Task scanner\.tasks\.scan_item\[[0-9a-f-]+\] (succeeded|raised|retry)")


@dataclass
class Figures:
    variant: str
    first_s: float = 0.0
    rescan_s: float = 0.0
    statements: int = 0
    items: int = 0
    rss_main_mb: list[float] = field(default_factory=list)
    rss_child_mb: list[float] = field(default_factory=list)
    processes: int = 0
    rss_sum_mb: float = 0.0  # the peaks of every process of both workers, added
    problems: list[str] = field(default_factory=list)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    floor_s: float = 0.0  # the floor measured just before (a sample, scaled)


@dataclass
class Killed:
    variant: str
    ended: str = ""
    seconds: float = 0.0
    after_kill_s: float = 0.0
    redone: int = 0
    done: int = 0
    items: int = 0
    problems: list[str] = field(default_factory=list)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--episodes", type=int, default=15)
    parser.add_argument("--movies", type=int)
    parser.add_argument("--library", type=Path, help="reused when its manifest exists")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--pairs", type=int, default=2, help="desk/direct pairs (default 2)")
    parser.add_argument("--kill", action="store_true", help="also a killed worker's recovery")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument(
        "--floor-sample",
        type=int,
        default=10,
        help="before each run, the floor over every Nth file, times N (default 10): "
        "on a loaded machine each run's ratio is taken against the load of its moment",
    )
    parser.add_argument("--sqlite", action="store_true", help="the default SQLite, not PG")
    parser.add_argument("--variants", default="desk,direct")
    parser.add_argument("--direct-concurrency", type=int, help="prefork children per worker")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    options = parser.parse_args(argv)
    options.movies = options.series // 4 if options.movies is None else options.movies
    # What run.py's Bench reads.
    options.latency_ms, options.per_item_ms, options.item_batch = 3.0, 0.5, None
    options.share_delay_ms, options.share_listing_attrs = 0.0, False
    return options


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fresh(bench: Bench, name: str, variant: str, options: argparse.Namespace) -> Context:
    context = bench.context(name, sqlite=options.sqlite)
    context.env["TAGGARR_ITEM_FANOUT"] = variant
    if variant == "direct" and options.direct_concurrency:
        context.env["TAGGARR_WORKER_CONCURRENCY"] = str(options.direct_concurrency)
    migrate(context)
    create_instances(context, API_KEY)
    return context


def sampled_floor(manifest: Manifest, every: int) -> float:
    """The floor's seconds over every ``every``-th counted file, times ``every``."""
    paths = manifest.counted_paths()
    return measure_floor(paths[::every]).seconds * len(paths) / len(paths[::every])


def measure(bench: Bench, variant: str, number: int, options: argparse.Namespace) -> Figures:
    figures = Figures(variant, load=os.getloadavg())
    context = fresh(bench, f"{variant}-{number}", variant, options)
    if not options.no_floor:
        figures.floor_s = sampled_floor(bench.manifest, options.floor_sample)
    with celery_worker(context, f"worker-{variant}-{number}") as rss:
        if options.sqlite:  # bench/artwork.py waits for the artwork on PostgreSQL only
            context.worker_logs = []
        first = scan(context, f"{variant} {number} first", inline=False)
        rescan = scan(context, f"{variant} {number} rescan", inline=False, expected_probes=[])
    figures.first_s, figures.rescan_s = first.seconds, rescan.seconds
    figures.statements, figures.items = first.query_count, first.listed
    figures.rss_main_mb = [peak.main_kib / 1024 for peak in rss]
    figures.rss_child_mb = [peak.child_kib / 1024 for peak in rss]
    figures.processes = sum(peak.processes for peak in rss)
    figures.rss_sum_mb = sum(sum(peak.peaks_kib.values()) for peak in rss) / 1024
    for figure in (first, rescan):
        figures.problems += [f"{figure.label}: {p}" for p in figure.problems()]
    return figures


def items_done(context: Context) -> tuple[int, int, int]:
    """(items done, items, items started more than once) of the database's runs."""
    query = (
        "select count(*) filter (where status = 'done'), count(*), "
        "count(*) filter (where attempts > 1) from scanner_scanitem"
    )
    url = context.env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        sqlite_query = (
            "select sum(status = 'done'), count(*), sum(attempts > 1) from scanner_scanitem"
        )
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            row = db.execute(sqlite_query).fetchone()
    else:
        with psycopg.connect(url) as db:
            row = db.execute(query).fetchone()
    return (int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)) if row else (0, 0, 0)


def killed(bench: Bench, variant: str, options: argparse.Namespace) -> Killed:
    result = Killed(variant)
    context = fresh(bench, f"{variant}-killed", variant, options)
    total = len(context.manifest.of("sonarr")) + len(context.manifest.of("radarr"))
    figure: list[ScanFigure] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            figure.append(scan(context, f"{variant} killed", inline=False))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with (
        celery_beat(context, f"beat-{variant}"),
        celery_worker(context, f"worker-{variant}-killed") as rss,
    ):
        started = time.monotonic()
        scanning = threading.Thread(target=run, name="scan")
        scanning.start()
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and scanning.is_alive():
            if items_done(context)[0] >= KILL_AT * total:
                break
            time.sleep(0.2)
        victim: PeakRss = rss[0]
        log(f"{variant}: SIGKILL to worker 1's process group at {items_done(context)[0]} done")
        os.killpg(victim.root_pid, signal.SIGKILL)
        killed_at = time.monotonic()
        scanning.join(3600)
        result.seconds = time.monotonic() - started
        result.after_kill_s = time.monotonic() - killed_at
    # A run's items are deleted when it ends: what was redone is read from the logs,
    # the item tasks the killed worker had received and not ended (they died with it).
    logs = (
        context.work / f"worker-{variant}-killed-1.log",
        context.work / f"worker-{variant}-killed-2.log",
    )
    received = [len(_RECEIVED.findall(log.read_text(errors="replace"))) for log in logs]
    ended = [len(_ENDED.findall(log.read_text(errors="replace"))) for log in logs]
    result.redone = received[0] - ended[0]
    result.done = sum(log.read_text(errors="replace").count("'scanned: ") for log in logs)
    result.items = total
    if errors:
        result.ended = f"error: {errors[0]}"
    elif figure:
        result.ended = ", ".join(str(run["status"]) for run in figure[0].runs)
        result.problems = figure[0].problems()
    return result


def order(variants: list[str], pairs: int) -> Iterator[tuple[str, int]]:
    """A B B A A B ...: each variant as often first as second."""
    for number in range(pairs):
        for variant in variants if number % 2 == 0 else list(reversed(variants)):
            yield variant, number + 1


def table(runs: list[Figures], kills: list[Killed]) -> str:
    lines = [
        "| run | load before (1/5/15 min) | floor just before | first scan | x floor | rescan | "
        "% of first | "
        "SQL/item | peak RSS main, MB | peak RSS largest child, MB | processes | "
        "their peaks added, MB | problems |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for each in runs:
        ratio = f"{each.first_s / each.floor_s:.2f}" if each.floor_s else "-"
        per_item = each.statements / each.items if each.items else 0.0
        lines.append(
            f"| {each.variant} | {'/'.join(f'{x:.1f}' for x in each.load)} | "
            f"{each.floor_s:.1f} s | {each.first_s:.1f} s | {ratio} | {each.rescan_s:.1f} s | "
            f"{100 * each.rescan_s / each.first_s:.1f} % | {per_item:.2f} "
            f"({each.statements}/{each.items}) | "
            f"{', '.join(f'{x:.0f}' for x in each.rss_main_mb)} | "
            f"{', '.join(f'{x:.0f}' for x in each.rss_child_mb)} | {each.processes} | "
            f"{each.rss_sum_mb:.0f} | "
            f"{len(each.problems)} |"
        )
    if kills:
        lines += [
            "",
            "| killed worker | run ended | whole scan | after the kill | items scanned | "
            "item tasks lost with the worker (redone) | problems |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for kill in kills:
            lines.append(
                f"| {kill.variant} | {kill.ended} | {kill.seconds:.1f} s | "
                f"{kill.after_kill_s:.1f} s | {kill.done}/{kill.items} | {kill.redone} | "
                f"{len(kill.problems)} |"
            )
    problems = [p for each in runs for p in each.problems]
    problems += [p for kill in kills for p in kill.problems]
    lines += [f"- {problem}" for problem in problems[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="taggarr-fanout-"))
    work.mkdir(parents=True, exist_ok=True)
    library = options.library or work / "library"
    if (library / "manifest.json").exists():
        manifest = Manifest.load(library)
    else:
        log(f"library: {options.series} series + {options.movies} movies in {library}")
        manifest = build_library(
            library, series=options.series, episodes=options.episodes, movies=options.movies
        )
    runs: list[Figures] = []
    kills: list[Killed] = []
    variants = options.variants.split(",")
    with contextlib.ExitStack() as cleanup:
        bench = Bench(options, work, manifest)
        bench.database = ThrowawayDatabase(options.postgres, f"taggarr_fanout_{os.getpid()}")
        bench.start(cleanup)
        for variant, number in order(variants, options.pairs):
            log(f"{variant} {number}: first scan, unchanged rescan")
            runs.append(measure(bench, variant, number, options))
            print(table(runs, kills), file=sys.stderr, flush=True)
        if options.kill:
            for variant in variants:
                log(f"{variant}: a worker killed mid-scan")
                kills.append(killed(bench, variant, options))
                print(table(runs, kills), file=sys.stderr, flush=True)
    print(table(runs, kills))
    print(f"work: {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
