"""The log files of the data dir (``<data dir>/logs``), for the admin's log page.

Only regular files whose names look like the rotating handler's (``taggarr-web.log``,
``taggarr-web.log.3``) are listed, and only a listed name is ever opened: no name from
a request reaches the file system as a path. Symlinks are neither listed nor opened,
so nothing outside the folder can be read through one. What the files hold was
redacted when it was written (taggarr.logging).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

LOG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.log(?:\.[0-9]{1,4})?")


@dataclass(frozen=True, slots=True)
class LogFile:
    name: str
    size: int
    modified: datetime


def list_logs(folder: Path) -> list[LogFile]:
    """The log files in ``folder``, newest name first within a process kind."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        if not LOG_NAME.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
            continue  # is_file(follow_symlinks=False) is false for a symlink
        info = entry.stat(follow_symlinks=False)
        found.append(
            LogFile(entry.name, info.st_size, datetime.fromtimestamp(info.st_mtime, tz=UTC))
        )
    return sorted(found, key=lambda log: _sort_key(log.name))


def _sort_key(name: str) -> tuple[str, int]:
    base, _, number = name.partition(".log")
    return base, int(number.lstrip(".") or 0)


def open_log(folder: Path, name: str) -> BinaryIO | None:
    """The listed log file ``name`` opened for reading, or None when there is none.

    Opened relative to the folder itself (``dir_fd``), with O_NOFOLLOW, and checked to be
    a regular file after opening: a file swapped for a symlink or a FIFO between the
    listing and the opening is refused too (O_NONBLOCK: a FIFO never blocks the open).
    """
    if name not in {log.name for log in list_logs(folder)}:
        return None
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(name, flags, dir_fd=folder_fd)
    except OSError:
        return None  # rotated away, or replaced by a symlink meanwhile
    finally:
        os.close(folder_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")
