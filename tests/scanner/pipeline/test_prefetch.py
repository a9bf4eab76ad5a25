"""The background folder listing that overlaps the *arr's list request."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.errors import StorageError
from scanner.pipeline import prefetch as prefetch_module
from scanner.pipeline.prefetch import FolderPrefetch
from tests.library import Library


def test_known_folders_are_listed_once_in_the_background(tv_library: Library, monkeypatch) -> None:
    calls: list[str] = []
    real = prefetch_module.discover_series

    def counting(root: Path):
        calls.append(root.name)
        return real(root)

    monkeypatch.setattr(prefetch_module, "discover_series", counting)
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


def test_a_missing_known_folder_raises_for_the_caller(tmp_path: Path) -> None:
    gone = str(tmp_path / "gone")
    prefetch = FolderPrefetch([(gone, "series")])
    try:
        with pytest.raises(StorageError):
            prefetch.discovery(gone, "series")
    finally:
        prefetch.close()
