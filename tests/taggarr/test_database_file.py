"""The SQLite database holds the sessions: its file, and the -wal and -shm files SQLite
makes beside it, are readable by their owner only whatever the umask (issue 92), and a
new data dir is its owner's only. A file an older Taggarr made more open is made 0600
as a process starts, with a log line (taggarr/database_file.py).

Real processes under UMASK 022 (the image's): ``manage.py migrate`` on a fresh data dir,
then a plain SQLite client writing to the database it made."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from tests.helpers import CHECKOUT

# A process writing to the database in WAL mode, as web, worker and beat do: while it is
# open the -wal and -shm files are there; their modes, and the database's.
_WRITE_AND_LIST = """
import os, sqlite3, stat, sys
path = sys.argv[1]
with sqlite3.connect(path) as db:
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS written (x)")
    db.execute("INSERT INTO written VALUES (1)")
    db.commit()
    for tail in ("", "-wal", "-shm"):
        print(tail or "db", oct(stat.S_IMODE(os.stat(path + tail).st_mode)))
"""


# Left out of the processes' environment: the defaults' SQLite database in the data dir
# (CI points DATABASE_URL at PostgreSQL).
_ANOTHER_DATABASE = {"DATABASE_URL", "DATABASE_URL_FILE", "TAGGARR_DATABASE_PASSWORD"}


def _env(data_dir: Path) -> dict[str, str]:
    """On the defaults: the SQLite database in the data dir."""
    return {
        **{
            name: value
            for name, value in os.environ.items()
            if name.removesuffix("_FILE") not in _ANOTHER_DATABASE
        },
        "TAGGARR_DATA_DIR": str(data_dir),
        "TAGGARR_LOG_LEVEL": "info",
    }


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=CHECKOUT, env=env, capture_output=True, text=True, timeout=300, check=False,
        umask=0o022,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_dir_and_its_database_are_their_owners_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "config"  # not there yet: the settings make it
    _run("manage.py", "migrate", "--verbosity", "0", env=_env(data_dir))
    database = data_dir / "taggarr.sqlite3"
    assert _mode(data_dir) == 0o700
    assert _mode(database) == 0o600  # 0644 under UMASK 022 before
    with sqlite3.connect(database) as db:  # migrated indeed: it holds the sessions
        assert db.execute("SELECT count(*) FROM django_session").fetchone() == (0,)
    db.close()

    written = _run("-c", _WRITE_AND_LIST, str(database), env=_env(data_dir)).stdout.split()
    assert dict(zip(written[::2], written[1::2], strict=True)) == {
        "db": "0o600",
        "-wal": "0o600",
        "-shm": "0o600",
    }


def test_a_database_made_readable_by_everyone_is_made_its_owners_only(tmp_path: Path) -> None:
    """A database an older Taggarr made under UMASK 022, opened by a process (its -wal
    and -shm there too, as open as the database): the next start makes all three 0600
    and says so."""
    data_dir = tmp_path / "config"
    data_dir.mkdir()
    database = data_dir / "taggarr.sqlite3"
    with sqlite3.connect(database) as open_elsewhere:
        open_elsewhere.execute("PRAGMA journal_mode=WAL")
        open_elsewhere.execute("CREATE TABLE kept (x)")
        open_elsewhere.execute("INSERT INTO kept VALUES (1)")
        open_elsewhere.commit()
        files = [database, *(data_dir / f"taggarr.sqlite3{tail}" for tail in ("-wal", "-shm"))]
        for path in files:
            path.chmod(0o644)

        started = _run("manage.py", "check", env=_env(data_dir))

        assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
        assert f"{database} was readable by other accounts (mode 0644)" in started.stderr
        # The rows are untouched, and the database still works.
        assert open_elsewhere.execute("SELECT x FROM kept").fetchall() == [(1,)]
    open_elsewhere.close()

    # Once: a later start finds nothing to change and says nothing of it.
    again = _run("manage.py", "check", env=_env(data_dir))
    assert "readable by other accounts" not in again.stderr
