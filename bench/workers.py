"""The long-running processes of a phase: two Celery worker processes (their peak
memory sampled), Celery beat and gunicorn with 2 workers, each stopped by its own
process id when the ``with`` block ends."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.machine import REPO
from bench.scans import Context
from bench.services import PeakRss, Service, answers, log_says, start_service

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


WORKER_PROCESSES = 2  # one per core of the benchmark's machine


@contextlib.contextmanager
def celery_worker(context: Context, log_name: str) -> Iterator[list[PeakRss]]:
    """Two ``celery -A taggarr worker`` processes (each scans TAGGARR_WORKER_CONCURRENCY
    items at once on threads, the default); yields their peak RSS samplers. Started
    through bench/counted_worker.py: the statements they send are counted in
    ``context.worker_sql`` while they run (bench/scans.py reads them around a scan)."""
    counts = context.work / f"{log_name}-sql"
    started: list[tuple[Service, PeakRss]] = []
    try:
        for number in range(WORKER_PROCESSES):
            command = [
                sys.executable, str(REPO / "bench" / "counted_worker.py"), str(counts),
                "worker", "--without-mingle", "--without-gossip",
                "--hostname", f"bench-{os.getpid()}-{number}@%h",
            ]  # fmt: skip
            worker = start_service(
                f"celery worker {number + 1}",
                command,
                context.env,
                context.work / f"{log_name}-{number + 1}.log",
                ready=log_says(" ready."),
                cwd=REPO,
            )
            started.append((worker, PeakRss(worker.pid).start()))
        context.worker_sql = counts
        context.worker_logs = [
            context.work / f"{log_name}-{number + 1}.log" for number in range(WORKER_PROCESSES)
        ]
        yield [rss for _, rss in started]
    finally:
        context.worker_sql = None
        context.worker_logs = []
        for worker, rss in started:
            worker.stop()
            rss.stop()


@contextlib.contextmanager
def celery_beat(context: Context, log_name: str) -> Iterator[None]:
    """``celery -A taggarr beat``: its tick (every SCHEDULE_TICK_SECONDS) sends the work of
    stalled runs again, with the settings' defaults."""
    command = [str(BIN / "celery"), "-A", "taggarr", "beat"]
    beat = start_service(
        "celery beat",
        command,
        context.env,
        context.work / f"{log_name}.log",
        ready=log_says("beat: Starting..."),
        cwd=REPO,
    )
    try:
        yield
    finally:
        beat.stop()


@contextlib.contextmanager
def web_server(
    context: Context, log_name: str, peaks: list[PeakRss] | None = None
) -> Iterator[str]:
    """gunicorn with 2 workers; yields its URL. With ``peaks``: its processes' peak RSS
    sampled from start to stop, appended there."""
    url = f"http://127.0.0.1:{free_port()}"
    command = [
        str(BIN / "gunicorn"), "taggarr.wsgi", "--bind", url.removeprefix("http://"),
        "--workers", "2",
    ]  # fmt: skip
    web = start_service(
        "gunicorn",
        command,
        context.env,
        context.work / f"{log_name}.log",
        ready=answers(f"{url}/healthz"),
        cwd=REPO,
    )
    rss = PeakRss(web.pid).start() if peaks is not None else None
    try:
        yield url
    finally:
        if rss is not None and peaks is not None:
            rss.stop()  # its last sample before the processes go
            peaks.append(rss)
        web.stop()
