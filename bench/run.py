"""The whole system at the scale users have, against the floor (see bench/README.md).

    .venv/bin/python bench/run.py                 # 2,000 series x 15 episodes + 500 movies
    .venv/bin/python bench/run.py --scale 400     # 400 series + 100 movies
    .venv/bin/python bench/run.py --tiny --no-record   # CI: 20 series + 5 movies, no share

Makes the library (bench/make_library.py), starts the project's fake Sonarr and
Radarr with realistic latency, mounts the library a second time as a NAS share
(bench/slowfs.c, 0.5 ms a call; --share-delay-ms), then measures on local disk and
on the share: the floor, first scans inline and through 2 Celery worker processes,
rescans, *arr requests, SQL statements per item, worker peak RSS; webhook -> tag
latency; the *arr audio sources (``arr``: nothing opened; ``hybrid``: only the files
in doubt read), on a throwaway PostgreSQL database and Redis database index. Prints
the table and appends it to bench/RESULTS.md. Exit status 1 when a tag, a probe
count or a file opened is wrong (the benchmark is also a correctness check at
scale); timings never fail it.
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
from bench.phases import API_KEY, Phase, inline_phase, workers_phase
from bench.report import append_results, render
from bench.results import Results
from bench.scans import Context
from bench.server_writes import measure_server_writes
from bench.services import BenchError, RedisIndex, ThrowawayDatabase
from bench.share import Share, mount_share

PHASES = ("files", "hosts", "arr", "hybrid", "api", "servers")
# hosts needs root (network and mount namespaces): run only when asked for.
DEFAULT_PHASES = tuple(p for p in PHASES if p != "hosts")


def django_env(data_dir: Path, database_url: str, redis_url: str) -> dict[str, str]:
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
        TAGGARR_WORKER_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="taggarr.settings",
    )
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
        self.redis.flush()
        data = self.work / f"data-{name}"
        url = f"sqlite:///{data / 'inline.sqlite3'}" if sqlite else self.database.url
        env = django_env(data, url, self.options.redis)
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
        phase = Phase(results, bench.log, options.webhooks)
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


def repeat_command(options: argparse.Namespace) -> str:
    size = "--tiny" if options.tiny else f"--scale {options.scale}"
    extra = " --inline-db sqlite" if options.inline_db == "sqlite" else ""
    extra += " --share-listing-attrs" if options.share_listing_attrs else ""
    return (
        f".venv/bin/python bench/run.py {size} --share-delay-ms {options.share_delay_ms:g}{extra}"
    )


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000, help="series (default 2000)")
    parser.add_argument("--episodes", type=int, default=15, help="per series (default 15)")
    parser.add_argument("--movies", type=int, help="default: scale / 4 (500 at 2000)")
    parser.add_argument("--tiny", action="store_true", help="CI: 20 series, 5 movies, no share")
    parser.add_argument(
        "--share-delay-ms",
        type=float,
        help="the share's delay per file system call (default 0.5; 0 with --tiny: no share)",
    )
    parser.add_argument(
        "--share-listing-attrs",
        action="store_true",
        help="the share's listings carry attributes (NFS READDIRPLUS, SMB2): see bench/slowfs.c",
    )
    parser.add_argument(
        "--phases",
        default=",".join(DEFAULT_PHASES),
        help=f"comma-separated, of {', '.join(PHASES)} (default: all but hosts, which needs root)",
    )
    parser.add_argument("--inline-db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="server for the throwaway database taggarr_bench_<pid>",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/9",
        help="a Redis database index nobody else uses (flushed)",
    )
    parser.add_argument("--latency-ms", type=float, default=3.0, help="fake *arr, per request")
    parser.add_argument("--per-item-ms", type=float, default=0.5, help="fake *arr, per listed item")
    parser.add_argument("--webhooks", type=int, help="per audio source (20; 10 with --tiny)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args(argv)
    options.series = 20 if options.tiny else options.scale
    if options.movies is None:
        options.movies = 5 if options.tiny else options.series // 4
    if options.webhooks is None:
        options.webhooks = 10 if options.tiny else 20
    if options.share_delay_ms is None:
        options.share_delay_ms = 0.0 if options.tiny else 0.5
    options.phases = {p.strip() for p in options.phases.split(",") if p.strip()}
    if options.phases - set(PHASES):
        parser.error(f"--phases: unknown {', '.join(sorted(options.phases - set(PHASES)))}")
    return options


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
    try:
        results = run(options, work)
    except BenchError as exc:
        print(f"benchmark stopped: {exc}\nlogs: {work}", file=sys.stderr)
        return 2
    text = render(results)
    print(text)
    if not options.no_record:
        append_results(text)
    if results.problems:
        keep = True
        print(f"{len(results.problems)} problems (listed above); logs kept in {work}")
    if not keep and not (work / "share").is_mount():  # never delete through a mount
        shutil.rmtree(work, ignore_errors=True)
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
