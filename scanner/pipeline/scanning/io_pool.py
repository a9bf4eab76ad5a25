"""A bounded pool of I/O threads per process, for what waits on the disk or the share:
folder listings, stats, MediaInfo reads and NFO writes (libmediainfo is called through
ctypes, which releases the GIL while it reads).

On a NAS every file system call is a network round trip; one file, one folder at a
time, a scan spends its time waiting. TAGGARR_IO_THREADS of them in flight at once
hide that wait. Created on first use in each process (Celery's worker children are
forked: a pool made before the fork would have no threads in them).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings

from scanner.pipeline.scanning.local_disk import on_local_disks

In = TypeVar("In")
Out = TypeVar("Out")

_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None
_inside = threading.local()


def _mark() -> None:
    _inside.pool = True


def io_pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            executor = ThreadPoolExecutor(
                settings.IO_THREADS, thread_name_prefix="taggarr-io", initializer=_mark
            )
            _pool = (os.getpid(), executor)
        return _pool[1]


def map_on_io_threads(function: Callable[[In], Out], items: Iterable[In]) -> list[Out]:
    """``function`` over ``items`` on the I/O threads, results in order. Sequential for
    one item, or when called from an I/O thread (waiting there on the same pool could
    leave every thread waiting on work queued behind it)."""
    items = list(items)
    if len(items) <= 1 or settings.IO_THREADS <= 1 or getattr(_inside, "pool", False):
        return [function(item) for item in items]
    return list(io_pool().map(function, items))


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
