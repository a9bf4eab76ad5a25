"""A bounded pool of I/O threads per process, for what waits on the disk or the share:
folder listings, stats, MediaInfo reads and NFO writes (libmediainfo is called through
ctypes, which releases the GIL while it reads).

On a NAS every file system call is a network round trip; one file, one folder at a
time, a scan spends its time waiting. TAGGARR_IO_THREADS of them in flight at once
hide that wait. Created on first use in each process (Celery's worker children are
forked: a pool made before the fork would have no threads in them). Daemon threads, each
result waited for until the step's hold limit (scanner.runtime.hold): a share that
stops answering ends the step with that reason, and the thread blocked on it is
abandoned, never joined.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings

from scanner.pipeline.scanning.local_disk import on_local_disks
from scanner.runtime.hold import DaemonThreads, map_within_hold

In = TypeVar("In")
Out = TypeVar("Out")

_lock = threading.Lock()
_pool: tuple[int, DaemonThreads] | None = None
_inside = threading.local()


def _mark() -> None:
    _inside.pool = True


def io_pool() -> DaemonThreads:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            executor = DaemonThreads(settings.IO_THREADS, "taggarr-io", initializer=_mark)
            _pool = (os.getpid(), executor)
        return _pool[1]


def map_on_io_threads(
    function: Callable[[In], Out], items: Iterable[In], where: Callable[[In], str] = str
) -> list[Out]:
    """``function`` over ``items`` on the I/O threads, results in order, each by the step's
    hold limit (ShareUnanswered past it; ``where``: what an item waits on, for the
    reason). Sequential when called from an I/O thread (waiting there on the same pool
    could leave every thread waiting on work queued behind it; the outer wait bounds it)."""
    items = list(items)
    if getattr(_inside, "pool", False):
        return [function(item) for item in items]
    return map_within_hold(io_pool(), function, items, where)


def map_in_folder(function: Callable[[In], Out], items: Iterable[In], folder: str) -> list[Out]:
    """``function`` over ``items``, each waiting on ``folder``'s file system (an item's
    MediaInfo reads). On a share, on the I/O threads: their waits overlap. On a local
    disk, one after another: there is no wait to hide, and threads reading with
    libmediainfo contend for its lock (more CPU a file: bench/README.md, "Full scans"),
    while the worker's other processes keep the other cores busy (in the inline scan,
    the items it reads side by side)."""
    items = list(items)
    if len(items) > 1 and not getattr(_inside, "pool", False) and on_local_disks([folder]):
        return [function(item) for item in items]
    return map_on_io_threads(function, items)
