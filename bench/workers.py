"""The long-running processes of a phase: a Celery worker with 2 processes (its peak
memory sampled), Celery beat and gunicorn with 2 workers, each stopped by its own
process id when the ``with`` block ends."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.scans import REPO, Context
from bench.services import PeakRss, answers, log_says, start_service

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


@contextlib.contextmanager
def celery_worker(context: Context, log_name: str) -> Iterator[PeakRss]:
    """``celery -A taggarr worker --concurrency 2``; yields its peak RSS sampler. Started
    through bench/counted_worker.py: the statements its processes send are counted in
    ``context.worker_sql`` while it runs (bench/scans.py reads them around a scan)."""
    counts = context.work / f"{log_name}-sql"
    command = [
        sys.executable, str(REPO / "bench" / "counted_worker.py"), str(counts),
        "worker", "--concurrency", "2",
        "--without-mingle", "--without-gossip", "--hostname", f"bench-{os.getpid()}@%h",
    ]  # fmt: skip
    worker = start_service(
        "celery worker",
        command,
        context.env,
        context.work / f"{log_name}.log",
        ready=log_says(" ready."),
        cwd=REPO,
    )
    rss = PeakRss(worker.pid).start()
    context.worker_sql = counts
    try:
        yield rss
    finally:
        context.worker_sql = None
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
