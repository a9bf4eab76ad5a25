"""Whether folders are on a local disk, where walking them on several threads costs more
than it hides.

A stat on a local disk takes microseconds; I/O threads walking folders then spend
their time handing the GIL to one another after every call (2,000 series folders took
1.5 s of CPU on 8 threads, 0.6 s on one, bench/README.md). On a share every call waits
on the network, and the threads overlap the waiting. The mount table tells which is
which: a folder on one of ``LOCAL_TYPES`` is on a local disk; anything else (NFS,
SMB/CIFS, FUSE file systems such as sshfs, rclone, mergerfs or Unraid's shfs, 9p,
virtiofs), or a path the table does not cover, counts as a share.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import psutil

# Linux and macOS file systems on a disk of this machine (or in its memory).
LOCAL_TYPES = frozenset(
    {
        "ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "bcachefs", "jfs", "reiserfs",
        "nilfs2", "tmpfs", "ramfs", "overlay", "vfat", "exfat", "ntfs3", "hfsplus", "apfs",
        "hfs", "iso9660", "udf", "squashfs",
    }
)  # fmt: skip


def on_local_disks(folders: Iterable[str]) -> bool:
    """Whether every folder of ``folders`` is on a local disk (see the module's text).
    Symlinks in the folders' paths are followed: a link to a share is a share."""
    folders = set(folders)
    if not folders:
        return False
    try:
        mounts = [(part.mountpoint, part.fstype) for part in psutil.disk_partitions(all=True)]
    except (OSError, RuntimeError):
        return False  # no mount table to read: assume a share
    return all(_type_of(os.path.realpath(folder), mounts) in LOCAL_TYPES for folder in folders)


def _type_of(path: str, mounts: list[tuple[str, str]]) -> str:
    """The type of the file system ``path`` (absolute, resolved) is on: the deepest
    mount point that holds it, the last one mounted there."""
    best, found = -1, ""
    for mountpoint, fstype in mounts:
        inside = path == mountpoint or path.startswith(mountpoint.rstrip("/") + "/")
        if inside and len(mountpoint) >= best:
            best, found = len(mountpoint), fstype
    return found
