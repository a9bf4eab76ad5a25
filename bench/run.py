"""The whole system at the scale users have, against the floor (see bench/README.md).

    .venv/bin/python bench/run.py                 # 2,000 series x 15 episodes + 500 movies
    .venv/bin/python bench/run.py --scale 400     # 400 series + 100 movies
    .venv/bin/python bench/run.py --tiny --no-record   # CI: 20 series + 5 movies, no share

Makes the library (bench/make_library.py), starts the project's fake Sonarr and
Radarr with realistic latency, mounts the library a second time as a NAS share
(bench/slowfs.c, 0.5 ms a call; --share-delay-ms), then measures on local disk and
on the share: the floor, first scans inline and through 2 Celery worker processes,
rescans (also as the schedule runs them), *arr requests, SQL statements per item
(inline, and the worker processes'), worker and web server peak RSS; webhook -> tag
latency; the admin pages and ``/api/media/`` over HTTP; the *arr audio sources
(``arr``: nothing opened; ``hybrid``: only the files in doubt read), on a throwaway
PostgreSQL database and Redis database index. Prints the table and appends it to
bench/RESULTS.md. Exit status 1 when a tag, a probe
count or a file opened is wrong (the benchmark is also a correctness check at
scale); timings never fail it. ``--scale 2000,10000`` runs each scale in turn and
compares their figures (bench/report_scales.py).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_latency import measure_api_media
from bench.arr_data import EPISODE_FILES, arr_items
from bench.arr_phases import arr_phase, hybrid_phase
from bench.fakearr import FakeArrProcess, start_fake
from bench.floor import measure_floor
from bench.hosts_phase import HostsSetup, hosts_phase
from bench.machine import REPO, uncommitted
from bench.make_library import build_library
from bench.manifest import Manifest
from bench.options import DEFAULT_PHASES, PHASES, at_scale, parse_options, repeat_command
from bench.phases import API_KEY, Phase, inline_phase, workers_phase
from bench.report import append_results, render
from bench.report_scales import render_scales
from bench.results import Results
from bench.scans import Context
from bench.server_writes import measure_server_writes
from bench.services import BenchError, RedisIndex, ThrowawayDatabase
from bench.share import Share, mount_share


def django_env(
    data_dir: Path, database_url: str, redis_url: str, item_batch: int | None = None
) -> dict[str, str]:
    """The environment of every Django process: ours only, nothing inherited from a
    developer's shell (TAGGARR_DEBUG=true would keep every query in memory)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TAGGARR_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TAGGARR_DATA_DIR=str(data_dir),
        TAGGARR_HTTPS="false",
        TAGGARR_LOG_LEVEL="info",
        DJANGO_SETTINGS_MODULE="taggarr.settings",
    )
    if item_batch:
        env["TAGGARR_ITEM_BATCH"] = str(item_batch)
    return env


class Bench:
    """One run's services and the way to a fresh database for each phase."""

    def __init__(self, options: argparse.Namespace, work: Path, manifest: Manifest) -> None:
        self.options = options
        self.work = work
        self.manifest = manifest
        self.started = time.perf_counter()
        self.database = ThrowawayDatabase(options.postgres, f"taggarr_bench_{os.getpid()}")
        self.redis = RedisIndex(options.redis)
        self.fakes: dict[str, FakeArrProcess] = {}
        self.share: Share | None = None

    def log(self, message: str) -> None:
        print(
            f"[{time.perf_counter() - self.started:7.1f} s] {message}", file=sys.stderr, flush=True
        )

    def start(self, cleanup: contextlib.ExitStack) -> None:
        self.redis.check_unused()
        self.redis.flush()
        cleanup.callback(self.redis.close)
        cleanup.callback(self.redis.flush)
        cleanup.callback(self.database.drop)
        root = self.manifest.root
        for app in ("sonarr", "radarr"):
            self.fakes[app] = start_fake(
                app,
                root / f"{app}-items.json",
                episode_files=root / EPISODE_FILES if app == "sonarr" else None,
                api_key=API_KEY,
                latency_ms=self.options.latency_ms,
                per_item_ms=self.options.per_item_ms,
                env=os.environ,
                log=self.work / f"fake-{app}.log",
            )
            cleanup.callback(self.fakes[app].service.stop)
        if self.options.share_delay_ms > 0:
            self.log(
                f"share: {root} behind bench/slowfs.c, {self.options.share_delay_ms} ms a call"
            )
            share = mount_share(
                root,
                self.work / "share",
                self.options.share_delay_ms,
                self.work / "slowfs.log",
                listing_attrs=self.options.share_listing_attrs,
            )
            cleanup.callback(share.unmount)
            self.share = share

    def context(
        self, name: str, *, root: Path | None = None, on_share: bool = False, sqlite: bool = False
    ) -> Context:
        """A fresh database (and Redis index) with untagged fakes."""
        for app, fake in self.fakes.items():
            fake.reset_library(arr_items(self.manifest, app))
        self.database.recreate()
        # Before each phase too: a worker of someone else's that joined this index since
        # the start would take the phase's tasks, and its runs would never end.
        self.redis.check_unused(grace=2.0)
        self.redis.flush()
        data = self.work / f"data-{name}"
        url = f"sqlite:///{data / 'inline.sqlite3'}" if sqlite else self.database.url
        env = django_env(data, url, self.options.redis, self.options.item_batch)
        share = self.share if on_share else None
        return Context(self.manifest, self.fakes, self.work, env=env, root=root, share=share)


