"""Kodi NFO files: read genres, keep the managed ``<tag>`` elements right (which files:
nfo_paths).

An NFO belongs to the user and to Kodi, Jellyfin or Emby: everything we do
not manage must come back byte for byte (declaration, comments, order,
indentation, encoding, and the URL line Kodi NFOs often carry after the root
element). So edits are textual: expat locates the ``<tag>`` elements, and
only those characters are replaced; the rest of the file is never
re-serialised. A file that is not well-formed raises NfoError and is never
written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from scanner.engine.nfo_original import (
    OriginalEdit,
    OriginalLanguage,
    plan_original,
)
from scanner.engine.nfo_original import element as original_element
from scanner.engine.nfo_paths import NfoKind
from scanner.engine.nfo_xml import NfoDocument, NfoElement, parse_nfo
from scanner.engine.regular_files import UnsafeFile, read_regular
from scanner.errors import NfoError, StorageError

__all__ = [
    "NfoKind",
    "NfoWritten",
    "OriginalLanguage",
    "check_folder_in_library",
    "create_nfo",
    "read_genres",
    "write_managed_tags",
    "write_nfo",
]

_ROOT_ELEMENTS: dict[str, str] = {"series": "tvshow", "movie": "movie"}
# Kodi's and Jellyfin's NFOs are a few KB (a "full" one with every actor's thumb some
# 100 KB); past this bound a file is not read into memory at all.
MAX_NFO_BYTES = 1_000_000
OUTSIDE = "it is a link to a file outside the item's folder"


def read_genres(path: Path) -> list[str]:
    """The ``<genre>`` values of the root element, in file order."""
    document = parse_nfo(_read(path), path)
    return [
        child.text.strip()
        for child in document.children
        if child.name == "genre" and child.text.strip()
    ]


def write_managed_tags(
    path: Path, managed_labels: Set[str], wanted: Set[str], *, folder: Path, kind: NfoKind
) -> bool:
    """``write_nfo`` for the tags alone: whether the file changed."""
    return write_nfo(path, managed_labels, wanted, folder=folder, kind=kind).changed


@dataclass(frozen=True, slots=True)
class NfoWritten:
    changed: bool  # the file was written
    original: str | None = None  # the original language Taggarr's own in it (nfo_original)


def write_nfo(
    path: Path,
    managed_labels: Set[str],
    wanted: Set[str],
    *,
    folder: Path,
    kind: NfoKind,
    original: OriginalLanguage | None = None,
) -> NfoWritten:
    """Leave exactly the ``wanted`` labels among the managed ``<tag>`` elements and, when
    ``original`` is given, the item's ``<originallanguage>`` as nfo_original decides.

    Tags not in ``managed_labels`` (or ``wanted``) are the user's and stay. Nothing is
    written when the file is already right. The write is atomic (temp file in the same
    folder, then rename) and keeps the mode. An NFO that resolves to a file outside the
    item's ``folder`` (a link elsewhere), or whose root element is not the item's kind,
    raises NfoError and is not touched.
    """
    target = _inside(path, folder)
    data = _read(path, folder)  # inside ``folder`` checked again on what is read
    document = parse_nfo(data, path)
    expected_root = _ROOT_ELEMENTS[kind]
    if document.root.name != expected_root:
        raise NfoError(
            str(path), f"its root element is <{document.root.name}>, not <{expected_root}>"
        )
    edits, missing = _tag_edits(document, managed_labels, wanted)
    planned = plan_original(document, original) if original is not None else OriginalEdit()
    owned = planned.owned if original is not None else None
    edits += [
        (start, end, replacement) if replacement else (*_line_span(document.text, start, end), "")
        for start, end, replacement in planned.replace
    ]
    if planned.insert is not None:
        if planned.anchor is None:
            missing.append(planned.insert)  # where the tags go, in the same insertion
        else:
            edits.append(_insertion(document, [planned.insert], planned.anchor))
    if missing:
        removed = {start for start, _, replacement in planned.replace if not replacement}
        edits.append(_insertion(document, missing, removed=removed))
    if not edits:
        return NfoWritten(changed=False, original=owned)
    text = document.text
    for start, end, replacement in sorted(edits, key=lambda edit: edit[:2], reverse=True):
        text = text[:start] + replacement + text[end:]
    new_data = document.bom + text.encode(document.codec)
    parse_nfo(new_data, path)  # never write a file we could not read back
    _write_atomic(target, new_data, keep_mode=True)
    return NfoWritten(changed=True, original=owned)


def _tag_edits(
    document: NfoDocument, managed_labels: Set[str], wanted: Set[str]
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The managed ``<tag>`` elements' edits, and the new ones to insert."""
    managed = set(managed_labels) | set(wanted)
    ours = [
        child
        for child in document.children
        if child.name == "tag" and child.text.strip() in managed
    ]
    keep: dict[str, NfoElement] = {}
    for child in ours:
        if child.text.strip() in wanted:
            keep.setdefault(child.text.strip(), child)
    remove = [child for child in ours if keep.get(child.text.strip()) is not child]
    missing = [f"<tag>{escape(label)}</tag>" for label in sorted(set(wanted) - keep.keys())]
    edits: list[tuple[int, int, str]] = []
    for child in remove:
        if missing:  # a label changed: the new one takes the old one's place
            edits.append((child.start, child.end, missing.pop(0)))
        else:
            edits.append((*_line_span(document.text, child.start, child.end), ""))
    return edits, missing


