"""A small Matroska (EBML) rewriter for test files: the track header elements ffmpeg
cannot write the way a real muxer does, set on a file ffmpeg made.

ffmpeg writes a BCP-47 language (``en-US``) as it likes, and no subtitle codec it
cannot encode (PGS). Real files carry, per track, the ISO 639-2 ``Language`` and
the BCP-47 ``LanguageBCP47`` (mkvmerge writes both; some muxers only the
latter), and PGS subtitle tracks from Blu-rays. ``rewrite_tracks`` edits those
elements of a finished file: it parses the Segment's top-level elements, rebuilds
``Tracks`` with the edits, and writes the Segment back without the SeekHead,
Cues and Void elements (all optional: a reader then finds the elements by
walking the Segment, as MediaInfo does). ``tracks_last`` moves ``Tracks`` after
the clusters and adds a SeekHead pointing at it, as ``mkvpropedit`` does when a
grown header no longer fits.

The element ids and the variable-size integer coding are those of RFC 8794 (EBML)
and RFC 9559 (Matroska).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scanner.default_tracks.matroska import (  # the ids once, with the product's reader
    CRC32,
    LANGUAGE,
    LANGUAGE_BCP47,
    NAME,
    SEEK,
    SEEK_HEAD,
    SEEK_ID,
    SEEK_POSITION,
    SEGMENT,
    TRACK_ENTRY,
    TRACK_TYPE,
    TRACKS,
    VOID,
)
from scanner.default_tracks.matroska import EBML as EBML_HEADER

CODEC_ID = 0x86
CODEC_PRIVATE = 0x63A2
CUES = 0x1C53BB6B
DROPPED_TOP_LEVEL = frozenset({SEEK_HEAD, CUES, VOID, CRC32})
UNKNOWN_SIZE = (1 << 56) - 1

TRACK_TYPES = {"video": 1, "audio": 2, "subtitle": 17}


@dataclass(frozen=True, slots=True)
class TrackEdit:
    """What to set on one track. ``None`` leaves an element as it is; ``""`` removes it."""

    language: str | None = None  # ISO 639-2 ``Language``
    bcp47: str | None = None  # ``LanguageBCP47`` (called LanguageIETF by older tools)
    name: str | None = None
    codec_id: str | None = None  # e.g. "S_HDMV/PGS"


@dataclass(frozen=True, slots=True)
class Element:
    id: int
    start: int  # offset of the id
    data_start: int
    data_end: int


def read_vint(data: bytes, offset: int, *, keep_marker: bool) -> tuple[int, int]:
    """(value, length) of the variable-size integer at ``offset``. Ids keep their marker bit."""
    first = data[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise ValueError(f"invalid EBML integer at byte {offset}")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    return value, length


def elements(data: bytes, start: int, end: int) -> list[Element]:
    """The elements one level down in ``data[start:end]``; an unknown size runs to ``end``."""
    found = []
    offset = start
    while offset < end:
        element_id, id_length = read_vint(data, offset, keep_marker=True)
        size, size_length = read_vint(data, offset + id_length, keep_marker=False)
        data_start = offset + id_length + size_length
        unknown = size == (1 << (7 * size_length)) - 1
        data_end = end if unknown else data_start + size
        found.append(Element(element_id, offset, data_start, data_end))
        offset = data_end
    return found


def encode_id(element_id: int) -> bytes:
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")


def encode_size(size: int, length: int | None = None) -> bytes:
    if length is None:
        length = next(n for n in range(1, 9) if size < (1 << (7 * n)) - 1)
    return ((1 << (7 * length)) | size).to_bytes(length, "big")


def element(element_id: int, payload: bytes) -> bytes:
    return encode_id(element_id) + encode_size(len(payload)) + payload


def uint_element(element_id: int, value: int) -> bytes:
    return element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def text_element(element_id: int, value: str) -> bytes:
    return element(element_id, value.encode("utf-8"))


def read_uint(data: bytes, found: Element) -> int:
    return int.from_bytes(data[found.data_start : found.data_end], "big")


def read_text(data: bytes, found: Element) -> str:
    return data[found.data_start : found.data_end].rstrip(b"\0").decode("utf-8")


def track_headers(path: Path) -> list[dict[str, object]]:
    """Each track's type, codec, languages and name as the file stores them (for tests)."""
    data = path.read_bytes()
    segment = _segment(data)
    tracks = next(e for e in elements(data, segment.data_start, segment.data_end) if e.id == TRACKS)
    result = []
    for entry in elements(data, tracks.data_start, tracks.data_end):
        if entry.id != TRACK_ENTRY:
            continue
        fields: dict[str, object] = {}
        for child in elements(data, entry.data_start, entry.data_end):
            if child.id == TRACK_TYPE:
                fields["type"] = read_uint(data, child)
            elif child.id in (CODEC_ID, LANGUAGE, LANGUAGE_BCP47, NAME):
                key = {CODEC_ID: "codec_id", LANGUAGE: "language", LANGUAGE_BCP47: "bcp47"}
                fields[key.get(child.id, "name")] = read_text(data, child)
        result.append(fields)
    return result


