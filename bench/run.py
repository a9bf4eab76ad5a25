"""The whole system at the scale users have, against the floor (see bench/README.md).

    .venv/bin/python bench/run.py                 # 2,000 series x 15 episodes + 500 movies
    .venv/bin/python bench/run.py --scale 200     # 200 series + 50 movies
    .venv/bin/python bench/run.py --tiny --no-record   # CI: 20 series + 5 movies

Makes the library (bench/make_library.py), starts the project's fake Sonarr and
Radarr with realistic latency, then measures the floor, first scans inline and
through 2 Celery worker processes, rescans, *arr requests, SQL statements per
item, worker peak RSS and webhook -> tag latency, on a throwaway PostgreSQL
database and Redis database index. Prints the table and appends it to
bench/RESULTS.md. Exit status 1 when a tag or a probe count is wrong (the
benchmark is also a correctness check at scale); timings never fail it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_latency import measure_api_media
from bench.changes import touch_episodes
from bench.fakearr import start_fake
from bench.floor import measure_floor
from bench.make_library import build_library
from bench.report import Results, append_results, render
from bench.scans import REPO, Context, create_instances, migrate, scan, tag_mismatches
from bench.services import (
    BenchError,
    PeakRss,
    RedisIndex,
    ThrowawayDatabase,
    answers,
    log_says,
    start_service,
)
from bench.webhook_latency import measure_webhooks
from tests.media import MediaFactory

API_KEY = "bench-arr-api-key-0123456789"
TOUCH_SHARE = 0.01
BIN = Path(sys.executable).parent


def log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)


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


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def inline_phase(context: Context, results: Results, started: float) -> None:
    migrate(context)
    create_instances(context, API_KEY)
    log("first scan --inline", started)
    results.scans["inline first"] = scan(context, "inline first", inline=True)
    log("rescan --inline, nothing changed", started)
    results.scans["inline rescan"] = scan(context, "inline rescan", inline=True, expected_probes=[])
    touched = touch_episodes(context.manifest, TOUCH_SHARE, seed=1)
    log(f"rescan --inline after touching {len(touched)} episodes", started)
    results.scans["inline touched"] = scan(
        context, "inline touched", inline=True, expected_probes=[str(p) for p in touched]
    )


def workers_phase(
    context: Context, results: Results, options: argparse.Namespace, started: float
) -> None:
    migrate(context)
    tokens = create_instances(context, API_KEY)
    worker = start_service(
        "celery worker",
        [
            str(BIN / "celery"),
            "-A",
            "taggarr",
            "worker",
            "--concurrency",
            "2",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"bench-{os.getpid()}@%h",
        ],
        context.env,
        context.work / "worker.log",
        ready=log_says(" ready."),
        cwd=REPO,
    )
    results.rss = PeakRss(worker.pid).start()
    try:
        log("first scan, 2 worker processes", started)
        results.scans["workers first"] = scan(context, "workers first", inline=False)
        log("rescan through the workers, nothing changed", started)
        results.scans["workers rescan"] = scan(
            context, "workers rescan", inline=False, expected_probes=[]
        )
        touched = touch_episodes(context.manifest, TOUCH_SHARE, seed=2)
        log(f"rescan through the workers after touching {len(touched)} episodes", started)
        results.scans["workers touched"] = scan(
            context, "workers touched", inline=False, expected_probes=[str(p) for p in touched]
        )
        web_url = f"http://127.0.0.1:{free_port()}"
        web = start_service(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "taggarr.wsgi",
                "--bind",
                web_url.removeprefix("http://"),
                "--workers",
                "2",
            ],
            context.env,
            context.work / "web.log",
            ready=answers(f"{web_url}/healthz"),
            cwd=REPO,
        )
        try:
            log(f"{options.webhooks} webhooks, one at a time", started)
            factory = MediaFactory(context.manifest.root / "templates")
            results.webhooks = measure_webhooks(
                context.manifest,
                context.fakes["sonarr"],
                web_url,
                tokens["sonarr"],
                factory,
                count=options.webhooks,
            )
            results.problems += results.webhooks.failures
            results.problems += [f"after the webhooks: {m}" for m in tag_mismatches(context)]
        finally:
            web.stop()
    finally:
        worker.stop()
        results.rss.stop()


def run(options: argparse.Namespace, work: Path) -> Results:
    started = time.perf_counter()
    scale = f"{options.series} series x {options.episodes} episodes + {options.movies} movies"
    results = Results(scale=scale, inline_db=options.inline_db, load_before=os.getloadavg())
    log(f"library: {scale} in {work / 'library'}", started)
    manifest = build_library(
        work / "library", series=options.series, episodes=options.episodes, movies=options.movies
    )
    database = ThrowawayDatabase(options.postgres, f"taggarr_bench_{os.getpid()}")
    redis_index = RedisIndex(options.redis)
    redis_index.check_unused()
    redis_index.flush()
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(redis_index.close)
        cleanup.callback(redis_index.flush)
        cleanup.callback(database.drop)
        fakes = {}
        for app in ("sonarr", "radarr"):
            fakes[app] = start_fake(
                app,
                manifest.root / f"{app}-items.json",
                api_key=API_KEY,
                latency_ms=options.latency_ms,
                per_item_ms=options.per_item_ms,
                env=os.environ,
                log=work / f"fake-{app}.log",
            )
            cleanup.callback(fakes[app].service.stop)
        context = Context(manifest=manifest, fakes=fakes, work=work)
        log(f"floor: MediaInfo.parse over {len(manifest.counted_paths())} files", started)
        results.floor = measure_floor(manifest.counted_paths())

        if options.inline_db == "postgres":
            database.recreate()
            inline_url = database.url
        else:
            inline_url = f"sqlite:///{work / 'data' / 'inline.sqlite3'}"
        context.env = django_env(work / "data", inline_url, options.redis)
        inline_phase(context, results, started)

        for app, fake in fakes.items():  # an untagged library again: a first scan
            fake.reset_library(json.loads((manifest.root / f"{app}-items.json").read_text()))
        database.recreate()
        redis_index.flush()
        context.env = django_env(work / "data-workers", database.url, options.redis)
        workers_phase(context, results, options, started)
        log("/api/media/ latency (bench/api_media.py)", started)
        try:
            results.api_media = measure_api_media(context, tiny=options.tiny)
        except BenchError as exc:
            results.problems.append(f"/api/media/ not measured: {exc}")
    for figure in results.scans.values():
        results.problems += figure.problems()
    results.load_after = os.getloadavg()
    results.total_seconds = time.perf_counter() - started
    return results


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=2000, help="series (default 2000)")
    parser.add_argument("--episodes", type=int, default=15, help="per series (default 15)")
    parser.add_argument("--movies", type=int, help="default: scale / 4 (500 at 2000)")
    parser.add_argument("--tiny", action="store_true", help="CI: 20 series, 5 movies")
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
    parser.add_argument("--webhooks", type=int, default=20)
    parser.add_argument("--work", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args(argv)
    options.series = 20 if options.tiny else options.scale
    if options.movies is None:
        options.movies = 5 if options.tiny else options.series // 4
    return options


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    if options.work and options.work.exists() and any(options.work.iterdir()):
        print(f"--work {options.work} is not empty", file=sys.stderr)
        return 2
    work = options.work or Path(tempfile.mkdtemp(prefix="taggarr-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    keep = options.keep
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
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
