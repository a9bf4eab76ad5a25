"""The default flags of a Matroska header, planned as one patch and written in place.

``plan_flags`` turns the flags wanted into a ``Patch``: the bytes at one offset as the
file holds them and as they will be, always of the same length, all inside the header's
region (the Tracks element and the EBML Void after it, matroska.Header). Two kinds of
change, nothing else:

* a FlagDefault element present whose value differs: its data bytes set to the new
  value at the same width (a flip: only those bytes change);
* a FlagDefault absent (RFC 9559: 1) that must become 0: a FlagDefault element
  (``88 81 00``) added at the end of its TrackEntry, the TrackEntry's and the Tracks
  element's sizes coded again at their own widths, the rest of Tracks shifted along, and
  the EBML Void that closes Tracks (or the one right after it) shrunk by as many bytes.
  The file's size never changes, and no byte outside the region does. Without such a
  Void, or when a size no longer fits its width: refusal ``no-room``, with the
  ``mkvpropedit`` command a user could run (it rewrites the header, and may move it to
  the end of the file, which Taggarr never does).

A Tracks element or TrackEntry may begin with a CRC-32 element (RFC 8794, 11.3.1;
ffmpeg writes one in every top-level element): the CRC-32 (ISO 3309, zlib's) of the rest
of its parent's data, little-endian. A parent that changed gets its CRC computed again,
as mkvpropedit does; a CRC that did not match before the edit (a damaged header, or one
this reader misunderstands) is refused (``crc``), never "repaired".

``write_patch`` and ``undo_patch`` write a patch and take it back, each only when the file
is still the one that was planned (size, mtime, inode, and the bytes at the offset);
``Changed`` (with a code) when it is not, the file left as it was.
"""

from __future__ import annotations

import os
import shlex
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scanner.default_tracks.matroska import (
    CRC32,
    FLAG_DEFAULT,
    TRACK_ENTRY,
    VOID,
    Element,
    Header,
    HeaderError,
    Identity,
    children,
    stat_identity,
)

__all__ = [
    "Changed",
    "Edit",
    "Identity",
    "Patch",
    "WriteFailed",
    "WriteResult",
    "plan_flags",
    "stat_identity",
    "undo_patch",
    "write_patch",
]

_EDITABLE_KINDS = ("audio", "subtitle")
_SELECTOR = {"audio": "a", "subtitle": "s"}  # mkvpropedit's track selectors: track:a1


@dataclass(frozen=True, slots=True)
class Patch:
    """One contiguous write: at ``offset`` the file holds ``old``; write ``new``."""

    offset: int
    old: bytes
    new: bytes  # len(new) == len(old), always


@dataclass(frozen=True, slots=True)
class Edit:
    patch: Patch | None  # None: nothing to change (or refused)
    refusal: str | None  # None, "no-room" or "crc"
    command: str  # for a refusal: the mkvpropedit command a user could run, else ""
    changed: tuple[tuple[str, int, bool, bool], ...]  # (kind, position, old, new)


@dataclass(frozen=True, slots=True)
class WriteResult:
    size: int
    mtime_ns: int


