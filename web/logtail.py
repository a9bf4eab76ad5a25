"""The last lines of a log file, filtered by level, for the admin's log viewer.

Only the file's end is read (TAIL_BYTES), through web.logfiles.open_log, so the viewer
opens exactly the files the list offers. A line without a level of its own (a
traceback's) takes the level of the line it follows."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from web.logfiles import open_log

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TAIL_BYTES = 512 * 1024
LEVEL_WORD = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")


@dataclass(frozen=True, slots=True)
class LogLine:
    level: str
    text: str


def tail(folder: Path, name: str, *, lines: int, level: str = "DEBUG") -> list[LogLine] | None:
    """The last ``lines`` lines at ``level`` or above; None when ``name`` is not a listed
    log file."""
    handle = open_log(folder, name)
    if handle is None:
        return None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        handle.seek(max(0, size - TAIL_BYTES))
        data = handle.read(TAIL_BYTES)
    text = data.decode("utf-8", errors="replace")
    raw = text.splitlines()
    if size > TAIL_BYTES and raw:
        raw = raw[1:]  # the first line was cut by the seek
    floor = LEVELS.index(level) if level in LEVELS else 0
    found, current = [], "INFO"
    for line in raw:
        match = LEVEL_WORD.search(line[:80])
        current = match.group(1) if match else current
        if LEVELS.index(current) >= floor:
            found.append(LogLine(current, line))
    return found[-lines:]
