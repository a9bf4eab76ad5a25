"""The processes below a process, read from /proc (Linux): for the tests that start a
command and check that every process it started ends with it."""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> dict[int, tuple[int, str]]:
    """pid -> (its parent, its command line) of every process below ``pid``."""
    processes: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        processes[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    found: dict[int, tuple[int, str]] = {}
    below = {pid}
    while below:
        below = {child for child, (parent, _) in processes.items() if parent in below}
        found.update((child, processes[child]) for child in below)
    return found


def running(pid: int) -> bool:
    """Not ended: a process that ended but was not reaped yet (a zombie, "Z") has."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
