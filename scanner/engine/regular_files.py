"""The one way Taggarr reads a small file that someone else put in a library (a subtitle
sidecar, an NFO, a folder's poster): one open that cannot block (a FIFO or a device
named like a subtitle answers at once), then ``fstat`` on what was opened says whether it
is a regular file, and, when a root is given, the opened file's real path must lie
inside it (a link out of the library is refused). No check-then-open: what is checked is
the descriptor that is read. At most ``limit`` bytes are read (one more, to tell a
larger file).
"""

from __future__ import annotations

import errno
import os
import stat


class UnsafeFile(OSError):
    """The file is not one to read: not a regular file, or outside its root. ``reason``
    is a short English fact for logs and events (the pages say it in the reader's
    language by its ``code``: ``not_regular`` or ``outside``)."""

    def __init__(self, path: str, code: str, reason: str) -> None:
        super().__init__(errno.EPERM, reason, path)
        self.code = code
        self.reason = reason


def read_regular(
    path: str | os.PathLike[str], limit: int, *, root: str | os.PathLike[str] | None = None
) -> bytes:
    """Up to ``limit + 1`` bytes of the regular file at ``path`` (the caller tells a file
    past its bound by the length). Raises OSError: the file is gone or unreadable, or
    UnsafeFile when it is no regular file or (``root``) its real path leaves ``root``."""
    name = os.fspath(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(name, flags)
    except ValueError:  # a NUL byte in the name
        raise UnsafeFile(name, "not_regular", "not a file name") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeFile(name, "not_regular", "not a regular file")
        if root is not None and not _inside(_opened_path(descriptor, name), os.fspath(root)):
            raise UnsafeFile(name, "outside", "a link that leads out of the library")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _opened_path(descriptor: int, name: str) -> str:
    """The real path of the open descriptor (Linux names it in /proc: no race with a
    rename or a new link); elsewhere the real path of the name."""
    try:
        return os.readlink(f"/proc/self/fd/{descriptor}")
    except OSError:
        return os.path.realpath(name)


def _inside(real: str, root: str) -> bool:
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)
