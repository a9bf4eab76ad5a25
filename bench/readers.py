"""MediaInfo reads on threads (what a scan does) against reads in processes of their own.

    .venv/bin/python bench/readers.py --files 3000
    .venv/bin/python bench/readers.py --dir /media/tv --threads 8

The same files (generated as bench/probe.py does, or found under ``--dir``) read by
probe() one at a time, by probe() on N threads, and by a pool of N processes, each
``--rounds`` times, alternating who goes first. libmediainfo serialises the threads of
one process: N threads barely beat one while every core is busy. Processes read on
every core; whether a scan gains as much is for bench/run.py to tell (the closing
note of 2026-11-23: not clearly, on 2 CPUs). Target for processes to be worth their
memory (about 35 MB each): at least 1.5x one thread on 2 CPUs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.probe import existing, generate
from scanner.engine.probe import read_tracks


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000, help="files to generate")
    parser.add_argument("--dir", type=Path, help="measure the video files under this folder")
    parser.add_argument("--threads", type=int, default=8, help="threads, and reader processes")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="taggarr-bench-") as scratch:
        paths = existing(options.dir) if options.dir else generate(Path(scratch), options.files)
        names = [os.fspath(path) for path in paths]
        threads = ThreadPoolExecutor(options.threads)
        context = multiprocessing.get_context("forkserver")
        processes = ProcessPoolExecutor(options.threads, mp_context=context)
        chunk = max(1, len(names) // (options.threads * 20))
        list(processes.map(read_tracks, names, chunksize=chunk))  # starts them, warms the cache
        ways: dict[str, Callable[[], object]] = {
            "probe, 1 thread": lambda: [read_tracks(name) for name in names],
            f"probe, {options.threads} threads": lambda: list(threads.map(read_tracks, names)),
            f"probe, {options.threads} processes": lambda: list(
                processes.map(read_tracks, names, chunksize=chunk)
            ),
        }
        results: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
        for round_number in range(options.rounds):
            order = list(ways) if round_number % 2 == 0 else list(reversed(ways))
            for way in order:
                results[way].append(timed(ways[way]))
        threads.shutdown()
        processes.shutdown()
    one = statistics.median(wall for wall, _ in results["probe, 1 thread"])
    print(f"{len(names)} files, {options.rounds} rounds, {os.cpu_count()} CPUs; medians")
    print(f"{'reads':28} {'seconds':>8} {'files/s':>8} {'x 1 thread':>10} {'CPU here':>9}")
    for way, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{way:28} {wall:8.2f} {len(names) / wall:8.0f} {one / wall:10.2f} {cpu:8.2f}s")
    print("target: processes >= 1.5 x 1 thread (2 CPUs); repeat: " + " ".join(sys.argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
