"""A real Celery worker process for tests, on the test database and the same broker.

The worker is a separate process started with the ``celery`` command, exactly as
users run it; readiness is read from its log ("ready."), never waited for by sleeping.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

# Deadlines for what a worker logs: generous, as on a loaded machine (CI runs the
# suite on every core) a step that takes a second alone may take tens. A test waits
# for a log line, never for time to pass: these only bound a test that would hang.
READY_TIMEOUT = 180
LOG_TIMEOUT = 180
# What celery ends on as a warm (TERM, INT) or cold (QUIT) shutdown.
SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
# Messages that end a worker's wait for one: one for the wait the signal came in, one for
# the last turn its loop takes after it (see wake_workers).
WAKE_UPS = 2


def live_database_url() -> str:
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
        self._saw_ready = False  # the event is also set when the output ends
        self._changed = threading.Condition()
        self._signalled = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.output.append(line)
                self._changed.notify_all()
            if " ready." in line:
                self._saw_ready = True
                self._ready.set()
        self._ready.set()  # the process ended: stop waiting
        with self._changed:
            self._changed.notify_all()

    def wait_ready(self) -> None:
        # The output ending is no start: the process may not have been reaped yet.
        started = self._ready.wait(READY_TIMEOUT) and self._saw_ready
        if not started or self.process.poll() is not None:
            raise RuntimeError("worker did not start:\n" + "".join(self.output[-40:]))

    def wait_for(self, pattern: str, *, count: int = 1, timeout: float = LOG_TIMEOUT) -> str:
        """Block until the worker has logged ``count`` lines matching ``pattern``."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matches = [line for line in self.output if regex.search(line)]
                if len(matches) >= count:
                    return matches[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._reader.is_alive():
                    tail = "".join(self.output[-40:])
                    raise AssertionError(f"worker never logged {pattern!r} x{count}:\n{tail}")
                self._changed.wait(remaining)

    def count(self, pattern: str) -> int:
        regex = re.compile(pattern)
        with self._changed:
            return sum(1 for line in self.output if regex.search(line))

    @property
    def pid(self) -> int:
        return self.process.pid

    def request_stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal once: a second SIGTERM would turn celery's warm shutdown into a cold one."""
        if not self._signalled and self.process.poll() is None:
            self._signalled = True
            self.process.send_signal(sig)
            if sig in SHUTDOWN_SIGNALS:
                wake_workers()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = LOG_TIMEOUT) -> int:
        self.request_stop(sig)
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        return code


@contextmanager
def celery_worker(
    *,
    concurrency: int = 1,
    extra_env: dict[str, str] | None = None,
    without: tuple[str, ...] = (),
    include: tuple[str, ...] = (),
) -> Iterator[WorkerProcess]:
    """``without`` names environment variables the worker must not see (e.g. REDIS_URL);
    ``include``: modules the worker imports at its start (Celery's ``--include``: a
    test's fault injection, tests/share_hang.py)."""
    env = {
        **os.environ,
        "DATABASE_URL": live_database_url(),
        "TAGGARR_LOG_LEVEL": "info",
        **(extra_env or {}),
    }
    for name in without:
        env.pop(name, None)
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
        *(["--include", ",".join(include)] if include else []),
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
        worker.stop(signal.SIGTERM)


def wake_workers() -> None:
    """A ping to every worker on this process's broker, twice, without an answer: the
    workers that were just told to shut down end the seconds they would otherwise wait
    doing nothing; a shutdown is no different for it (a warm one still lets the tasks
    in hand end).

    With the embedded broker (no event loop) celery's loop waits two seconds for a
    message before it looks at the shutdown flag, and once the flag is up it still
    takes one more turn, another two seconds (celery/worker/loops.py, synloop:
    ``maybe_shutdown()`` then, in its ``finally``, ``drain_events(timeout=2.0)``): a
    stop took 3 to 5 s. A message ends each wait; the ping is the one every worker
    takes and answers nothing to (``reply=False``), so a worker still running takes it
    as nothing at all. A worker started on another broker (``extra_env``, ``without``)
    does not get it and stops as slowly as before."""
    from taggarr.celery import app

    for _ in range(WAKE_UPS):
        with contextlib.suppress(Exception):  # no broker: nothing to wake
            app.control.broadcast("ping", reply=False)


def task_done(task: str) -> str:
    """The worker's log line for a task that ran to its end (returned or raised)."""
    return rf"Task scanner\.tasks\.{task}\[[^\]]+\] (succeeded|raised|retry)"


def run_finished(run_id: int) -> str:
    return rf"scan #{run_id} of .* (finished|failed)"


@contextmanager
def database_write_lock(table: str, row_id: int) -> Iterator[None]:
    """Hold a lock, from another connection, that stops a worker writing that row.

    PostgreSQL locks the one row; SQLite can only lock the whole database, which
    stops every write of the worker: either way the item in hand cannot finish.
    """
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        other = sqlite3.connect(settings["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        other = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
        )
        other.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [row_id])  # noqa: S608
    try:
        yield
    finally:
        other.rollback()
        other.close()
