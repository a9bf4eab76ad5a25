"""What a regional target costs the default audio source at scale (issue 68, item 1).

    .venv/bin/python bench/regional_reads.py                  # 400 series x 15 + 100 movies
    .venv/bin/python bench/regional_reads.py --scale 40 --no-record --no-profile   # a minute

With a regional target (``fr-CA``), *automatic* (hybrid here: the folders are mounted)
reads once every file whose *arr media info has a track of the target's language of a
variety nothing names (scanner/engine/arr_tracks.py, ``variety_doubt``); with a plain
target (``fr``) it reads none of them. The library (bench/regional_library.py): real
tiny Matroska files, hard-linked, four in ten items with French (titled VFQ, titled
VFF, untitled, two untitled tracks in a ``MULTi.VF2`` release), behind the project's
fake Sonarr and Radarr serving media info as the real ones do (plain codes only). Both
instances on the default audio source, ``scan --inline`` (bench/django_steps.py), each
on a throwaway PostgreSQL database:

1. target ``fr``, first scan (reads nothing);
2. a fresh database, target ``fr-CA``, first scan (reads the French files whose variety
   only the file tells);
3. ``fr-CA`` again with nothing changed (reads nothing);
4. the database of 1, the target switched to ``fr-CA`` (as saving the instance does),
   the next ordinary scan (reads those files once), then once more (reads nothing).

Each row: the scan's wall time (process start to exit), its process's CPU seconds and
peak RSS (VmHWM, bench/django_steps.py), files read (the runs' ``files_probed``,
checked file by file against the library's profiles), SQL statements, and the tags in
the fakes against the profiles' (0 wrong). Then the slowest of 2 and 4 is run again under py-spy
(``.venv/bin/py-spy record``, not timed), twice: every busy thread's samples, then only
those holding the GIL; each split by where it was: libmediainfo's parse
(scanner/engine/probe.py's ``_parse``: the C code, run without the GIL), the rest of
reading a file, the database, the *arr requests, the rest of the Python. Prints the
table and appends it to bench/RESULTS.md (unless ``--no-record``); exit status 1 when a
count or a tag is wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import REPO, commit, machine
from bench.manifest import Manifest
from bench.options import parse_options
from bench.phases import API_KEY
from bench.regional_library import PLAIN, REGIONAL, RegionalExpectation, arr_data, build
from bench.report import append_results, markdown_table
from bench.run import Bench, compile_project, django_env
from bench.scans import STEPS, Context, ScanFigure, create_instances, migrate, run_python, scan
from bench.services import BenchError

AUTO = "auto"  # the instances' default audio source
PY_SPY = REPO / ".venv" / "bin" / "py-spy"
HEADER = ("scan", "wall", "CPU (scan process)", "files read (Sonarr + Radarr)",
          "peak RSS", "SQL statements", "wrong tags")  # fmt: skip
# py-spy's frames -> where a sample was (the first rule that matches, innermost first).
# A thread waiting for work (its innermost frame): not a sample of anything done.
IDLE = ("Condition.wait (", "Event.wait (", "Semaphore.acquire (", "Queue.get (",
        "_worker (concurrent/futures/thread.py")  # fmt: skip
WHERE = (
    ("libmediainfo parsing (probe.py's `_parse`)", ("_Reader._parse (scanner/engine/probe.py",)),
    ("the rest of reading a file (probe.py)", ("scanner/engine/probe.py", "pymediainfo")),
    ("database (psycopg, Django ORM; waiting for PostgreSQL too)", ("psycopg", "django/db/")),
    (
        "*arr requests (requests, JSON; waiting for the fakes too)",
        ("requests/", "urllib3/", "http/client.py", "json/"),
    ),
)


@dataclass
class Case:
    label: str
    figure: ScanFigure
    cpu_seconds: float
    peak_rss_kib: int
    expected_reads: int

    def row(self) -> tuple[str, ...]:
        figure = self.figure
        by_app = {app: 0 for app in ("sonarr", "radarr")}
        for run in figure.runs:
            by_app[run["instance"]] += run["files_probed"]
        read = f"{figure.files_probed} ({by_app['sonarr']} + {by_app['radarr']}), expected " \
               f"{self.expected_reads}"  # fmt: skip
        return (
            self.label, f"{figure.seconds:.1f} s", f"{self.cpu_seconds:.1f} s", read,
            f"{self.peak_rss_kib / 1024:.0f} MiB", f"{figure.query_count:,}",
            str(len(figure.mismatches)),
        )  # fmt: skip


def fresh(bench: Bench, name: str, target: str) -> Context:
    """A fresh database and Redis index, untagged fakes, both instances with ``target``."""
    items, episode_files = arr_data(bench.manifest)
    for app, fake in bench.fakes.items():
        fake.reset_library(items[app], episode_files if app == "sonarr" else None)
    bench.database.recreate()
    bench.redis.check_unused(grace=2.0)
    bench.redis.flush()
    env = django_env(bench.work / f"data-{name}", bench.database.url, bench.options.redis)
    context = Context(bench.manifest, bench.fakes, bench.work, env=env)
    context.expect = RegionalExpectation(AUTO, target=target)
    migrate(context)
    create_instances(context, API_KEY, targets=(target,))
    return context


def switch(context: Context, target: str) -> None:
    run_python(context, [str(STEPS), "targets", target], "targets")
    context.expect = RegionalExpectation(AUTO, target=target)


def measure(context: Context, label: str, *, first: bool) -> Case:
    """One ``scan --inline``; ``first``: the first with its target (reads the files
    whose variety only the file tells), else one with nothing changed (reads none)."""
    expect = context.expect
    assert isinstance(expect, RegionalExpectation)
    reads = expect.reads(context.manifest, context.instance_root) if first else []
    figure = scan(context, label, inline=True, expected_probes=reads)
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    result = json.loads((context.work / f"{slug}.json").read_text())
    return Case(label, figure, result["cpu_seconds"], result["peak_rss_kib"], len(reads))


def measure_all(bench: Bench) -> list[Case]:
    plain = fresh(bench, "plain", PLAIN)
    bench.log("1. fr, first scan")
    cases = [measure(plain, "1. `fr`, first scan", first=False)]  # nothing to read
    regional = fresh(bench, "regional", REGIONAL)
    bench.log("2. fr-CA, first scan")
    cases.append(measure(regional, "2. `fr-CA`, first scan", first=True))
    bench.log("3. fr-CA, nothing changed")
    cases.append(measure(regional, "3. `fr-CA`, nothing changed", first=False))
    plain = fresh(bench, "switch", PLAIN)
    measure(plain, "4-before", first=False)  # the fr state again, not shown
    switch(plain, REGIONAL)
    bench.log("4. fr -> fr-CA, the next scan")
    cases.append(measure(plain, "4. `fr` -> `fr-CA`, the next scan", first=True))
    cases.append(measure(plain, "4'. `fr-CA` after the switch, nothing changed", first=False))
    return cases


def profile(bench: Bench, slowest: str) -> dict[str, Counter[str]]:
    """The slowest case again under py-spy, twice (not timed): every thread's samples
    but those waiting for work (the C code a thread runs, MediaInfo's, counts as its
    calling Python frame; a thread waiting for a socket, as what it waits for), then
    only the samples holding the GIL (``--gil``: the Python's own CPU; ctypes lets go
    of the GIL while libmediainfo parses). Samples by where they were, for each."""
    found = {}
    for mode, flags in (("all threads", []), ("holding the GIL", ["--gil"])):
        if slowest.startswith("4"):
            context = fresh(bench, "profile", PLAIN)
            measure(context, "profile-before", first=False)
            switch(context, REGIONAL)
        else:
            context = fresh(bench, "profile", REGIONAL)
        raw = bench.work / f"py-spy{'-gil' if flags else ''}.txt"
        command = [str(PY_SPY), "record", "--format", "raw", "--rate", "200", *flags,
                   "--output", str(raw), "--", sys.executable, str(STEPS), "scan", "--inline",
                   "--out", str(bench.work / "profile-scan.json")]  # fmt: skip
        bench.log(f"py-spy ({mode}): {slowest} again")
        with open(bench.work / "py-spy.log", "ab") as log:
            subprocess.run(command, env=context.env, cwd=REPO, stdout=log,
                           stderr=subprocess.STDOUT, check=True, timeout=3600)  # fmt: skip
        found[mode] = split_samples(raw)
    return found


def split_samples(raw: Path) -> Counter[str]:
    """py-spy's raw stacks (``frame;frame;... count``) by ``WHERE``'s first match."""
    samples: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack.strip() or stack.rpartition(";")[2].startswith(IDLE):
            continue  # no Python frame could be read, or a thread waiting for work
        where = next(
            (name for name, marks in WHERE if any(mark in stack for mark in marks)),
            "the rest of the Python (planning, judging, storing rows, starting)",
        )
        samples[where] += int(count)
    return samples


def render(
    cases: list[Case], options: argparse.Namespace, samples: dict[str, Counter[str]],
    slowest: str, *, command: str, seconds: float, load: tuple[tuple[float, ...], ...],
) -> tuple[str, list[str]]:  # fmt: skip
    problems = [problem for case in cases for problem in case.figure.problems()]
    problems += [
        f"{case.label}: {run['instance']} scanned with {run.get('audio_source')}, not hybrid"
        for case in cases for run in case.figure.runs if run.get("audio_source") != "hybrid"
    ]  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    loads = " / ".join(" ".join(f"{x:.2f}" for x in one) for one in load)
    files = sum(len(item.files) for item in options.manifest.items)
    lines = [
        f"## Regional reads (issue 68), bench/regional_reads.py, {stamp} - {options.series} "
        f"series x {options.episodes} episodes + {options.movies} movies - commit {commit()}\n",
        f"Machine: {machine()}; load average {loads} (start / end; other sessions' tests "
        f"running); whole run {seconds / 60:.1f} min. Command: `{command}`. {files:,} "
        "counted files, 4 in 10 items with French (titled VFQ, titled VFF, untitled, "
        "`MULTi.VF2`); both instances on the default audio source (automatic: hybrid), "
        "`scan --inline`, PostgreSQL; the fakes at 3 ms a request + 0.5 ms an item.\n",
        markdown_table(HEADER, [case.row() for case in cases]),
    ]
    for mode, counts in samples.items():
        total = sum(counts.values())
        shares = ", ".join(f"{name} {n / total:.0%}" for name, n in counts.most_common() if n)
        lines += ["", f"py-spy (`record --rate 200`, {mode}, {total:,} samples kept) on {slowest} "
                  f"run again: {shares}."]  # fmt: skip
    if problems:
        lines += ["", "Problems:\n", *(f"- {p}" for p in problems), ""]
    return "\n".join(lines) + "\n", problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=400, help="series (default 400)")
    parser.add_argument("--episodes", type=int, default=15)
    parser.add_argument("--movies", type=int, help="default: scale / 4")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="a free index")
    parser.add_argument("--no-profile", action="store_true", help="no py-spy run")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    arguments = parser.parse_args(argv)
    movies = arguments.movies if arguments.movies is not None else arguments.scale // 4
    options = parse_options(
        ["--scale", str(arguments.scale), "--episodes", str(arguments.episodes),
         "--movies", str(movies), "--share-delay-ms", "0", "--phases", "files",
         "--postgres", arguments.postgres, "--redis", arguments.redis]
    )  # fmt: skip
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="taggarr-regional-"))
    started = time.perf_counter()
    manifest: Manifest = build(
        work / "library", series=options.series, episodes=options.episodes, movies=options.movies
    )
    options.manifest = manifest
    compile_project()
    samples: dict[str, Counter[str]] = {}
    slowest = ""
    try:
        with contextlib.ExitStack() as cleanup:
            bench = Bench(options, work, manifest)
            bench.start(cleanup)
            cases = measure_all(bench)
            slowest = max((cases[1], cases[3]), key=lambda case: case.figure.seconds).label
            if not arguments.no_profile:
                samples = profile(bench, slowest)
    except BenchError as exc:
        print(f"benchmark stopped: {exc}\nlogs: {work}", file=sys.stderr)
        return 2
    command = f".venv/bin/python bench/regional_reads.py --scale {arguments.scale}"
    text, problems = render(
        cases, options, samples, slowest, command=command,
        seconds=time.perf_counter() - started, load=(load_before, os.getloadavg()),
    )  # fmt: skip
    print(text)
    if not arguments.no_record:
        append_results(text)
    if problems or arguments.keep:
        print(f"logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