def _inside(path: Path, folder: Path) -> Path:
    """The file ``path`` really is (links followed), if it is inside ``folder``."""
    target = Path(os.path.realpath(path))
    root = Path(os.path.realpath(folder))
    if not target.is_relative_to(root):
        raise NfoError(str(path), OUTSIDE)
    return target


def check_folder_in_library(folder: Path, real_roots: Sequence[Path]) -> None:
    """Raise NfoError unless the item's folder, links followed, is inside one of the
    library's root folders (given as real paths): a show folder that is a link to
    elsewhere would otherwise have its NFO written (or created) there."""
    real = Path(os.path.realpath(folder))
    if not any(real.is_relative_to(root) for root in real_roots):
        raise NfoError(str(folder), "the folder is a link to a place outside the library")


def create_nfo(
    path: Path,
    kind: NfoKind,
    labels: Sequence[str],
    links: Sequence[str],
    original: str | None = None,
) -> None:
    """Write a new NFO for an instance that asks for missing ones: the managed tags, the
    ``original`` language when known (nfo_original) and, after the root element, the
    item's links (nfo_paths: never a "full" NFO, so no title). Refuses to overwrite, and
    to write one without a link."""
    root = _ROOT_ELEMENTS.get(kind)
    if root is None:
        raise ValueError(f"unknown NFO kind {kind!r}")
    if not links:
        raise ValueError("a new NFO needs the item's link")
    if os.path.lexists(path):
        raise StorageError(str(path), "an NFO already exists")
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', f"<{root}>"]
    lines += [f"  <tag>{escape(label)}</tag>" for label in labels]
    lines += [f"  {original_element(original)}"] if original else []
    lines += [f"</{root}>", *links, ""]
    _write_atomic(path, "\n".join(lines).encode("utf-8"), keep_mode=False)


def escape(text: str) -> str:
    """XML character data. (Not xml.sax.saxutils: it imports urllib.request and http.client.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to its whole line when nothing else is on that line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end + 1
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    return line_start, line_end


def _insertion(
    document: NfoDocument,
    elements: list[str],
    anchor: NfoElement | None = None,
    removed: Set[int] = frozenset(),
) -> tuple[int, int, str]:
    """Where new elements go, one per line: after ``anchor`` when given, else after the
    last ``<tag>``, else last in the root (never after an element ``removed``, by start)."""
    text = document.text
    newline = "\r\n" if "\r\n" in text else "\n"
    if document.root_empty:
        head = text[document.root.start : document.root_close].rstrip()
        lines = "".join(f"{newline}  {element}" for element in elements)
        closed = f"{head}>{lines}{newline}</{document.root.name}>"
        return document.root.start, document.root.end, closed
    if anchor is None:
        staying = [child for child in document.children if child.start not in removed]
        tags = [child for child in staying if child.name == "tag"]
        anchor = tags[-1] if tags else (staying[-1] if staying else None)
    if anchor is None:  # an empty root: indent one step more than its closing tag
        close = document.root_close
        close_indent = _indent(text, close)
        if close_indent is None:
            return close, close, "".join(elements)
        line_start = close - len(close_indent)
        lines = "".join(f"{close_indent}  {element}{newline}" for element in elements)
        return line_start, line_start, lines
    indent = _indent(text, anchor.start)
    if indent is None:  # the anchor shares its line: stay on that line
        return anchor.end, anchor.end, "".join(elements)
    return anchor.end, anchor.end, "".join(f"{newline}{indent}{element}" for element in elements)


def _indent(text: str, position: int) -> str | None:
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position]
    return before if not before.strip() else None


def _read(path: Path, folder: Path | None = None) -> bytes:
    """The NFO's bytes: a regular file (one open that cannot block, however it is
    named or linked: regular_files), inside ``folder`` when given, at most MAX_NFO_BYTES."""
    try:
        data = read_regular(path, MAX_NFO_BYTES, root=folder)
    except FileNotFoundError:
        raise StorageError(str(path), "NFO not found") from None
    except UnsafeFile as error:
        if error.code == "outside":
            raise NfoError(str(path), OUTSIDE) from None
        raise StorageError(str(path), f"cannot be read: {error.reason}") from None
    except OSError as error:
        raise StorageError(str(path), f"cannot be read: {error.strerror}") from error
    if len(data) > MAX_NFO_BYTES:
        raise StorageError(str(path), f"larger than {MAX_NFO_BYTES // 1_000_000} MB: not an NFO")
    return data


def _write_atomic(path: Path, data: bytes, *, keep_mode: bool) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        original = os.stat(path) if keep_mode else None
        # 0o666 lets the umask decide, as for any new file; a rewrite then
        # takes the original's mode and, where we may, its owner.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if original is not None:
                os.chmod(temporary, stat.S_IMODE(original.st_mode))
                if (original.st_uid, original.st_gid) != (os.geteuid(), os.getegid()):
                    _chown_if_allowed(temporary, original.st_uid, original.st_gid)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise StorageError(str(path), f"cannot be written: {error.strerror}") from error


def _chown_if_allowed(path: Path, uid: int, gid: int) -> None:
    # Not root: the file becomes ours, as any editor would leave it.
    with contextlib.suppress(PermissionError):
        os.chown(path, uid, gid)
