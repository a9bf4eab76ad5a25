"""An unchanged rescan on the default database, timed from outside (issue 83, item 2).

    .venv/bin/python bench/rescan.py                       # 400 series x 15 + 100 movies
    .venv/bin/python bench/rescan.py --series 100 --rounds 3 --profile   # a few minutes

bench/make_library.py's library (real tiny files, hard-linked) behind the project's fake
Sonarr and Radarr (3 ms a request + 0.5 ms a listed item, as bench/run.py), both
instances on the default audio source, SQLite in the work folder (the default's engine
and pragmas), Redis for the artwork message (``--redis``). One ``manage.py scan
--inline`` fills the database; then ``--rounds`` unchanged rescans, each a whole
``manage.py scan --inline`` process: its wall time, its CPU time (children's rusage),
and ``manage.py scan --help`` in the same round (the command's start:
Django set up and the command's imports, no run), so that "past the command's start" is
their difference. ``--compare DIR``: each round also in another checkout (a ``git
archive`` of the commit before, its ``.mo`` compiled), on the same database and library,
A and B in turn. ``--profile``: one more rescan under ``py-spy record`` (raw output in
the work folder); ``--importtime``: one more under ``-X importtime`` (what it imports,
in the work folder). Prints medians; records nothing (write the figures by hand in
bench/RESULTS.md, with the load: on a shared machine only paired figures mean anything).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.arr_data import EPISODE_FILES
from bench.fakearr import start_fake
from bench.machine import REPO
from bench.make_library import build_library
from bench.phases import API_KEY
from bench.run import compile_project, django_env
from bench.scans import Context, create_instances, migrate, run_python


def _timed(
    env: dict[str, str], args: list[str], log: Path, checkout: Path = REPO
) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one child process run in ``checkout``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(log, "ab") as output:
        subprocess.run(
            [sys.executable, *args],
            env=env,
            cwd=checkout,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=3600,
        )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _round(env: dict[str, str], work: Path, checkout: Path) -> tuple[float, float, float, float]:
    """``scan --help`` (the command's start) then an unchanged ``scan --inline``."""
    help_log = work / "help.log"
    start_wall, start_cpu = _timed(env, ["manage.py", "scan", "--help"], help_log, checkout)
    wall, cpu = _timed(env, ["manage.py", "scan", "--inline"], work / "rescan.log", checkout)
    return start_wall, start_cpu, wall, cpu


def _summary(name: str, rows: list[tuple[float, float, float, float]]) -> str:
    median = statistics.median
    start_wall, start_cpu, wall, cpu = (median(column) for column in zip(*rows, strict=True))
    return (
        f"{name}: medians over {len(rows)}: command's start {start_wall:.2f} s wall "
        f"{start_cpu:.2f} s CPU; unchanged rescan {wall:.2f} s wall {cpu:.2f} s CPU; past the "
        f"start {wall - start_wall:.2f} s wall {cpu - start_cpu:.2f} s CPU"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=400)
    parser.add_argument("--episodes", type=int, default=15)
    parser.add_argument("--movies", type=int, help="default: series / 4")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--latency-ms", type=float, default=3.0)
    parser.add_argument("--per-item-ms", type=float, default=0.5)
    parser.add_argument("--profile", action="store_true", help="one more rescan under py-spy")
    parser.add_argument(
        "--importtime",
        action="store_true",
        help="one more rescan under -X importtime (its modules in the work folder)",
    )
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--compare", type=Path, help="another checkout (same migrations): rounds alternate"
    )
    options = parser.parse_args(argv)
    movies = options.series // 4 if options.movies is None else options.movies
    work = options.work or Path(tempfile.mkdtemp(prefix="taggarr-rescan-"))
    work.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as cleanup:
        if not options.keep:
            cleanup.callback(shutil.rmtree, work, True)
        print(f"library: {options.series} x {options.episodes} + {movies} in {work}", flush=True)
        manifest = build_library(
            work / "library", series=options.series, episodes=options.episodes, movies=movies
        )
        compile_project()
        fakes = {}
        for app in ("sonarr", "radarr"):
            root = manifest.root
            fakes[app] = start_fake(
                app,
                root / f"{app}-items.json",
                episode_files=root / EPISODE_FILES if app == "sonarr" else None,
                api_key=API_KEY,
                latency_ms=options.latency_ms,
                per_item_ms=options.per_item_ms,
                env=os.environ,
                log=work / f"fake-{app}.log",
            )
            cleanup.callback(fakes[app].service.stop)
        env = django_env(work / "data", f"sqlite:///{work / 'taggarr.sqlite3'}", options.redis)
        (work / "data").mkdir(exist_ok=True)
        context = Context(manifest=manifest, fakes=fakes, work=work, env=env)
        migrate(context)
        create_instances(context, API_KEY)
        first = run_python(context, ["manage.py", "scan", "--inline"], "first-scan")
        print(f"first scan: {first:.2f} s", flush=True)
        checkouts = {"this checkout": REPO}
        if options.compare:  # the same database and library; the rounds alternate
            checkouts["compared"] = options.compare.resolve()
        rows: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in checkouts}
        for number in range(options.rounds):
            for name, checkout in checkouts.items():
                row = _round(env, work, checkout)
                rows[name].append(row)
                print(
                    f"round {number + 1}, {name}: start {row[0]:.2f} s ({row[1]:.2f} s CPU), "
                    f"rescan {row[2]:.2f} s ({row[3]:.2f} s CPU), "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        for name, measured in rows.items():
            print(_summary(name, measured), flush=True)
        print(f"first scan: {first:.2f} s", flush=True)
        if options.importtime:  # what a rescan of nothing imports, and what each costs
            out = work / "rescan.importtime.txt"
            with open(out, "wb") as modules:
                subprocess.run(
                    [sys.executable, "-X", "importtime", "manage.py", "scan", "--inline"],
                    env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=modules,
                )  # fmt: skip
            print(f"importtime: {out}", flush=True)
        if options.profile:
            spy = Path(sys.executable).with_name("py-spy")
            out = work / "rescan.pyspy.txt"
            subprocess.run(
                [str(spy), "record", "--rate", "200", "--threads", "--format", "raw",
                 "--output", str(out), "--", sys.executable, "manage.py", "scan", "--inline"],
                env=env, cwd=REPO, check=True,
            )  # fmt: skip
            print(f"profile: {out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
