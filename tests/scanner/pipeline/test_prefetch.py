"""The background folder listing that overlaps the *arr's list request."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from scanner.engine import library
from scanner.errors import StorageError
from scanner.pipeline.scanning import prefetch as prefetch_module
from scanner.pipeline.scanning.prefetch import FolderPrefetch
from tests.library import Library


def _listed_folders(monkeypatch) -> list[str]:
    """The names of the folders listed from now on, in order."""
    listed: list[str] = []
    real = prefetch_module.discover_series

    def counting(root: Path, each=None):
        listed.append(root.name)
        return real(root, each)

    monkeypatch.setattr(prefetch_module, "discover_series", counting)
    return listed


def test_known_folders_are_listed_once_in_the_background(tv_library: Library, monkeypatch) -> None:
    calls = _listed_folders(monkeypatch)
    dubbed, half = str(tv_library.folder("Anime Dubbed")), str(tv_library.folder("Anime Half"))
    prefetch = FolderPrefetch([(dubbed, "series"), (half, "series")])
    try:
        listed = prefetch.discovery(dubbed, "series")
        assert [f.relpath for f in listed.files] == [
            p.relative_to(dubbed).as_posix() for p in tv_library.files["Anime Dubbed"]
        ]
        prefetch.discovery(half, "series")
        assert sorted(calls) == ["Anime Dubbed", "Anime Half"]  # each listed once, up front
        prefetch.discovery(str(tv_library.folder("Anime Wrong")), "series")  # not known: now
        assert calls[-1] == "Anime Wrong"
    finally:
        prefetch.close()


def test_at_most_a_window_of_listings_waits_ahead_and_each_is_dropped_once_taken(
    tv_library: Library, monkeypatch
) -> None:
    listed = _listed_folders(monkeypatch)
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: True)
    names = ["Anime Dubbed", "Anime Half", "Anime Wrong"]
    folders = [(str(tv_library.folder(name)), "series") for name in names]
    prefetch = FolderPrefetch(folders, window=1)
    try:
        first, second, third = (path for path, _ in folders)
        assert prefetch.discovery(first, "series").files
        # Taking the first let the second go ahead; the third waits its turn.
        assert "Anime Wrong" not in listed
        prefetch.passed(second)  # the plan did not need it (cancelled if not started)
        prefetch.discovery(third, "series")
        assert listed.count("Anime Wrong") == 1 and listed.count("Anime Half") <= 1
        prefetch.discovery(first, "series")  # taken already: listed again, now
        assert listed.count("Anime Dubbed") == 2
    finally:
        prefetch.close()


def test_a_folder_asked_for_before_its_turn_is_listed_once(tv_library: Library, monkeypatch):
    listed = _listed_folders(monkeypatch)
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: True)
    folders = [(str(tv_library.folder(n)), "series") for n in ("Anime Dubbed", "Anime Half")]
    prefetch = FolderPrefetch(folders, window=1)
    try:
        prefetch.discovery(folders[1][0], "series")  # out of order: listed now
        prefetch.discovery(folders[0][0], "series")
        assert sorted(listed) == ["Anime Dubbed", "Anime Half"]
    finally:
        prefetch.close()


def test_a_missing_known_folder_raises_for_the_caller(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone")
    prefetch = FolderPrefetch([(gone, "series")])
    try:
        with pytest.raises(StorageError):
            prefetch.discovery(gone, "series")
    finally:
        prefetch.close()


def _walking_threads(tv_library: Library, monkeypatch, together: int = 1) -> set[str]:
    """The threads that listed two known folders; ``together``: how many listings must
    be under way at once before any goes on (a pool running them one by one would never
    get there: the barrier breaks and the listing fails)."""
    threads: set[str] = set()
    real = prefetch_module.discover_series
    barrier = threading.Barrier(together, timeout=30)

    def recording(root: Path, each=None):
        threads.add(threading.current_thread().name)
        barrier.wait()
        return real(root, each)

    monkeypatch.setattr(prefetch_module, "discover_series", recording)
    names = ("Anime Dubbed", "Anime Half")
    folders = [(str(tv_library.folder(name)), "series") for name in names]
    prefetch = FolderPrefetch(folders)
    try:
        for path, kind in folders:
            assert prefetch.discovery(path, kind).files
    finally:
        prefetch.close()
    return threads


def test_on_a_local_disk_the_folders_are_listed_on_one_thread(tv_library: Library, monkeypatch):
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: True)
    assert _walking_threads(tv_library, monkeypatch) == {"taggarr-walk_0"}


def test_on_a_share_the_folders_are_listed_on_the_io_threads(tv_library: Library, monkeypatch):
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: False)
    threads = _walking_threads(tv_library, monkeypatch, together=2)
    assert len(threads) == 2 and all(name.startswith("taggarr-io") for name in threads)


def _stats_ahead(monkeypatch) -> list[tuple[str, str]]:
    """(entry, thread) of every stat the walk runs ahead of its own."""
    seen: list[tuple[str, str]] = []
    real = library._stat_quietly

    def recording(entry):
        seen.append((entry.name, threading.current_thread().name))
        real(entry)

    monkeypatch.setattr(library, "_stat_quietly", recording)
    return seen


def test_on_a_share_an_items_folders_are_stated_on_the_io_threads(
    tv_library: Library, monkeypatch
) -> None:
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: False)
    seen = _stats_ahead(monkeypatch)
    folder = tv_library.folder("Anime Dubbed")
    discovery = prefetch_module.discover(str(folder), "series", stats_at_once=True)
    files = [path.relative_to(folder) for path in tv_library.files["Anime Dubbed"]]
    walked = {path.parent.name for path in files} | {path.name for path in files}
    assert sorted(name for name, _ in seen) == sorted(walked)  # 2 seasons, 2 files each
    assert all(thread.startswith("taggarr-io") for _, thread in seen)
    assert discovery == prefetch_module.discover(str(folder), "series")


def test_the_plan_lists_without_stating_ahead(tv_library: Library, monkeypatch) -> None:
    # Its listings overlap with each other already (a thread per folder on a share).
    monkeypatch.setattr(prefetch_module, "on_local_disks", lambda folders: False)
    seen = _stats_ahead(monkeypatch)
    prefetch_module.discover(str(tv_library.folder("Anime Dubbed")), "series")
    assert seen == []
