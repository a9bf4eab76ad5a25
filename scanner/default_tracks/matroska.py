"""A Matroska (or WebM) file's header, read within a byte budget: its tracks and their
default flags, and where the bytes an edit may touch lie (issue 81).

Only the header is read. The file's EBML header (RFC 8794) must name the ``matroska`` or
``webm`` DocType; then the Segment's top-level elements (RFC 9559) are walked, each one
by its id and size alone (Info, Chapters, Attachments, Tags are skipped, not read), up to
the Tracks element, whose bytes are read whole, and the element after it (an EBML Void
there is the room an edit may grow into). A first Cluster reached before any Tracks
element ends the walk: the Tracks element is then the one a SeekHead points to (after
the clusters, where ``mkvpropedit`` moves a header that outgrew its place). A Segment of
unknown size (a live stream's) runs to the end of the file.

Reads go through ``_Reader``: whole blocks, every byte counted against ``limit``; past
it, ``HeaderError("too-large")``. Cluster data is never read: the walk jumps over every
element it does not need.

Every failure is a ``HeaderError`` with a code, never another exception:

* ``not-matroska``: no EBML header, or another DocType (an MP4, a text file, empty);
* ``truncated``: the file ends inside an element the walk needs;
* ``no-tracks``: no Tracks element in the header, nor one a SeekHead points to;
* ``too-large``: the header does not fit in ``limit`` bytes;
* ``unreadable``: the file cannot be opened or read, or its structure is broken (an
  invalid variable-size integer, a child running past its parent).
"""

from __future__ import annotations

import math
import os
import stat
import struct
from dataclasses import dataclass, replace

HEADER_LIMIT = 4 * 1024 * 1024  # bytes read at most per file
_BLOCK = 16 * 1024  # what one read asks for: a header usually fits in the first one

MATROSKA_SUFFIXES = (".mkv", ".mka", ".mks", ".webm")

# Element ids (RFC 8794, EBML; RFC 9559, Matroska), with their marker bits.
EBML = 0x1A45DFA3
DOC_TYPE = 0x4282
SEGMENT = 0x18538067
SEEK_HEAD = 0x114D9B74
SEEK = 0x4DBB
SEEK_ID = 0x53AB
SEEK_POSITION = 0x53AC
TRACKS = 0x1654AE6B
TRACK_ENTRY = 0xAE
TRACK_NUMBER = 0xD7
TRACK_TYPE = 0x83
FLAG_DEFAULT = 0x88
FLAG_FORCED = 0x55AA
LANGUAGE = 0x22B59C
LANGUAGE_BCP47 = 0x22B59D
NAME = 0x536E
INFO = 0x1549A966
TIMESTAMP_SCALE = 0x2AD7B1
DURATION = 0x4489
CLUSTER = 0x1F43B675
VOID = 0xEC
CRC32 = 0xBF

_DOC_TYPES = frozenset({"matroska", "webm"})
_KINDS = {1: "video", 2: "audio", 17: "subtitle"}  # TrackType; anything else: "other"
_MAX_SEEK_HEADS = 4  # SeekHeads followed from one another at most
_MAX_ELEMENTS = 4096  # top-level elements walked before Tracks (real files: a handful)


class HeaderError(Exception):
    """The file's header cannot be read; ``code`` says why (the module's docstring)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Identity:
    """What ``os.stat`` says of a file: enough to tell it changed (or was replaced)."""

    size: int
    mtime_ns: int
    ino: int
    nlink: int


@dataclass(frozen=True, slots=True)
class Flag:
    """A track's FlagDefault as the header holds it."""

    value: bool  # absent: True (RFC 9559: its default is 1)
    offset: int | None  # the element's first byte in the file; None: absent
    size: int  # the element's whole length (0 when absent)


@dataclass(frozen=True, slots=True)
class HeaderTrack:
    number: int  # TrackNumber
    kind: str  # "video" | "audio" | "subtitle" | "other"
    position: int  # 1-based among the tracks of its kind, in header order
    language: str | None  # Language (ISO 639-2), None when absent ("eng" is its default)
    language_bcp47: str | None  # LanguageBCP47
    name: str | None
    default: Flag
    forced: bool


@dataclass(frozen=True, slots=True)
class Header:
    size: int  # the file's size when read
    tracks: tuple[HeaderTrack, ...]
    region_start: int  # [start, end): the Tracks element and an EBML Void right after
    region_end: int  # it, the only bytes an edit may ever touch
    region: bytes  # those bytes as read
    room: int  # bytes of that Void (or of a Void closing Tracks) an edit may use
    # The file's stat when it was read (the same descriptor): compare before a write.
    identity: Identity | None = None
    # Info's Duration in seconds (Duration x TimestampScale), None when the header has none.
    duration: float | None = None


