"""The largest library users report, from the *arr's media info only (issue 69, item 9).

    .venv/bin/python bench/largest.py                      # 30,000 series x 25 + 40,000 movies
    .venv/bin/python bench/largest.py --series 300 --movies 400 --no-record   # a minute

No file is built: the fake Sonarr and Radarr (``python -m fakes.arr``, 3 ms a request +
0.1 ms a listed item: bench/run.py's 0.5 ms would hold a 40,000-movie list 20 s) serve
every series' episode files and every movie's file with its ``mediaInfo``
(bench/arr_data.py, sizes and dates made up), and both instances take the ``arr`` audio
source with root folders that do not exist: nothing can be opened. On a throwaway
PostgreSQL database (``--postgres``), ``scan --inline`` (bench/django_steps.py): the
first scan, then a rescan with nothing changed, each timed from process start to exit,
with the scan process's peak RSS (VmHWM) and its SQL statements; the tags in the
fakes checked against the profiles' (0 wrong, bench/expect.py). Then gunicorn (2
workers) on that database, and the admin media list, the dashboard, the admin index and
``/api/media/`` requested in turn as a logged-in superuser (bench/web_pages.py): their
p95. Prints the table and appends it to bench/RESULTS.md unless ``--no-record``; exit
status 1 when a tag is wrong or a run did not succeed. At full size it takes about half
an hour and the fake Sonarr holds its 750,000 episode files in memory (a few GB).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.arr_data import EPISODE_FILES, episode_file_id, file_object, series_object
from bench.expect import ARR, Expectation, item_layouts
from bench.fakearr import start_fake
from bench.machine import commit, machine
from bench.make_library import movie_item, series_item
from bench.manifest import Item, Manifest
from bench.phases import API_KEY
from bench.report import append_results, markdown_table
from bench.run import compile_project, django_env
from bench.scans import Context, ScanFigure, create_instances, migrate, run_python, scan
from bench.services import BenchError, PeakRss, ThrowawayDatabase
from bench.web_pages import measure_pages
from bench.workers import web_server
from fakes.arr.samples import build_movie

SIZE = 1_500_000_000  # an episode's bytes, as Sonarr reports it (nothing on disk)
MTIME = 1_700_000_000.0  # when every file was "imported"
TARGETS = {
    "first": 15 * 60.0,
    "rescan": 15.0,
    "rss_mib": 300.0,
    "page_ms": 300.0,
}
FAKE_START_TIMEOUT = 1800.0  # the fake Sonarr parses 570 MB of episode files at full size
HEADER = ("figure", "value", "target", "verdict")


def build_manifest(root: Path, series: int, episodes: int, movies: int) -> Manifest:
    """The manifest of bench/make_library.py's library, no file made."""
    items = [series_item(number, episodes) for number in range(1, series + 1)]
    items += [movie_item(number) for number in range(1, movies + 1)]
    root.mkdir(parents=True, exist_ok=True)
    return Manifest(root=root, series=series, episodes=episodes, movies=movies, items=items)


def _episode_files(item: Item) -> Iterator[dict[str, Any]]:
    for index, (name, layout) in enumerate(zip(item.files, item_layouts(item), strict=True)):
        file = file_object(name, item.remote_folder, layout, False, size=SIZE, mtime=MTIME)
        season = int(name.split("/", 1)[0].removeprefix("Season "))
        file.update(id=episode_file_id(item, index), seriesId=item.arr_id, seasonNumber=season)
        yield file


def _movie(item: Item) -> dict[str, Any]:
    movie = build_movie(
        item.arr_id, title=item.title, path=item.remote_folder, original_language=item.original
    )
    layout = item_layouts(item)[0]
    file = file_object(item.files[0], item.remote_folder, layout, False, size=SIZE, mtime=MTIME)
    movie["movieFile"] = {"id": item.arr_id, "movieId": item.arr_id, **file}
    movie["sizeOnDisk"] = SIZE
    return movie


