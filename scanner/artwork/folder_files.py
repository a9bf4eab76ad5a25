"""Artwork a library folder holds itself, by Kodi's names (docs/arr-api.md, "Covers"):
``poster.jpg`` (or ``folder.jpg``, the older name) and ``fanart.jpg``, PNG as well.

Only a regular file inside the library is read (scanner.engine.regular_files): a FIFO or
a device under a poster's name is refused at once, never waited on, and a link that
leads out of the library is refused (an image elsewhere on the disk is not shown)."""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from scanner.arr.covers import COVER_MAX_BYTES
from scanner.arr.paths import in_scope
from scanner.engine.regular_files import read_regular
from scanner.models import BadgeChange, PosterOriginal

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
    root: str  # the library's root folder the file must lie in, links followed


def library_root(folder: str, root_folders: Sequence[str]) -> str:
    """The root folder ``folder`` (an item's) lies under; the folder itself when none
    holds it (the root folders changed since the scan): its own files only."""
    for root in root_folders:
        if root.strip() and in_scope(folder, [root]):
            return root
    return folder


def find_folder_file(folder: str, kind: str, root: str) -> FolderFile | None:
    """The first of the kind's names present in ``folder`` as a file (a folder or a FIFO
    of that name is none); None when none is. The file is read later, checked again on
    what is opened (``read_folder_file``)."""
    for name in FOLDER_NAMES[kind]:
        path = os.path.join(folder, name)
        try:
            found = os.stat(path)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(found.st_mode):
            return FolderFile(path, f"{name}:{found.st_size}:{found.st_mtime_ns}", root)
    return None


def read_folder_file(found: FolderFile) -> bytes:
    """Its bytes, never more than the covers' bound. Raises OSError (UnsafeFile: no
    regular file, or a link out of the library) or FolderFileTooLarge."""
    data = read_regular(found.path, COVER_MAX_BYTES, root=found.root)
    if len(data) > COVER_MAX_BYTES:
        raise FolderFileTooLarge(f"{os.path.basename(found.path)} is larger than 4 MB")
    return data


def originals_of_drawn(digests: Collection[str]) -> dict[str, bytes]:
    """Of the posters of these SHA-256 digests, those Taggarr drew dub badges on
    (scanner.badges), each with the original it kept: the item's thumbnail is made from
    the poster as it was, so that its preview never draws badges on badges."""
    if not digests:
        return {}
    drawn_states = [BadgeChange.State.WRITTEN, BadgeChange.State.WRITING]  # a cut-short write's too
    rows = BadgeChange.objects.filter(written_digest__in=list(digests), state__in=drawn_states)
    drawn = dict(rows.values_list("written_digest", "original_digest"))
    originals = PosterOriginal.objects.filter(digest__in=set(drawn.values()))
    kept = dict(originals.values_list("digest", "data"))
    return {new: bytes(kept[old]) for new, old in drawn.items() if old in kept}