@dataclass(frozen=True, slots=True)
class Element:
    """An element's place: its id, first byte, data's first byte and end (all absolute)."""

    id: int
    start: int
    data_start: int
    end: int
    size_length: int  # the width its size is coded at (an edit keeps it)
    unknown: bool = False  # its size is "unknown" (runs to its parent's end)


def is_matroska_name(name: str) -> bool:
    """Whether a file's name says Matroska: .mkv .mka .mks .webm (any case)."""
    return name.lower().endswith(MATROSKA_SUFFIXES)


def stat_identity(path: str | os.PathLike[str]) -> Identity:
    """The file's size, mtime, inode and link count (OSError when it cannot be stat'ed)."""
    return _identity(os.stat(path))


def _identity(status: os.stat_result) -> Identity:
    return Identity(status.st_size, status.st_mtime_ns, status.st_ino, status.st_nlink)


def read_header(path: str | os.PathLike[str], *, limit: int = HEADER_LIMIT) -> Header:
    """The header of the Matroska file at ``path``; HeaderError (with its code) else."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as error:
        raise HeaderError("unreadable", str(error)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise HeaderError("unreadable", "not a regular file")
        reader = _Reader(descriptor, status.st_size, limit)
        return _parse(reader, _identity(status))
    except OSError as error:
        raise HeaderError("unreadable", str(error)) from None
    finally:
        os.close(descriptor)


class _Reader:
    """The file's bytes by offset, read in blocks and kept; every byte read is counted."""

    def __init__(self, descriptor: int, size: int, limit: int) -> None:
        self.descriptor = descriptor
        self.size = size
        self.limit = limit
        self.bytes_read = 0
        self._blocks: dict[int, bytes] = {}

    def read(self, offset: int, length: int) -> bytes:
        """``length`` bytes at ``offset``: "truncated" when the file ends before them."""
        if offset < 0 or length < 0:
            raise HeaderError("unreadable", "negative offset")
        if offset + length > self.size:
            raise HeaderError("truncated", f"{length} bytes at {offset} past the end")
        if length == 0:
            return b""
        first, last = offset // _BLOCK, (offset + length - 1) // _BLOCK
        missing = [block for block in range(first, last + 1) if block not in self._blocks]
        if missing:
            self._fetch(missing[0], missing[-1])
        data = b"".join(self._blocks[block] for block in range(first, last + 1))
        start = offset - first * _BLOCK
        return data[start : start + length]

    def _fetch(self, first: int, last: int) -> None:
        start = first * _BLOCK
        length = min((last + 1) * _BLOCK, self.size) - start
        if self.bytes_read + length > self.limit:
            raise HeaderError("too-large", f"more than {self.limit} bytes to read")
        data = b""
        while len(data) < length:  # a short read (a share) is read on, never trusted
            chunk = os.pread(self.descriptor, length - len(data), start + len(data))
            if not chunk:
                raise HeaderError("truncated", "the file ended while it was read")
            data += chunk
        self.bytes_read += length
        for block in range(first, last + 1):
            offset = (block - first) * _BLOCK
            self._blocks[block] = data[offset : offset + _BLOCK]

    def element(self, offset: int, parent_end: int) -> Element:
        """The element whose id starts at ``offset``, inside a parent ending at ``parent_end``."""
        head = self.read(offset, min(12, self.size - offset))
        element_id, id_length = vint(head, 0, keep_marker=True)
        if id_length > 4:
            raise HeaderError("unreadable", f"an element id of {id_length} bytes at {offset}")
        size, size_length = vint(head, id_length, keep_marker=False)
        data_start = offset + id_length + size_length
        if size == (1 << (7 * size_length)) - 1:  # all ones: unknown size
            return Element(element_id, offset, data_start, parent_end, size_length, True)
        end = data_start + size
        if end > parent_end:
            code = "truncated" if end > self.size and parent_end >= self.size else "unreadable"
            raise HeaderError(code, f"element {element_id:#x} at {offset} runs past its parent")
        return Element(element_id, offset, data_start, end, size_length)