def write_arr_data(manifest: Manifest) -> None:
    """What the fakes start with, written a series at a time (750,000 files at full size:
    never all in this process at once)."""
    with (
        open(manifest.root / "sonarr-items.json", "w", encoding="utf-8") as items,
        open(manifest.root / EPISODE_FILES, "w", encoding="utf-8") as files,
    ):
        items.write("[")
        files.write("[")
        for number, item in enumerate(manifest.of("sonarr")):
            episodes = list(_episode_files(item))
            separator = "," if number else ""
            items.write(separator + json.dumps(series_object(item, episodes)))
            files.write(separator + json.dumps(episodes)[1:-1])
        items.write("]")
        files.write("]")
    movies = [_movie(item) for item in manifest.of("radarr")]
    (manifest.root / "radarr-items.json").write_text(json.dumps(movies), encoding="utf-8")


def _peak_mib(context: Context, label: str) -> float:
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    result = json.loads((context.work / f"{slug}.json").read_text())
    return float(result["peak_rss_kib"]) / 1024


def _scan_row(figure: ScanFigure, peak_mib: float, target: float) -> tuple[str, ...]:
    statements = sum(figure.queries.values())
    value = (
        f"{figure.seconds / 60:.1f} min ({figure.seconds:.0f} s); {figure.listed} items, "
        f"{figure.total('files_probed')} files read; peak RSS {peak_mib:.0f} MiB; "
        f"{statements} SQL statements"
    )
    limit = f"<= {target / 60:.0f} min" if target >= 60 else f"<= {target:.0f} s"
    return (figure.label, value, limit, "met" if figure.seconds <= target else "**MISSED**")


def run(
    options: argparse.Namespace, work: Path, stack: contextlib.ExitStack
) -> list[tuple[str, ...]]:
    """The rows of the table; the problems found go to ``options.problems``."""
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    manifest = build_manifest(work / "library", options.series, options.episodes, options.movies)
    log(f"the *arrs' data: {len(manifest.items)} items, {manifest.episode_count} episode files")
    write_arr_data(manifest)
    compile_project()
    database = ThrowawayDatabase(options.postgres, options.database)
    database.recreate()
    stack.callback(database.drop)
    fakes = {}
    for app in ("sonarr", "radarr"):
        log(f"fake {app}")
        fakes[app] = start_fake(
            app,
            manifest.root / f"{app}-items.json",
            episode_files=manifest.root / EPISODE_FILES if app == "sonarr" else None,
            api_key=API_KEY,
            latency_ms=options.latency_ms,
            per_item_ms=options.per_item_ms,
            env=os.environ,
            log=work / f"fake-{app}.log",
            start_timeout=FAKE_START_TIMEOUT,
        )
        stack.callback(fakes[app].service.stop)
    env = django_env(work / "data", database.url, options.redis)
    # Each scan under memray's tracker, or recorded by py-spy (bench/django_steps.py).
    for variable, folder in (("BENCH_MEMRAY", options.memray), ("BENCH_PYSPY", options.py_spy)):
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
            env[variable] = str(folder.resolve())
    context = Context(
        manifest, fakes, work, env=env, root=work / "no-library-here", expect=Expectation(ARR)
    )
    migrate(context)
    create_instances(context, API_KEY)
    # The lists of 30,000 series and 40,000 movies (24 MB and 47 MB of JSON) took the fakes
    # more than the default 30 s to answer on a busy machine: the read timeout a user with
    # such a library sets (the instance form's "read timeout").
    set_timeout = (
        "from scanner.models import Instance; "
        f"Instance.objects.update(read_timeout={options.read_timeout})"
    )
    run_python(context, ["manage.py", "shell", "-c", set_timeout], "read-timeout")
    rows: list[tuple[str, ...]] = []
    problems: list[str] = []
    for label, target in (
        ("first scan", TARGETS["first"]),
        ("rescan, nothing changed", TARGETS["rescan"]),
    ):
        log(label)
        figure = scan(context, label, inline=True)
        peak = _peak_mib(context, label)
        rows.append(_scan_row(figure, peak, target))
        problems += figure.problems()
        read = {source: n for source, n in figure.sources.items() if source != "arr"}
        if figure.total("files_probed") or read:
            problems.append(
                f"{label}: files read ({figure.total('files_probed')}) or stored from {read}"
            )
        rows.append(
            (
                f"{label}: peak RSS (the scan process)",
                f"{peak:.0f} MiB",
                f"<= {TARGETS['rss_mib']:.0f} MB",
                "met" if peak * 2**20 <= TARGETS["rss_mib"] * 1e6 else "**MISSED**",
            )
        )
        log(f"{label}: {figure.seconds:.1f} s, peak {peak:.0f} MiB")
    log("pages over HTTP")
    peaks: list[PeakRss] = []
    with web_server(context, "web", peaks) as url:
        pages = measure_pages(context, url, requests_each=options.requests)
    problems += pages.failures
    for page in ("admin media list", "dashboard", "admin index", "/api/media/"):
        p95 = pages.percentile(page, 0.95)
        value = (
            f"p50 {pages.percentile(page, 0.5):.0f} ms, p95 {p95:.0f} ms "
            f"({len(pages.latencies_ms.get(page, []))} requests; {pages.media:,} media, "
            f"{pages.files:,} files)"
        )
        target = TARGETS["page_ms"]
        rows.append(
            (
                f"{page} over HTTP",
                value,
                f"p95 <= {target:.0f} ms",
                "met" if p95 <= target else "**MISSED**",
            )
        )
    if peaks:
        mib = max(peaks[0].peaks_kib.values(), default=0) / 1024
        rows.append(("web server peak RSS (the largest process)", f"{mib:.0f} MiB", "-", "-"))
    options.problems = problems
    return rows


