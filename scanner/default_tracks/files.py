"""Where a stored file is, what it is, and who it is, for the plan, the write and undo.

A file's path is its item's folder (Media.path: already the worker's, after the
instance's path mappings) joined with its own (MediaFile.path, relative to it), as the
item step reads it (scanner.pipeline.scanning.media_scan). Every call on the file
system runs within the step's hold limit (scanner.runtime.hold): a share that stops
answering ends the step with ShareUnanswered, the file untouched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from scanner.default_tracks.matroska import Identity, is_matroska_name, stat_identity
from scanner.default_tracks.refusals import LINK, OUTSIDE
from scanner.models import Media, MediaFile
from scanner.runtime.hold import call_within_hold

T = TypeVar("T")

__all__ = [
    "Identity",
    "file_path",
    "held",
    "identity",
    "is_matroska",
    "is_mp4",
    "misplaced",
    "stored_inode",
]

MP4_EXTENSIONS = frozenset({".mp4", ".m4v", ".mov"})
_INODE_WRAP = 1 << 64
_INODE_SIGNED = 1 << 63


def file_path(media: Media, media_file: MediaFile) -> str:
    """The file as the worker opens it."""
    return os.path.join(media.path, media_file.path)


def is_matroska(path: str) -> bool:
    return is_matroska_name(os.path.basename(path))


def is_mp4(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in MP4_EXTENSIONS


def stored_inode(ino: int) -> int:
    """An inode number as a signed 64-bit column holds it (some file systems use all 64
    bits); ``inode_of`` gives it back."""
    return ino - _INODE_WRAP if ino >= _INODE_SIGNED else ino


def inode_of(stored: int) -> int:
    return stored + _INODE_WRAP if stored < 0 else stored


def held(function: Callable[[], T], path: str) -> T:
    """``function()`` on the file at ``path``, within the step's hold limit."""
    return call_within_hold(function, path)


def identity(path: str) -> Identity:
    """The file's identity now (stat), within the hold limit."""
    return held(lambda: stat_identity(path), path)


def misplaced(media: Media, path: str) -> str | None:
    """Why the file at ``path`` is not the library's own regular file to write, within
    the hold limit: ``link`` (the path is a symbolic link: what it points to may be
    another library's, or a download a torrent seeds, and its link count is not the
    file's), ``outside`` (resolved, it leaves its item's folder, or the instance's root
    folders when it lists any); None when it may be written. ``path`` comes from
    ``file_path``; the write itself opens it with O_NOFOLLOW (header_edit), so a link
    put in its place after this check is refused there too."""
    roots = [root for root in media.instance.root_folders or [] if isinstance(root, str)]
    return held(lambda: _misplaced(path, media.path, roots), path)


def _misplaced(path: str, folder: str, roots: list[str]) -> str | None:
    if os.path.islink(path):
        return LINK
    real = os.path.realpath(path)
    if not _under(real, os.path.realpath(folder)):
        return OUTSIDE
    if roots and not any(_under(real, os.path.realpath(root)) for root in roots):
        return OUTSIDE
    return None


def _under(path: str, folder: str) -> bool:
    return path != folder and os.path.commonpath((path, folder)) == folder
