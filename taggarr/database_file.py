"""The SQLite database file is its owner's alone (issue 92): it holds the sessions, the
users' password hashes and the stored secrets, encrypted.

Made 0600 before any connection opens it, whatever the umask (SQLite makes a new file
0644 under UMASK 022); SQLite gives its write-ahead log, shared memory and journal
(-wal, -shm, -journal) the database file's own mode when it makes them. A file an older
Taggarr made more open is made 0600 once, with a log line. Called as every process starts
(taggarr/apps.py), before anything connects.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

OWNER_ONLY = 0o600
COMPANIONS = ("-wal", "-shm", "-journal")


def sqlite_files(databases: Mapping[str, Mapping[str, Any]]) -> list[Path]:
    """The database files of the SQLite connections (not an in-memory one, nor a
    ``file:`` URI)."""
    found = []
    for database in databases.values():
        if database.get("ENGINE") != "django.db.backends.sqlite3":
            continue
        name = str(database.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            continue
        found.append(Path(name))
    return found


def keep_private(paths: Iterable[Path]) -> None:
    for path in paths:
        _create(path)
        for file in (path, *(path.with_name(path.name + tail) for tail in COMPANIONS)):
            _tighten(file)


def _create(path: Path) -> None:
    """A missing database file made empty (an empty file is an empty SQLite database)
    and 0600 from its first byte; one made meanwhile by another process is left to it.
    A folder that is not there is SQLite's to report, as it always has."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, OWNER_ONLY)
    except OSError:
        return
    try:
        os.fchmod(descriptor, OWNER_ONLY)  # exactly 0600, whatever the umask
    finally:
        os.close(descriptor)


def _tighten(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return  # not there (no -wal while no process has the database open)
    if not mode & 0o077:
        return
    try:
        path.chmod(mode & 0o700)
    except OSError as exc:
        logger.warning(
            "%s is readable by other accounts (mode %s) and could not be made its "
            "owner's only: %s",
            path, f"{mode:04o}", exc.strerror,
        )  # fmt: skip
        return
    logger.warning(
        "%s was readable by other accounts (mode %s): made its owner's only (%s)",
        path, f"{mode:04o}", f"{mode & 0o700:04o}",
    )  # fmt: skip