def render(
    options: argparse.Namespace,
    rows: list[tuple[str, ...]],
    seconds: float,
    load: tuple[float, ...],
) -> str:
    table = markdown_table(HEADER, rows)
    command = (
        f"`.venv/bin/python bench/largest.py --series {options.series} --episodes "
        f"{options.episodes} --movies {options.movies}`"
    )
    loads = " / ".join(" ".join(f"{x:.2f}" for x in pair) for pair in (load, os.getloadavg()))
    problems = "".join(f"\n* problem: {p}" for p in options.problems)
    return (
        f"\n## The largest library, the *arr's media info only (issue 69), bench/largest.py, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} - {options.series} series x "
        f"{options.episodes} episodes + {options.movies} movies - commit {commit()}\n\n"
        f"Machine: {machine()}; load average before / after: {loads}; whole run "
        f"{seconds / 60:.1f} min. Command: {command}. PostgreSQL, `scan --inline`, the "
        f"`arr` audio source, root folders that do not exist; the fakes at "
        f"{options.latency_ms} ms a request + {options.per_item_ms} ms a listed item.\n\n"
        f"{table}\n{problems}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=30_000)
    parser.add_argument("--episodes", type=int, default=25, help="per series")
    parser.add_argument("--movies", type=int, default=40_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default=f"taggarr_bench_{os.getpid()}")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--latency-ms", type=float, default=3.0)
    # 0.5 ms a listed item (bench/run.py's) makes a 40,000-movie list take 20 s before the
    # first byte, and under load past the instances' 30 s read timeout: the scan fails.
    parser.add_argument("--per-item-ms", type=float, default=0.1)
    parser.add_argument("--read-timeout", type=float, default=120.0, help="the instances'")
    parser.add_argument("--requests", type=int, default=40, help="timed requests of each page")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument(
        "--memray", type=Path, help="folder for each scan's memray capture (pip install memray)"
    )
    parser.add_argument("--py-spy", type=Path, help="folder for each scan's py-spy profile")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="taggarr-largest-"))
    work.mkdir(parents=True, exist_ok=True)
    # SIGTERM unwinds like Ctrl-C: the fakes and the web server stopped, the database dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    load = os.getloadavg()
    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            rows = run(options, work, stack)
    except BenchError as exc:
        print(f"benchmark stopped: {exc}\nlogs: {work}", file=sys.stderr)
        return 2
    text = render(options, rows, time.perf_counter() - started, load)
    print(text)
    if not options.no_record:
        append_results(text)
    print(f"logs: {work}", file=sys.stderr)
    return 1 if options.problems else 0


if __name__ == "__main__":
    sys.exit(main())
