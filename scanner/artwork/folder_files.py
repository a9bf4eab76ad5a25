"""Artwork a library folder holds itself, by Kodi's names (docs/arr-api.md, "Covers"):
``poster.jpg`` (or ``folder.jpg``, the older name) and ``fanart.jpg``, PNG as well."""

from __future__ import annotations

import os
from dataclasses import dataclass

from scanner.arr.covers import COVER_MAX_BYTES

FOLDER_NAMES: dict[str, tuple[str, ...]] = {
    "poster": ("poster.jpg", "poster.png", "folder.jpg", "folder.png"),
    "fanart": ("fanart.jpg", "fanart.png"),
}


class FolderFileTooLarge(ValueError):
    pass


@dataclass(frozen=True)
class FolderFile:
    path: str
    fingerprint: str  # name, size and modification time: a new file, a new fingerprint


def find_folder_file(folder: str, kind: str) -> FolderFile | None:
    """The first of the kind's names present in ``folder``; None when none is."""
    for name in FOLDER_NAMES[kind]:
        path = os.path.join(folder, name)
        try:
            stat = os.stat(path)
        except OSError:
            continue
        if os.path.isfile(path):
            return FolderFile(path, f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return None


def read_folder_file(found: FolderFile) -> bytes:
    """Its bytes, never more than the covers' bound."""
    with open(found.path, "rb") as handle:
        data = handle.read(COVER_MAX_BYTES + 1)
    if len(data) > COVER_MAX_BYTES:
        raise FolderFileTooLarge(f"{os.path.basename(found.path)} is larger than 4 MB")
    return data
