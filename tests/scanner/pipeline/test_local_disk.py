"""Which folders are on a local disk (walked on one thread) and which on a share."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from scanner.pipeline.scanning import local_disk
from scanner.pipeline.scanning.local_disk import on_local_disks

MOUNTS = [
    ("/", "ext4"),
    ("/mnt/nas", "nfs4"),
    ("/mnt/user", "fuse.shfs"),
    ("/mnt/user/tv", "xfs"),  # a local disk mounted inside the share
    ("/srv", "cifs"),
    ("/srv", "btrfs"),  # mounted over the share: the later mount is the one seen
    ("/mnt/disk 1", "xfs"),
]


@pytest.fixture
def mount_table(monkeypatch):
    parts = [SimpleNamespace(mountpoint=point, fstype=kind) for point, kind in MOUNTS]
    monkeypatch.setattr(local_disk.psutil, "disk_partitions", lambda all: parts)


@pytest.mark.parametrize(
    ("folders", "local"),
    [
        (["/data/tv"], True),
        (["/mnt/nas/tv"], False),
        (["/mnt/nas"], False),
        (["/mnt/nasty/tv"], True),  # not under /mnt/nas: a whole path component must match
        (["/mnt/user/movies"], False),
        (["/mnt/user/tv/Show"], True),
        (["/srv/tv"], True),
        (["/mnt/disk 1/tv"], True),
        (["/data/tv", "/mnt/nas/movies"], False),  # one share among them is enough
        ([], False),
    ],
)
def test_the_deepest_mount_decides(mount_table, folders, local):
    assert on_local_disks(folders) is local


def test_a_symlink_to_a_share_is_a_share(mount_table, tmp_path: Path, monkeypatch):
    link = tmp_path / "tv"
    monkeypatch.setattr(local_disk.os.path, "realpath", lambda path: "/mnt/nas/tv")
    assert not on_local_disks([str(link)])


def test_without_a_mount_table_every_folder_is_a_share(monkeypatch):
    def unreadable(all: bool):
        raise OSError("no /proc here")

    monkeypatch.setattr(local_disk.psutil, "disk_partitions", unreadable)
    assert not on_local_disks(["/data/tv"])