def files_phases(bench: Bench, phase: Phase) -> None:
    paths = bench.manifest.counted_paths()
    disks = phase.results.disks
    for disk in disks:
        share = bench.share if disk == "share" else None
        bench.log(f"floor ({disk}): MediaInfo.parse over {len(paths)} files")
        phase.results.floors[disk] = measure_floor(
            [share.path(p) for p in paths] if share else paths
        )
    sqlite = bench.options.inline_db == "sqlite"
    for disk in disks:
        root = bench.share.mountpoint if disk == "share" and bench.share else None
        on_share = root is not None
        context = bench.context(f"{disk}-inline", root=root, on_share=on_share, sqlite=sqlite)
        inline_phase(context, phase, disk)
        context = bench.context(f"{disk}-workers", root=root, on_share=on_share)
        workers_phase(context, phase, disk, webhooks=disk == "local")


def hosts_phases(bench: Bench, phase: Phase) -> None:
    """Workers on two other hosts (network and mount namespaces): needs root."""
    setup = HostsSetup(
        bench.manifest, bench.work, bench.database, bench.redis, bench.options.redis,
        env=django_env, latency_ms=bench.options.latency_ms,
        per_item_ms=bench.options.per_item_ms,
    )  # fmt: skip
    try:
        hosts_phase(setup, phase)
    except BenchError as exc:  # asked for and not run: a failure, never a skip
        phase.results.problems.append(f"hosts phase: {exc}")


def run(options: argparse.Namespace, work: Path) -> Results:
    scale = f"{options.series} series x {options.episodes} episodes + {options.movies} movies"
    results = Results(
        scale=scale,
        series=options.series,
        inline_db=options.inline_db,
        share_delay_ms=options.share_delay_ms,
        share_listing_attrs=options.share_listing_attrs,
        command=repeat_command(options),
        uncommitted=uncommitted(),
        load_before=os.getloadavg(),
    )
    started = time.perf_counter()
    print(f"library: {scale} in {work / 'library'}", file=sys.stderr, flush=True)
    manifest = build_library(
        work / "library", series=options.series, episodes=options.episodes, movies=options.movies
    )
    compile_project()
    with contextlib.ExitStack() as cleanup:
        bench = Bench(options, work, manifest)
        bench.start(cleanup)
        phase = Phase(results, bench.log, options.webhooks, pages=10 if options.tiny else 40)
        if "files" in options.phases:
            files_phases(bench, phase)
        if "hosts" in options.phases:
            hosts_phases(bench, phase)
        share_root = bench.share.mountpoint if bench.share else None
        if "arr" in options.phases:  # no share: root folders that do not exist
            arr_phase(
                bench.context("arr", root=share_root or work / "no-library-here", on_share=True),
                phase,
            )
        if "hybrid" in options.phases:
            hybrid_phase(bench.context("hybrid", root=share_root, on_share=True), phase)
        if "api" in options.phases:
            bench.log("/api/media/ latency (bench/api_media.py)")
            try:
                results.api_media = measure_api_media(bench.context("api"), tiny=options.tiny)
            except BenchError as exc:
                results.problems.append(f"/api/media/ not measured: {exc}")
        if "servers" in options.phases:
            bench.log("media-server write step (bench/media_servers.py)")
            try:
                results.server_steps = measure_server_writes(
                    bench.context("servers"), series=options.series, movies=options.movies
                )
            except BenchError as exc:
                results.problems.append(f"media-server write step: {exc}")
    for figure in results.scans.values():
        results.problems += figure.problems()
    results.load_after = os.getloadavg()
    results.total_seconds = time.perf_counter() - started
    return results


def compile_project() -> None:
    """Every module of the project compiled once, as a user's Python caches them (or the
    image's build does): a shell with PYTHONDONTWRITEBYTECODE set, inherited by every
    step, would otherwise have each timed process compile them again (0.1-0.2 s)."""
    for package in ("taggarr", "scanner", "api"):
        compileall.compile_dir(REPO / package, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    if options.work and options.work.exists() and any(options.work.iterdir()):
        print(f"--work {options.work} is not empty", file=sys.stderr)
        return 2
    work = options.work or Path(tempfile.mkdtemp(prefix="taggarr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    keep = options.keep
    # SIGTERM unwinds like Ctrl-C: the share is unmounted, every process stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    several = len(options.scales) > 1
    all_results: list[Results] = []
    texts: list[str] = []
    for series in options.scales:
        one = at_scale(options, series)
        folder = work / f"scale-{series}" if several else work
        folder.mkdir(parents=True, exist_ok=True)
        try:
            results = run(one, folder)
        except BenchError as exc:
            print(f"benchmark stopped: {exc}\nlogs: {folder}", file=sys.stderr)
            if texts and not options.no_record:  # the scales already measured are kept
                append_results("\n".join(texts))
            return 2
        text = render(results)
        print(text, flush=True)
        texts.append(text)
        all_results.append(results)
    if several:
        command = repeat_command(options)
        if options.phases != set(DEFAULT_PHASES):
            command += " --phases " + ",".join(p for p in PHASES if p in options.phases)
        text = render_scales(all_results, command)
        print(text)
        texts.append(text)
    if not options.no_record:
        append_results("\n".join(texts))
    problems = [problem for results in all_results for problem in results.problems]
    if problems:
        keep = True
        print(f"{len(problems)} problems (listed above); logs kept in {work}")
    mounted = [folder / "share" for folder in (work, *work.glob("scale-*"))]
    if not keep and not any(share.is_mount() for share in mounted):  # never delete through one
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
