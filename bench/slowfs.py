"""A read-only FUSE passthrough that adds a delay to every file system call: a NAS
share on this machine (NFS/SMB answer each call after a network round trip).

    .venv/bin/python bench/slowfs.py SOURCE MOUNTPOINT --delay-ms 0.5

Attributes are cached for at most 1 s (``attr_timeout``/``entry_timeout``) and data
not at all (``direct_io``), as a share mounted with default options behaves for a
scan that reads each file's header once. Calls are served on ``THREADS`` threads, so
calls in flight at once overlap as they do on a network. Needs Debian's fuse3 (or fuse)
and /dev/fuse; mfusepy is in requirements-dev.txt. Stops (and unmounts) on SIGTERM.

It runs on libfuse 3 where Debian's fuse3 installed it (else libfuse 2), with
``THREADS`` threads kept between calls: libfuse 2 ends each thread above 10 idle ones
as soon as its call is answered and starts a new one for the next, so with more than
10 calls in flight every call paid for a thread's start and end (bench/README.md, "The
share", has the figures). A NAS does not get slower when a client sends more calls at
once.

Listings carry each entry's type (``d_type``: folder, file or link), as NFS and SMB
listings do, so telling a folder from a file costs no call. ``--listing-attrs`` plays a
share whose listings carry the entries' other attributes too (NFS READDIRPLUS, SMB2
QUERY_DIRECTORY): a getattr of an entry within 1 s of its folder's listing is answered
without the delay (counted as ``getattr_listed``). Without it, every stat after a
listing is a round trip (libfuse's readdir, as mfusepy calls it, passes the type alone).

It counts the calls it serves, by kind (``open`` of a file, ``opendir``, ``readdir``,
``getattr``, ``read``...): ``MOUNTPOINT/.slowfs-stats`` reads as their JSON, at any
time, itself neither counted, delayed nor listed. The benchmark proves with it that
a scan opened no file (the ``arr`` audio source).
"""

from __future__ import annotations

import argparse
import ctypes.util
import errno
import json
import os
import stat
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

# mfusepy loads the library it is pointed at, else libfuse 2 first (see the docstring).
_LIBFUSE3 = ctypes.util.find_library("fuse3")
if _LIBFUSE3 and "FUSE_LIBRARY_PATH" not in os.environ:
    os.environ["FUSE_LIBRARY_PATH"] = _LIBFUSE3

import mfusepy  # noqa: E402 (after choosing the library it loads)

STATS = "/.slowfs-stats"
STATS_SIZE = 4096  # the JSON, padded with spaces: a fixed size the kernel may cache
STATS_FH = 2**62  # the handle of an open stats file (real handles are small numbers)
ATTR_SECONDS = 1.0  # attr_timeout and entry_timeout: how long the kernel trusts attributes
THREADS = 10  # libfuse 3's threads serving calls (its default), all kept while idle


class SlowPassthrough(mfusepy.Operations):
    """Every call waits ``delay`` seconds, then does the same on the source folder."""

    use_ns = True

    def __init__(self, source: str, delay: float, *, listing_attrs: bool = False) -> None:
        self.source = source
        self.delay = delay
        self.listing_attrs = listing_attrs
        self.calls: Counter[str] = Counter()
        self.listed: dict[str, float] = {}  # folder -> when it was last listed
        self._lock = threading.Lock()

    def _count(self, kind: str) -> None:
        with self._lock:
            self.calls[kind] += 1

    def _path(self, path: str, kind: str) -> str:
        self._count(kind)
        time.sleep(self.delay)
        return os.path.join(self.source, path.lstrip("/"))

    def stats(self) -> bytes:
        with self._lock:
            text = json.dumps(dict(self.calls), sort_keys=True).encode()
        return text.ljust(STATS_SIZE)[:STATS_SIZE]

    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        if path == STATS:
            now = time.time_ns()
            return {
                "st_mode": 0o100444, "st_nlink": 1, "st_size": STATS_SIZE,
                "st_atime": now, "st_mtime": now, "st_ctime": now,
            }  # fmt: skip
        try:
            if self._from_listing(path):
                self._count("getattr_listed")
                info = os.lstat(os.path.join(self.source, path.lstrip("/")))
            else:
                info = os.lstat(self._path(path, "getattr"))
        except OSError as error:
            raise mfusepy.FuseOSError(error.errno or errno.EIO) from None
        keys = (
            "st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns",
            "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev",
        )  # fmt: skip
        stats = {key: getattr(info, key) for key in keys}
        for key in ("st_atime", "st_mtime", "st_ctime"):
            stats[key] = stats.pop(f"{key}_ns")
        return stats

    def _from_listing(self, path: str) -> bool:
        """The entry's attributes came with its folder's listing, less than 1 s ago."""
        if not self.listing_attrs:
            return False
        with self._lock:
            listed = self.listed.get(os.path.dirname(path))
        return listed is not None and time.monotonic() - listed < ATTR_SECONDS

    def opendir(self, path: str) -> int:
        self._count("opendir")  # counted, not delayed: readdir pays the round trip
        return 0

    def readdir(self, path: str, fh: int) -> Iterator[str | tuple[str, int, int]]:
        with os.scandir(self._path(path, "readdir")) as listing:
            entries = [(entry.name, _kind(entry), 0) for entry in listing]
        if self.listing_attrs:
            with self._lock:
                self.listed[path] = time.monotonic()
        yield from (".", "..", *entries)

    def readlink(self, path: str) -> str:
        return os.readlink(self._path(path, "readlink"))

    def open(self, path: str, flags: int) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise mfusepy.FuseOSError(errno.EROFS)
        if path == STATS:
            return STATS_FH
        return os.open(self._path(path, "open"), flags)

    def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
        if fh == STATS_FH:
            return self.stats()[offset : offset + size]
        self._count("read")
        time.sleep(self.delay)
        return os.pread(fh, size, offset)

    def release(self, path: str, fh: int) -> int:
        if fh != STATS_FH:
            os.close(fh)
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        info = os.statvfs(self._path(path, "statfs"))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree",
                "f_files", "f_flag", "f_frsize", "f_namemax")  # fmt: skip
        return {key: getattr(info, key) for key in keys}


def _kind(entry: os.DirEntry[str]) -> int:
    """The entry's file type (no permission bits): what a listing's ``d_type`` says."""
    if entry.is_symlink():
        return stat.S_IFLNK
    return stat.S_IFDIR if entry.is_dir(follow_symlinks=False) else stat.S_IFREG


def _thread_options() -> dict[str, int]:
    """libfuse 3: ``THREADS`` threads, none ended while idle. libfuse 2 takes neither
    option (it keeps at most 10 idle threads, and starts as many as calls come)."""
    if mfusepy.fuse_version_major < 3:
        return {}
    return {"max_threads": THREADS, "max_idle_threads": THREADS}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("mountpoint")
    parser.add_argument("--delay-ms", type=float, default=0.5)
    parser.add_argument(
        "--listing-attrs",
        action="store_true",
        help="a listing carries its entries' attributes (NFS READDIRPLUS, SMB2)",
    )
    options = parser.parse_args(argv)
    delay = options.delay_ms / 1000
    mfusepy.FUSE(
        SlowPassthrough(
            os.path.realpath(options.source), delay, listing_attrs=options.listing_attrs
        ),
        options.mountpoint,
        foreground=True,
        ro=True,
        nothreads=False,
        direct_io=True,
        attr_timeout=ATTR_SECONDS,
        entry_timeout=ATTR_SECONDS,
        fsname="taggarr-slowfs",
        **_thread_options(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
