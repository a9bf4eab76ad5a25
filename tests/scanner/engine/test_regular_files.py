"""scanner.engine.regular_files: one open that never blocks, then the descriptor itself
is checked (issue 59, item 3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.engine.regular_files import UnsafeFile, read_regular


def test_a_regular_file_is_read_up_to_one_past_its_bound(tmp_path: Path) -> None:
    path = tmp_path / "x.srt"
    path.write_bytes(b"a" * 100)
    assert read_regular(path, 10) == b"a" * 11
    assert read_regular(path, 1000) == b"a" * 100


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    # Opened blocking, a FIFO with no writer would hang this test for ever.
    fifo = tmp_path / "x.en.srt"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeFile) as caught:
        read_regular(fifo, 64)
    assert caught.value.code == "not_regular"


def test_a_folder_and_a_device_are_not_regular_files(tmp_path: Path) -> None:
    with pytest.raises(UnsafeFile):
        read_regular(tmp_path, 64)
    with pytest.raises(UnsafeFile):
        read_regular("/dev/zero", 64)


def test_a_link_out_of_the_root_is_refused_and_one_inside_is_read(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "library", tmp_path / "elsewhere"
    (root / "Show").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "secret.jpg").write_bytes(b"private")
    (root / "Show" / "real.jpg").write_bytes(b"poster")
    os.symlink(elsewhere / "secret.jpg", root / "Show" / "poster.jpg")
    os.symlink(root / "Show" / "real.jpg", root / "Show" / "folder.jpg")
    with pytest.raises(UnsafeFile) as caught:
        read_regular(root / "Show" / "poster.jpg", 64, root=root)
    assert caught.value.code == "outside"
    assert read_regular(root / "Show" / "folder.jpg", 64, root=root) == b"poster"
    # Without a root a link is followed (libraries of links to a mount are common).
    assert read_regular(root / "Show" / "poster.jpg", 64) == b"private"


def test_a_missing_file_and_a_nul_in_the_name_raise_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "gone.srt", 64)
    with pytest.raises(OSError):
        read_regular(str(tmp_path / "a\0b"), 64)