def rewrite_tracks(
    path: Path,
    edits: Mapping[tuple[str, int], TrackEdit],
    *,
    tracks_last: bool = False,
) -> None:
    """Apply ``edits``, keyed by (track type, 0-based index among tracks of that type)."""
    data = path.read_bytes()
    header = next(e for e in elements(data, 0, len(data)) if e.id == EBML_HEADER)
    segment = _segment(data)
    children = [
        child
        for child in elements(data, segment.data_start, segment.data_end)
        if child.id not in DROPPED_TOP_LEVEL
    ]
    tracks = next(child for child in children if child.id == TRACKS)
    new_tracks = element(TRACKS, _edited_tracks(data, tracks, edits))
    parts = [new_tracks if child is tracks else data[child.start : child.data_end]
             for child in children]  # fmt: skip
    if tracks_last:
        others = [part for part, child in zip(parts, children, strict=True) if child is not tracks]
        # A SeekHead of fixed size first, pointing at Tracks after everything else.
        seek_size = len(_seek_head(0))
        position = seek_size + sum(len(part) for part in others)
        parts = [_seek_head(position), *others, new_tracks]
    body = b"".join(parts)
    out = data[header.start : header.data_end] + encode_id(SEGMENT) + encode_size(len(body), 8)
    path.write_bytes(out + body)


def _segment(data: bytes) -> Element:
    return next(e for e in elements(data, 0, len(data)) if e.id == SEGMENT)


def _seek_head(tracks_position: int) -> bytes:
    seek = element(SEEK_ID, encode_id(TRACKS)) + element(
        SEEK_POSITION, tracks_position.to_bytes(8, "big")
    )
    return element(SEEK_HEAD, element(SEEK, seek))


def _edited_tracks(
    data: bytes, tracks: Element, edits: Mapping[tuple[str, int], TrackEdit]
) -> bytes:
    unknown = {kind for kind, _ in edits} - set(TRACK_TYPES)
    if unknown:
        raise ValueError(f"unknown track types {sorted(unknown)}")
    counts: dict[int, int] = {}
    out = []
    for entry in elements(data, tracks.data_start, tracks.data_end):
        if entry.id == CRC32:
            continue  # it would no longer match
        if entry.id != TRACK_ENTRY:
            out.append(data[entry.start : entry.data_end])
            continue
        children = elements(data, entry.data_start, entry.data_end)
        track_type = next(read_uint(data, c) for c in children if c.id == TRACK_TYPE)
        index = counts.get(track_type, 0)
        counts[track_type] = index + 1
        kind = next((k for k, v in TRACK_TYPES.items() if v == track_type), "")
        edit = edits.get((kind, index))
        raw = data[entry.start : entry.data_end]
        out.append(_edited_entry(data, children, edit) if edit else raw)
    missing = [key for key in edits if counts.get(TRACK_TYPES[key[0]], 0) <= key[1]]
    if missing:
        raise ValueError(f"the file has no track {missing}")
    return b"".join(out)


def _edited_entry(data: bytes, children: list[Element], edit: TrackEdit) -> bytes:
    replaced = {
        LANGUAGE: edit.language,
        LANGUAGE_BCP47: edit.bcp47,
        NAME: edit.name,
        CODEC_ID: edit.codec_id,
    }
    kept = [
        data[child.start : child.data_end]
        for child in children
        if child.id != CRC32
        and replaced.get(child.id) is None
        and not (child.id == CODEC_PRIVATE and edit.codec_id is not None)
    ]
    added = [text_element(element_id, value) for element_id, value in replaced.items() if value]
    return element(TRACK_ENTRY, b"".join(kept + added))
