"""Lists the known item folders in a background thread while the *arr answers.

The library list of a large Sonarr takes seconds to arrive; walking 2,000 item
folders takes about as long and needs nothing from that answer (the folders of
known items are in the database). Overlapping the two nearly halves a rescan.
The thread only reads the file system; every database access stays in the caller.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from scanner.engine.library import Discovery, discover_movie, discover_series
from scanner.errors import StorageError
from scanner.models import Media

Listed = dict[str, Discovery | StorageError]


def discover(path: str, kind: str) -> Discovery:
    root = Path(path)
    return discover_series(root) if kind == Media.Kind.SERIES else discover_movie(root)


def _discover_all(folders: list[tuple[str, str]]) -> Listed:
    listed: Listed = {}
    for path, kind in folders:
        try:
            listed[path] = discover(path, kind)
        except StorageError as exc:  # kept: the caller decides what a missing folder means
            listed[path] = exc
    return listed


class FolderPrefetch:
    def __init__(self, folders: list[tuple[str, str]]) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="taggarr-prefetch")
        self._future: Future[Listed] = self._executor.submit(_discover_all, folders)
        self._kinds = dict(folders)

    def discovery(self, path: str, kind: str) -> Discovery:
        """The folder's listing: prefetched when the item was known, else listed now."""
        if self._kinds.get(path) == kind:
            found = self._future.result().get(path)
            if isinstance(found, StorageError):
                raise found
            if found is not None:
                return found
        return discover(path, kind)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
