"""Django set up in a benchmark's own process on a throwaway data dir: SQLite and the
embedded broker (DATABASE_URL and REDIS_URL dropped), migrated, with the *arr retry
budget given. For the benchmarks that run one scenario in-process (hanging_arr.py,
hostile_items.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def embedded_django(prefix: str, arr_retry_seconds: int) -> Path:
    """Set up and migrate; the data dir (its worker subprocesses inherit the environment)."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        TAGGARR_DATA_DIR=str(data),
        TAGGARR_ARR_RETRY_SECONDS=str(arr_retry_seconds),
        DJANGO_SETTINGS_MODULE="taggarr.settings",
    )
    os.environ.setdefault("TAGGARR_LOG_LEVEL", "warning")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def scan_on_a_worker(run_id: int, name: str, give_up_after: float) -> float:
    """The run's plan sent to a real Celery worker started here (on the environment
    ``embedded_django`` set), polled in the database until the run ends or
    ``give_up_after`` seconds pass; the seconds it took. The worker is stopped after."""
    from scanner import tasks
    from scanner.models import ScanRun
    from scanner.pipeline.work import Plan

    repo = Path(__file__).resolve().parent.parent
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "taggarr", "worker", "--without-mingle",
         "--without-gossip", "--hostname", f"{name}-{os.getpid()}@%h"],
        cwd=repo, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = time.monotonic()
        tasks.enqueue(Plan(run_id))
        while ScanRun.objects.get(pk=run_id).status in ScanRun.ACTIVE:
            if time.monotonic() - started > give_up_after:
                break
            time.sleep(0.2)  # polling the database for the run's end
        return time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(120)