class Changed(Exception):
    """The file is not the one planned: ``code`` is "size", "mtime", "identity" or "header"."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class WriteFailed(Exception):
    """The bytes read back after a write were not the ones written (the old ones were
    written back)."""


def plan_flags(header: Header, path: str, wanted: Mapping[tuple[str, int], bool]) -> Edit:
    """The patch that gives the tracks named in ``wanted`` ((kind, position) -> flag) those
    default flags, the other tracks' left as they are. KeyError for a track the header
    does not have; ValueError for a kind other than audio or subtitle."""
    by_key = {(track.kind, track.position): track for track in header.tracks}
    changes: dict[int, bool] = {}  # TrackEntry index -> new value
    changed: list[tuple[str, int, bool, bool]] = []
    entry_indexes = {id(track): index for index, track in enumerate(header.tracks)}
    for (kind, position), value in sorted(wanted.items()):
        if kind not in _EDITABLE_KINDS:
            raise ValueError(f"only audio and subtitle flags are set, not {kind!r}")
        track = by_key[(kind, position)]
        if track.default.value != value:
            changes[entry_indexes[id(track)]] = value
            changed.append((kind, position, track.default.value, value))
    if not changes:
        return Edit(None, None, "", ())
    command = _command(path, changed)
    try:
        new_region = _edited_region(header, changes)
    except _Refused as refused:
        return Edit(None, refused.code, command, tuple(changed))
    return Edit(_patch(header.region_start, header.region, new_region), None, "", tuple(changed))


def write_patch(
    path: str,
    patch: Patch,
    *,
    size: int,
    mtime_ns: int,
    ino: int,
    journal: Callable[[Patch], None],
) -> WriteResult:
    """Write ``patch`` into the file planned (its size, mtime and inode), after
    ``journal(patch)`` returned; then fsync and read back. Changed when the file is no
    longer the one planned (nothing written), WriteFailed when the bytes read back differ
    (the old ones written back first)."""
    _check_patch(patch)
    descriptor = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)  # never a link
    try:
        status = os.fstat(descriptor)
        if status.st_ino != ino:
            raise Changed("identity", "another file is at this path")
        _check_stat(status, size, mtime_ns)
        if _read_exactly(descriptor, patch.offset, len(patch.old)) != patch.old:
            raise Changed("header", "the header's bytes changed")
        journal(patch)
        _write_and_check(descriptor, patch.offset, patch.new, patch.old)
        after = os.fstat(descriptor)
        return WriteResult(after.st_size, after.st_mtime_ns)
    finally:
        os.close(descriptor)


def undo_patch(path: str, patch: Patch, *, size: int, mtime_ns: int) -> WriteResult:
    """Write ``patch.old`` back where ``patch.new`` is, when the file still has the size
    and mtime the write left (else Changed, nothing written); fsync, read back."""
    _check_patch(patch)
    descriptor = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)  # never a link
    try:
        _check_stat(os.fstat(descriptor), size, mtime_ns)
        if _read_exactly(descriptor, patch.offset, len(patch.new)) != patch.new:
            raise Changed("header", "the header's bytes changed since the write")
        _write_and_check(descriptor, patch.offset, patch.old, patch.new)
        after = os.fstat(descriptor)
        return WriteResult(after.st_size, after.st_mtime_ns)
    finally:
        os.close(descriptor)


def _check_patch(patch: Patch) -> None:
    if len(patch.old) != len(patch.new) or not patch.new or patch.offset < 0:
        raise ValueError("a patch replaces bytes by as many bytes")


def _check_stat(status: os.stat_result, size: int, mtime_ns: int) -> None:
    if status.st_size != size:
        raise Changed("size", f"{status.st_size} bytes, {size} planned")
    if status.st_mtime_ns != mtime_ns:
        raise Changed("mtime", "modified since it was planned")


def _read_exactly(descriptor: int, offset: int, length: int) -> bytes:
    data = b""
    while len(data) < length:
        chunk = os.pread(descriptor, length - len(data), offset + len(data))
        if not chunk:
            break
        data += chunk
    return data


def _write_all(descriptor: int, offset: int, data: bytes) -> None:
    written = 0
    while written < len(data):
        written += os.pwrite(descriptor, data[written:], offset + written)
    os.fsync(descriptor)


def _write_and_check(descriptor: int, offset: int, data: bytes, previous: bytes) -> None:
    _write_all(descriptor, offset, data)
    if _read_exactly(descriptor, offset, len(data)) != data:
        _write_all(descriptor, offset, previous)
        raise WriteFailed("the bytes read back are not the ones written")


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _command(path: str, changed: list[tuple[str, int, bool, bool]]) -> str:
    parts = ["mkvpropedit", path]
    for kind, position, _old, new in changed:
        parts += ["--edit", f"track:{_SELECTOR[kind]}{position}"]
        parts += ["--set", f"flag-default={int(new)}"]
    return shlex.join(parts)


def _patch(offset: int, old: bytes, new: bytes) -> Patch:
    """The smallest contiguous patch that turns ``old`` into ``new`` (same length)."""
    first = next(index for index in range(len(old)) if old[index] != new[index])
    last = next(index for index in range(len(old) - 1, -1, -1) if old[index] != new[index])
    return Patch(offset + first, old[first : last + 1], new[first : last + 1])


def _edited_region(header: Header, changes: Mapping[int, bool]) -> bytes:
    """The region's bytes with the changes made, of the region's length (or _Refused)."""
    region = header.region
    try:
        return _rebuild(region, header.region_start, changes)
    except HeaderError:  # the region was read whole once; it cannot be broken now
        raise _Refused("no-room") from None


def _rebuild(region: bytes, base: int, changes: Mapping[int, bool]) -> bytes:
    tracks = children(region, 0, len(region), base)[0]
    after = region[tracks.end - base :]  # the Void after Tracks, if the region has one
    inner = children(region, tracks.data_start - base, tracks.end - base, base)
    parts: list[bytes] = []
    track_index = -1
    for child in inner:
        raw = region[child.start - base : child.end - base]
        if child.id == TRACK_ENTRY:
            track_index += 1
            if track_index in changes:
                raw = _edited_entry(region, base, child, changes[track_index])
        parts.append(raw)
    grown = sum(map(len, parts)) - (tracks.end - tracks.data_start)
    if grown and inner and inner[-1].id == VOID:  # Tracks' own closing Void takes it
        void = inner[-1]
        shrunk = _void(void.end - void.start - grown)
        if shrunk is not None:
            parts[-1] = shrunk
            grown = 0
    body = _with_crc(region, base, inner, parts)
    head = region[: tracks.data_start - base - tracks.size_length]
    tracks_bytes = head + _size(len(body), tracks.size_length) + body
    if grown:
        if not after:
            raise _Refused("no-room")
        void_after = children(after, 0, len(after), tracks.end)[0]
        shrunk = _void(void_after.end - void_after.start - grown)
        if shrunk is None:
            raise _Refused("no-room")
        after = shrunk
    out = tracks_bytes + after
    if len(out) != len(region):  # the shifts above keep the length, or refuse
        raise _Refused("no-room")
    return out


def _edited_entry(region: bytes, base: int, entry: Element, value: bool) -> bytes:
    inner = children(region, entry.data_start - base, entry.end - base, base)
    parts: list[bytes] = []
    found = False
    for child in inner:
        raw = region[child.start - base : child.end - base]
        if child.id == FLAG_DEFAULT:
            found = True
            width = child.end - child.data_start
            if width == 0:  # an empty FlagDefault (its default, 1): give it its byte
                raw = bytes([FLAG_DEFAULT, 0x81, int(value)])
            else:
                data_at = child.data_start - child.start
                raw = raw[:data_at] + int(value).to_bytes(width, "big")
        parts.append(raw)
    if not found:
        parts.append(bytes([FLAG_DEFAULT, 0x81, int(value)]))
    body = _with_crc(region, base, inner, parts)
    head = region[entry.start - base : entry.data_start - base - entry.size_length]
    return head + _size(len(body), entry.size_length) + body


def _with_crc(region: bytes, base: int, inner: list[Element], parts: list[bytes]) -> bytes:
    """A parent's new data from its children's ``parts``, its CRC-32 (when its first child
    is one, the only place RFC 8794 allows it) computed again; _Refused("crc") when the
    old one did not match, or a CRC-32 stands anywhere else."""
    if not any(child.id == CRC32 for child in inner):
        return b"".join(parts)
    crc = inner[0]
    if crc.id != CRC32 or crc.end - crc.data_start != 4:
        raise _Refused("crc")
    old_rest = region[crc.end - base : inner[-1].end - base]
    if region[crc.data_start - base : crc.end - base] != _crc32(old_rest):
        raise _Refused("crc")
    if any(child.id == CRC32 for child in inner[1:]):
        raise _Refused("crc")
    rest = b"".join(parts[1:])
    head = region[crc.start - base : crc.data_start - base]
    return head + _crc32(rest) + rest


def _crc32(data: bytes) -> bytes:
    return zlib.crc32(data).to_bytes(4, "little")


def _size(value: int, width: int) -> bytes:
    """``value`` as an element size at ``width`` bytes (RFC 8794, 4.4), or _Refused."""
    if value >= (1 << (7 * width)) - 1:  # all ones would mean "unknown"
        raise _Refused("no-room")
    return ((1 << (7 * width)) | value).to_bytes(width, "big")


def _void(length: int) -> bytes | None:
    """An EBML Void of exactly ``length`` bytes (b"" for 0); None when none can be
    (a negative length, or 1: an element takes at least two bytes)."""
    if length == 0:
        return b""
    if length < 2:
        return None
    for width in range(1, 9):
        data = length - 1 - width
        if 0 <= data < (1 << (7 * width)) - 1:
            return bytes([VOID]) + _size(data, width) + bytes(data)
    return None
