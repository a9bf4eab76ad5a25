"""What a benchmark run starts and stops: a throwaway PostgreSQL database, one Redis
database index, and processes (fake *arrs, Celery workers, gunicorn) with their logs.

Everything here is started by the benchmark and stopped by its own process id.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

from taggarr.celery import CONTROL_QUEUE, ITEMS_QUEUE

START_TIMEOUT = 60.0


class BenchError(RuntimeError):
    """The benchmark cannot go on (a service did not start, a step failed)."""


# --- PostgreSQL and Redis ------------------------------------------------------------


class ThrowawayDatabase:
    """``taggarr_bench_<pid>`` on the local server, created empty and dropped at the end."""

    def __init__(self, server_url: str, name: str) -> None:
        self.server_url = server_url
        self.name = name

    @property
    def url(self) -> str:
        return urlunsplit(urlsplit(self.server_url)._replace(path=f"/{self.name}"))

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        admin = urlunsplit(urlsplit(self.server_url)._replace(path="/postgres"))
        return psycopg.connect(admin, autocommit=True)

    def recreate(self) -> None:
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# Keys Celery/kombu (its queues: Taggarr's two lanes, and the default queue of a release
# before them) and Taggarr's cache put in Redis (settings.CACHE_KEY_PREFIX, in the
# broker's database; "taggarr:" in another before): a database holding anything else
# belongs to someone else and is not flushed.
_OUR_KEYS = (
    "celery",
    CONTROL_QUEUE,
    ITEMS_QUEUE,
    "_kombu.",
    "unacked",
    "taggarr-cache:",
    "taggarr:",
)


class RedisIndex:
    def __init__(self, url: str) -> None:
        self.url = url
        self._client = redis.Redis.from_url(url)

    def check_unused(self, grace: float = 0.0) -> None:
        """Nobody else may be connected to this database index: a Celery worker of another
        Taggarr on it would take the benchmark's tasks (and run them on its database).
        ``grace``: seconds to wait for the connections of processes just stopped to go."""
        index = self._client.connection_pool.connection_kwargs.get("db", 0)
        me = self._client.client_id()
        deadline = time.monotonic() + grace
        while True:
            others = [
                c
                for c in self._client.client_list()
                if int(c.get("db", -1)) == index and int(c["id"]) != me
            ]
            if not others or time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        if others:
            raise BenchError(
                f"{len(others)} other client(s) are connected to {self.url} "
                f"(e.g. {others[0].get('name') or others[0].get('addr')}): choose another --redis"
            )

    def flush(self) -> None:
        foreign = [key for key in self._client.scan_iter(count=1000) if not _ours(key)]
        if foreign:
            raise BenchError(
                f"{self.url} holds keys that are not Celery's or Taggarr's "
                f"(e.g. {foreign[0]!r}): choose another --redis-db"
            )
        self._client.flushdb()

    def close(self) -> None:
        self._client.close()


def _ours(key: bytes) -> bool:
    text = key.decode(errors="replace")
    return text.startswith(_OUR_KEYS)


# --- processes -------------------------------------------------------------------------


@dataclass
class Service:
    """A process started by the benchmark; output goes to ``log``."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM (Celery: warm shutdown), then SIGKILL to this process group if it hangs."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)  # its own session: only what it started
            return self.process.wait(timeout)


def start_service(
    name: str,
    command: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    *,
    ready: Callable[[Service], bool],
    cwd: Path | None = None,
    start_timeout: float = START_TIMEOUT,
) -> Service:
    handle = open(log, "wb")  # noqa: SIM115 - handed to the child, closed below
    try:
        process = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        handle.close()
    service = Service(name, process, log)
    deadline = time.monotonic() + start_timeout
    try:
        while not ready(service):
            if not service.alive() or time.monotonic() > deadline:
                raise BenchError(f"{name} did not start:\n{service.log_tail()}")
            time.sleep(0.05)
    except BaseException:  # also Ctrl-C or SIGTERM while it starts: not left running
        service.stop(5)
        raise
    return service


def log_says(text: str) -> Callable[[Service], bool]:
    def check(service: Service) -> bool:
        try:
            return text in service.log.read_text(errors="replace")
        except OSError:
            return False

    return check


def answers(url: str) -> Callable[[Service], bool]:
    def check(service: Service) -> bool:
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    return check


# --- peak memory ---------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (children of its main thread, recursively)."""
    found = []
    pending = [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _status_kib(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class PeakRss:
    """Samples VmHWM (peak resident set) of a process and its descendants until stopped.

    A Celery prefork child that is replaced takes its VmHWM with it, so the
    sampler keeps each pid's last reading: the peak of every process that lived.
    """

    root_pid: int
    interval: float = 0.2
    peaks_kib: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> PeakRss:
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for pid in descendants(self.root_pid):
            peak = _status_kib(pid, "VmHWM")
            if peak:
                self.peaks_kib[pid] = max(peak, self.peaks_kib.get(pid, 0))

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def main_kib(self) -> int:
        return self.peaks_kib.get(self.root_pid, 0)

    @property
    def child_kib(self) -> int:
        return max((kib for pid, kib in self.peaks_kib.items() if pid != self.root_pid), default=0)

    @property
    def processes(self) -> int:
        return len(self.peaks_kib)
