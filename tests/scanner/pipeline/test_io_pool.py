"""Where an item's reads run: on the I/O threads on a share, one after another on a
local disk."""

from __future__ import annotations

import threading
from pathlib import Path

from scanner.pipeline.scanning import io_pool
from scanner.pipeline.scanning.io_pool import map_in_folder, map_on_io_threads


def _thread_name(item: int) -> tuple[int, str]:
    return item, threading.current_thread().name


def test_on_a_local_disk_an_items_reads_run_on_the_calling_thread(
    tmp_path: Path, monkeypatch
) -> None:
    # What the mount table says of tmp_path depends on the machine (a chroot may have
    # none): the table is read in test_local_disk.py; here it says "local disk".
    monkeypatch.setattr(io_pool, "on_local_disks", lambda folders: True)
    results = map_in_folder(_thread_name, range(4), str(tmp_path))
    assert results == [(item, threading.current_thread().name) for item in range(4)]


def test_on_a_share_an_items_reads_run_on_the_io_threads(monkeypatch) -> None:
    monkeypatch.setattr(io_pool, "on_local_disks", lambda folders: False)
    results = map_in_folder(_thread_name, range(4), "/mnt/nas/tv/Show")
    assert [item for item, _ in results] == [0, 1, 2, 3]  # in order
    assert all(name.startswith("taggarr-io") for _, name in results)


def test_inside_an_io_thread_the_reads_stay_on_it(monkeypatch) -> None:
    monkeypatch.setattr(io_pool, "on_local_disks", lambda folders: False)

    def item_reads(item: int) -> set[str]:
        here = threading.current_thread().name
        names = {name for _, name in map_in_folder(_thread_name, range(3), "/mnt/nas/tv")}
        return names | {here}

    for names in map_on_io_threads(item_reads, range(2)):
        assert len(names) == 1 and next(iter(names)).startswith("taggarr-io")
