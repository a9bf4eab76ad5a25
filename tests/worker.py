"""A real Celery worker process for tests, on the test database and the same broker.

The worker is a separate process started with the ``celery`` command, exactly as
users run it; readiness is read from its log ("ready."), never waited for by sleeping.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

READY_TIMEOUT = 60


def test_database_url() -> str:
    """The URL of the database the tests use right now (pytest-django's test DB)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{settings['NAME']}"))


class WorkerProcess:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.output: list[str] = []
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()
        self._ready.set()  # the process ended: stop waiting

    def wait_ready(self) -> None:
        if not self._ready.wait(READY_TIMEOUT) or self.process.poll() is not None:
            raise RuntimeError("worker did not start:\n" + "".join(self.output[-40:]))

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        return code


@contextmanager
def celery_worker(
    *, concurrency: int = 1, extra_env: dict[str, str] | None = None
) -> Iterator[WorkerProcess]:
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "TAGGARR_LOG_LEVEL": "info",
        **(extra_env or {}),
    }
    celery = Path(sys.executable).with_name("celery")
    command = [
        str(celery),
        "-A",
        "taggarr",
        "worker",
        "--concurrency",
        str(concurrency),
        "--without-mingle",
        "--without-gossip",
        "--hostname",
        f"test-{os.getpid()}@%h",
    ]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    worker = WorkerProcess(process)
    try:
        worker.wait_ready()
        yield worker
    finally:
        if process.poll() is None:
            worker.stop(signal.SIGTERM)
