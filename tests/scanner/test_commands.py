"""The start-up commands: ``bootstrap`` migrates under a lock that a second start waits
for; the Procfile (``make run``: honcho) runs web, worker and beat through the image's
entrypoint and stops them together; under ``make run`` (TAGGARR_RESTART_ON_EXIT=1) the
entrypoint starts the worker and beat again when they exit, so web stays up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from scanner.management.commands.bootstrap import MIGRATION_LOCK_ID
from tests.helpers import CHECKOUT, free_port
from tests.processes import descendants, running
from tests.worker import live_database_url

pytestmark = pytest.mark.django_db(transaction=True)


def _until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll a condition another process brings about (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": live_database_url(), "TAGGARR_DATA_DIR": str(data_dir)}


@contextmanager
def _migration_lock_held(data_dir: Path) -> Iterator[Callable[[int], bool]]:
    """Hold the lock ``bootstrap`` migrates under, from another connection or process;
    yields a check of whether a given process is waiting for it."""
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        other = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
            port=settings["PORT"] or None, autocommit=True,
        )  # fmt: skip
        other.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])

        def waiting(pid: int) -> bool:
            # The bootstrap's backend is not our pid; any ungranted advisory lock on the id is it.
            row = other.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objid = %s AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())",
                [MIGRATION_LOCK_ID & 0xFFFFFFFF],
            ).fetchone()
            return bool(row and row[0])

        try:
            yield waiting
        finally:
            other.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
            other.close()
        return
    import fcntl

    with open(data_dir / ".migrate.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)

        def waiting(pid: int) -> bool:
            # Blocked flock() waiters are listed with "->" in /proc/locks.
            return any(
                "->" in line and f" {pid} " in line
                for line in Path("/proc/locks").read_text().splitlines()
            )

        try:
            yield waiting
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def test_bootstrap_waits_for_the_migration_lock(tmp_path: Path) -> None:
    with _migration_lock_held(tmp_path) as waiting:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "bootstrap"],
            cwd=CHECKOUT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        try:
            _until(lambda: waiting(process.pid), "bootstrap to wait for the lock")
            assert process.poll() is None  # it does not migrate while another one does
        except BaseException:
            process.kill()
            raise
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "database is migrated" in output


def _role(command_line: str) -> str | None:
    if "gunicorn" in command_line:
        return "web"
    if "celery" in command_line:
        return "beat" if " beat" in command_line else "worker"
    return None


def _roles(pid: int) -> dict[str, int]:
    """The main process of each role below ``pid`` (gunicorn's master, celery's main
    process), not their pool processes."""
    found = descendants(pid)
    return {
        role: child
        for child, (parent, line) in found.items()
        if (role := _role(line)) and _role(found.get(parent, (0, ""))[1]) != role
    }


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def _procfile(
    data_dir: Path, *, restart: bool = False
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``honcho start`` of the Procfile, as ``make run`` starts it (``restart``: with the
    Makefile's TAGGARR_RESTART_ON_EXIT)."""
    port = free_port()
    env = {
        **_env(data_dir),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "TAGGARR_BIND": f"127.0.0.1:{port}",
        "TAGGARR_RESTART_ON_EXIT": "1" if restart else "0",
    }
    honcho = Path(sys.executable).with_name("honcho")
    process = subprocess.Popen(
        [str(honcho), "--procfile", "Procfile", "start"],
        cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        _until(lambda: _healthy(port), "the web server to answer", timeout=180)
        _until(lambda: len(_roles(process.pid)) == 3, "web, worker and beat", timeout=180)
        yield process, port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)


@pytest.mark.worker
def test_the_procfile_runs_web_worker_and_beat_and_ctrl_c_stops_all(tmp_path: Path) -> None:
    with _procfile(tmp_path) as (process, _port):
        everything = descendants(process.pid)
        assert sorted(_roles(process.pid)) == ["beat", "web", "worker"]
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        assert not any(running(pid) for pid in everything)


@pytest.mark.worker
def test_the_procfile_stops_everything_when_one_part_dies(tmp_path: Path) -> None:
    with _procfile(tmp_path) as (process, port):
        everything = descendants(process.pid)
        os.kill(_roles(process.pid)["beat"], signal.SIGKILL)
        assert process.wait(timeout=60) != 0
        output = process.stdout.read() if process.stdout else ""
        assert "beat.1 stopped" in output
        assert not _healthy(port)
        assert not any(running(pid) for pid in everything)


@pytest.mark.worker
def test_under_make_run_a_worker_that_exits_is_started_again_and_web_stays_up(
    tmp_path: Path,
) -> None:
    """Issue 69: the watchdog's exit of the worker stopped web and beat under honcho.
    With the Makefile's TAGGARR_RESTART_ON_EXIT the entrypoint starts the worker again
    (and beat), web answers throughout, and Ctrl-C still stops everything."""
    with _procfile(tmp_path, restart=True) as (process, port):
        first = _roles(process.pid)
        os.kill(first["worker"], signal.SIGKILL)
        os.kill(first["beat"], signal.SIGKILL)
        _until(
            lambda: (
                {"worker", "beat"} <= _roles(process.pid).keys()
                and _roles(process.pid)["worker"] != first["worker"]
                and _roles(process.pid)["beat"] != first["beat"]
            ),
            "the worker and beat started again",
            timeout=120,
        )
        assert process.poll() is None
        assert _healthy(port)
        assert _roles(process.pid)["web"] == first["web"]
        everything = descendants(process.pid)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        assert not any(running(pid) for pid in everything)
        output = process.stdout.read() if process.stdout else ""
    assert "exited with status" in output and "starting it again in 1 s" in output


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_the_entrypoint_starts_a_command_that_exits_again_until_stopped(
    tmp_path: Path,
) -> None:
    """No honcho needed: the entrypoint with the restart flag and a command that exits
    at once starts it again (with its backoff), and SIGTERM stops the loop, its command
    too, for good."""
    starts = tmp_path / "starts"
    command = (
        f'echo started >> "{starts}"; [ "$(wc -l < "{starts}")" -ge 2 ] && exec sleep 600; exit 3'
    )
    env = {**os.environ, "TAGGARR_RESTART_ON_EXIT": "1"}
    process = subprocess.Popen(
        ["sh", "docker/entrypoint.sh", "sh", "-c", command],
        cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        _until(lambda: _lines(starts) >= 2, "the command started again", timeout=60)
        _until(
            lambda: any("sleep 600" in line for _, line in descendants(process.pid).values()),
            "the second start to run",
        )
        below = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=60)
    assert "exited with status 3" in output and "starting it again in 1 s" in output
    assert _lines(starts) == 2  # stopped for good: not started a third time
    assert not any(running(pid) for pid in below)


def test_without_the_flag_the_entrypoint_runs_the_command_once(tmp_path: Path) -> None:
    """The image's way (compose restarts the container): the command replaces the
    script and its exit is the container's."""
    starts = tmp_path / "starts"
    done = subprocess.run(
        ["sh", "docker/entrypoint.sh", "sh", "-c", f'echo started >> "{starts}"; exit 3'],
        cwd=CHECKOUT, env={**os.environ, "TAGGARR_RESTART_ON_EXIT": "0"}, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 3
    assert _lines(starts) == 1