def vint(data: bytes, offset: int, *, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of the variable-size integer at ``offset`` (RFC 8794, 4).

    An element id keeps its marker bit (``keep_marker``); a size drops it."""
    if offset >= len(data):
        raise HeaderError("truncated", "a variable-size integer past the end")
    first = data[offset]
    if first == 0:
        raise HeaderError("unreadable", f"an invalid variable-size integer at {offset}")
    length = 9 - first.bit_length()
    if offset + length > len(data):
        raise HeaderError("truncated", "a variable-size integer past the end")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    return value, length


def children(data: bytes, start: int, end: int, base: int = 0) -> list[Element]:
    """The elements one level down in ``data[start:end]`` (offsets in ``data``, plus ``base``)."""
    found = []
    offset = start
    while offset < end:
        element_id, id_length = vint(data, offset, keep_marker=True)
        size, size_length = vint(data, offset + id_length, keep_marker=False)
        data_start = offset + id_length + size_length
        if size == (1 << (7 * size_length)) - 1:
            raise HeaderError("unreadable", f"an element of unknown size at {base + offset}")
        if data_start + size > end:
            raise HeaderError("unreadable", f"element at {base + offset} runs past its parent")
        found.append(
            Element(element_id, base + offset, base + data_start, base + data_start + size,
                    size_length)
        )  # fmt: skip
        offset = data_start + size
    return found


def _parse(reader: _Reader, identity: Identity) -> Header:
    if reader.size < 4:
        raise HeaderError("not-matroska", "too short to be Matroska")
    if reader.read(0, 4) != EBML.to_bytes(4, "big"):
        raise HeaderError("not-matroska", "no EBML header")
    ebml = reader.element(0, reader.size)
    if ebml.unknown:
        raise HeaderError("unreadable", "an EBML header of unknown size")
    ebml_data = reader.read(ebml.data_start, ebml.end - ebml.data_start)
    doc_type = next(
        (_text(ebml_data, e, ebml.data_start) for e in
         children(ebml_data, 0, len(ebml_data), ebml.data_start) if e.id == DOC_TYPE),
        "matroska",  # RFC 8794: DocType has no default, but an EBML file without one is odd
    )  # fmt: skip
    if doc_type not in _DOC_TYPES:
        raise HeaderError("not-matroska", f"DocType {doc_type!r}")
    offset = ebml.end
    # The Segment: the first top-level element after the EBML header that is one (an EBML
    # Void may come between).
    while True:
        segment = reader.element(offset, reader.size)
        if segment.id == SEGMENT:
            break
        if segment.id != VOID or segment.unknown:
            raise HeaderError("not-matroska", f"element {segment.id:#x} where the Segment is")
        offset = segment.end
    durations: list[float] = []
    tracks, after = _find_tracks(reader, segment, durations)
    header = _header(reader, identity, tracks, after)
    return replace(header, duration=durations[0]) if durations else header


def _find_tracks(
    reader: _Reader, segment: Element, durations: list[float]
) -> tuple[Element, Element | None]:
    """The Tracks element and the element right after it (None: the Segment ends); an
    Info element on the way gives its duration to ``durations``."""
    seek_heads: list[Element] = []
    offset = segment.data_start
    walked = 0
    while offset < segment.end:
        walked += 1
        if walked > _MAX_ELEMENTS:
            raise HeaderError("too-large", f"more than {_MAX_ELEMENTS} elements before Tracks")
        element = reader.element(offset, segment.end)
        if element.id == INFO and not element.unknown and not durations:
            durations.extend(_duration(reader, element))
        if element.id == TRACKS:
            return _with_next(reader, segment, element)
        if element.id == CLUSTER:
            break
        if element.id == SEEK_HEAD and not element.unknown:
            seek_heads.append(element)
        if element.unknown:  # only a Cluster may have an unknown size at this level
            raise HeaderError("unreadable", f"element {element.id:#x} of unknown size")
        offset = element.end
    # Past the header: the Tracks element a SeekHead points to.
    followed = 0
    while seek_heads and followed < _MAX_SEEK_HEADS:
        followed += 1
        positions = _seek_positions(reader, seek_heads.pop(0))
        for position in positions.get(TRACKS, ()):
            target = segment.data_start + position
            if segment.data_start <= target < segment.end:
                element = reader.element(target, segment.end)
                if element.id == TRACKS:
                    return _with_next(reader, segment, element)
        for position in positions.get(SEEK_HEAD, ()):
            target = segment.data_start + position
            if segment.data_start <= target < segment.end:
                element = reader.element(target, segment.end)
                if element.id == SEEK_HEAD and not element.unknown:
                    seek_heads.append(element)
    raise HeaderError("no-tracks", "no Tracks element in the header")


def _with_next(
    reader: _Reader, segment: Element, tracks: Element
) -> tuple[Element, Element | None]:
    if tracks.unknown:
        raise HeaderError("unreadable", "a Tracks element of unknown size")
    if tracks.end >= segment.end or tracks.end >= reader.size:
        return tracks, None
    return tracks, reader.element(tracks.end, segment.end)


def _duration(reader: _Reader, info: Element) -> list[float]:
    data = reader.read(info.data_start, info.end - info.data_start)
    scale, duration = 1_000_000, None  # RFC 9559: TimestampScale's default, in ns
    for child in children(data, 0, len(data), info.data_start):
        raw = data[child.data_start - info.data_start : child.end - info.data_start]
        if child.id == TIMESTAMP_SCALE and raw:
            scale = int.from_bytes(raw[:8], "big")
        elif child.id == DURATION and len(raw) in (4, 8):
            duration = struct.unpack(">f" if len(raw) == 4 else ">d", raw)[0]
    if duration is None or not math.isfinite(duration):
        return []
    return [duration * scale / 1e9]


def _seek_positions(reader: _Reader, seek_head: Element) -> dict[int, list[int]]:
    data = reader.read(seek_head.data_start, seek_head.end - seek_head.data_start)
    positions: dict[int, list[int]] = {}
    for seek in children(data, 0, len(data)):
        if seek.id != SEEK:
            continue
        target_id = position = None
        for child in children(data, seek.data_start, seek.end):
            if child.id == SEEK_ID:
                target_id = int.from_bytes(data[child.data_start : child.end], "big")
            elif child.id == SEEK_POSITION:
                position = int.from_bytes(data[child.data_start : child.end], "big")
        if target_id is not None and position is not None:
            positions.setdefault(target_id, []).append(position)
    return positions


def _header(reader: _Reader, identity: Identity, tracks: Element, after: Element | None) -> Header:
    region_end = tracks.end
    room = 0
    if after is not None and after.id == VOID and not after.unknown:
        region_end = after.end
        room = after.end - after.start
    region = reader.read(tracks.start, region_end - tracks.start)
    base = tracks.start
    entries = children(region, tracks.data_start - base, tracks.end - base, base)
    if entries and entries[-1].id == VOID:  # Tracks' own trailing Void: room too
        room += entries[-1].end - entries[-1].start
    counts: dict[str, int] = {}
    found: list[HeaderTrack] = []
    for entry in entries:
        if entry.id == TRACK_ENTRY:
            track = _track(region, entry, base, counts)
            found.append(track)
    if not found:
        raise HeaderError("no-tracks", "a Tracks element without a track")
    return Header(
        size=reader.size,
        tracks=tuple(found),
        region_start=tracks.start,
        region_end=region_end,
        region=region,
        room=room,
        identity=identity,
    )


def _track(region: bytes, entry: Element, base: int, counts: dict[str, int]) -> HeaderTrack:
    number = track_type = 0
    language = bcp47 = name = None
    forced = False
    flag = Flag(True, None, 0)
    for child in children(region, entry.data_start - base, entry.end - base, base):
        if child.id == TRACK_NUMBER:
            number = _uint(region, child, base)
        elif child.id == TRACK_TYPE:
            track_type = _uint(region, child, base)
        elif child.id == FLAG_DEFAULT and flag.offset is None:
            value = bool(_uint(region, child, base)) if child.end > child.data_start else True
            flag = Flag(value, child.start, child.end - child.start)
        elif child.id == FLAG_FORCED:
            forced = bool(_uint(region, child, base))
        elif child.id == LANGUAGE:
            language = _text(region, child, base) or None
        elif child.id == LANGUAGE_BCP47:
            bcp47 = _text(region, child, base) or None
        elif child.id == NAME:
            name = _text(region, child, base) or None
    kind = _KINDS.get(track_type, "other")
    counts[kind] = counts.get(kind, 0) + 1
    return HeaderTrack(number, kind, counts[kind], language, bcp47, name, flag, forced)


def _uint(data: bytes, element: Element, base: int) -> int:
    if element.end - element.data_start > 8:
        raise HeaderError("unreadable", f"an integer of more than 8 bytes at {element.start}")
    return int.from_bytes(data[element.data_start - base : element.end - base], "big")


def _text(data: bytes, element: Element, base: int) -> str:
    raw = data[element.data_start - base : element.end - base].split(b"\0", 1)[0]
    return raw.decode("utf-8", errors="replace")
