"""Lists the known item folders on the I/O threads while the *arr answers.

The library list of a large Sonarr takes seconds to arrive; listing 2,000 item
folders takes about as long and needs nothing from that answer (the folders of
known items are in the database). Overlapping the two, and the listings with each
other (several folders in flight: on a NAS each listing waits on the network),
makes a rescan about as long as the longer of the two. On a local disk the folders
are listed one after another on a thread of their own (scanner.pipeline.scanning.local_disk).
The threads only read the file system; every database access stays in the caller.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Executor, Future
from pathlib import Path

from scanner.engine.library import Discovery, discover_movie, discover_series
from scanner.models import Media
from scanner.pipeline.scanning.io_pool import io_pool, map_on_io_threads
from scanner.pipeline.scanning.local_disk import on_local_disks
from scanner.runtime.hold import DaemonThreads, call_within_hold, within_hold


def discover(path: str, kind: str, *, stats_at_once: bool = False) -> Discovery:
    """The item folder's files, listed on a thread of its own within the step's hold
    limit (scanner.runtime.hold: ShareUnanswered when the share stops answering).
    ``stats_at_once``: on a share, a season folder's stats several at once on the I/O
    threads, for the one item a task scans (the plan's listings already overlap with each
    other); on a local disk there is no wait to hide. The mount table is read once for
    the item, not once per folder."""
    return call_within_hold(lambda: _discover(path, kind, stats_at_once=stats_at_once), path)


def _discover(path: str, kind: str, *, stats_at_once: bool = False) -> Discovery:
    root = Path(path)
    if kind != Media.Kind.SERIES:
        return discover_movie(root)  # one video a movie: nothing to overlap
    on_share = stats_at_once and not on_local_disks([path])
    return discover_series(root, map_on_io_threads if on_share else None)


# At most this many listings are held ahead of the plan (~5 KB each for 15 episodes):
# a library of 10,000 series would otherwise hold every folder's listing at once.
WINDOW = 2048


class FolderPrefetch:
    """The known folders listed ahead, in the order given (the plan passes them in the
    order their items were stored, which is the order the *arr lists them), at most
    ``window`` listings waiting to be taken; each is dropped once taken."""

    def __init__(self, folders: list[tuple[str, str]], window: int = WINDOW) -> None:
        self._queue = deque(folders)  # in order; some may have been taken already
        self._waiting = {path for path, _ in folders}  # not submitted, not taken
        self._window = max(1, window)
        self._own: DaemonThreads | None = None
        self._pool: Executor | None = None
        if folders and on_local_disks({os.path.dirname(path) for path, _ in folders}):
            # One thread: on a local disk more only queue for the GIL (local_disk.py).
            self._pool = self._own = DaemonThreads(1, "taggarr-walk")
        elif folders:
            self._pool = io_pool()
        self._futures: dict[str, tuple[str, Future[Discovery]]] = {}
        self._submit_more()

    def discovery(self, path: str, kind: str) -> Discovery:
        """The folder's listing: prefetched when the item was known, else listed now.
        Raises StorageError as ``discover`` does (ShareUnanswered: not listed within the
        step's hold limit)."""
        ahead = self._take(path)
        if ahead is not None and ahead[0] == kind:
            return within_hold(ahead[1], path)
        return discover(path, kind)

    def passed(self, path: str) -> None:
        """The plan decided the item without its listing: not needed any more."""
        ahead = self._take(path)
        if ahead is not None:
            ahead[1].cancel()

    def _take(self, path: str) -> tuple[str, Future[Discovery]] | None:
        ahead = self._futures.pop(path, None)
        self._waiting.discard(path)  # asked for before its turn: never listed ahead
        self._submit_more()
        return ahead

    def _submit_more(self) -> None:
        while self._pool is not None and self._queue and len(self._futures) < self._window:
            path, kind = self._queue.popleft()
            if path not in self._waiting:
                continue
            self._waiting.discard(path)
            self._futures[path] = (kind, self._pool.submit(_discover, path, kind))

    def close(self) -> None:
        self._queue.clear()
        self._waiting.clear()
        for _kind, future in self._futures.values():
            future.cancel()  # not started yet: not needed any more
        self._futures.clear()
        if self._own is not None:
            self._own.shutdown(wait=False)
