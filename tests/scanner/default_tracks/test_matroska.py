"""matroska.read_header: a real file's tracks and flags, read from its header alone,
within a byte budget; every broken file a HeaderError with its code."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.default_tracks import matroska
from scanner.default_tracks.matroska import (
    HeaderError,
    is_matroska_name,
    read_header,
    stat_identity,
)
from scanner.engine.probe import probe
from tests.media import AudioSpec, SubtitleSpec, default_factory
from tests.mkv_files import (
    default_flags,
    explicit_flags,
    ffmpeg_file,
    live_file,
    mkvmerge_file,
    tracks_last,
    without_void,
)

AUDIO = [
    AudioSpec("fre", title="VFQ", default=True),
    AudioSpec("eng", forced=True),
    AudioSpec("fr-FR", title="VFF"),
]
SUBTITLES = [SubtitleSpec("eng"), SubtitleSpec("fre", forced=True)]


def _summary(path: Path) -> list[tuple[str, int, bool]]:
    return [(t.kind, t.position, t.default.value) for t in read_header(path).tracks]


def test_an_ffmpeg_file_s_tracks_in_header_order_with_their_flags_and_names(tmp_path):
    path = ffmpeg_file(tmp_path / "a.mkv", AUDIO, SUBTITLES)
    header = read_header(path)
    kinds = [(t.kind, t.position, t.number) for t in header.tracks]
    assert kinds == [
        ("video", 1, 1), ("audio", 1, 2), ("audio", 2, 3), ("audio", 3, 4),
        ("subtitle", 1, 5), ("subtitle", 2, 6),
    ]  # fmt: skip
    audio = [t for t in header.tracks if t.kind == "audio"]
    assert [(t.language, t.language_bcp47, t.name, t.forced) for t in audio] == [
        ("fre", None, "VFQ", False),
        ("eng", None, None, True),
        ("fre", "fr-FR", "VFF", False),
    ]
    # ffmpeg writes FlagDefault only when it is 0 (matroskaenc.c, mkv_write_track): the
    # default track has none, and its flag reads as RFC 9559's default, 1.
    first = audio[0].default
    assert (first.value, first.offset, first.size) == (True, None, 0)
    second = audio[1].default
    assert (second.value, second.size) == (False, 3)
    assert second.offset is not None
    data = path.read_bytes()
    assert data[second.offset : second.offset + 3] == b"\x88\x81\x00"
    assert header.size == path.stat().st_size
    assert header.identity == stat_identity(path)
    assert header.duration == pytest.approx(0.2, abs=0.05)


def test_the_header_agrees_with_mediainfo_and_mkvmerge_on_every_flag(tmp_path):
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO, SUBTITLES, defaults={("audio", 3): True})
    header = read_header(path)
    flags = {(t.kind, t.position): t.default.value for t in header.tracks}
    assert flags == default_flags(path)
    tracks = probe(path)
    # MediaInfo's audio positions are the header's (engine AudioTrack.position).
    assert [t.default for t in tracks.audio] == [
        t.default.value for t in header.tracks if t.kind == "audio"
    ]
    assert len(tracks.subtitles) == sum(t.kind == "subtitle" for t in header.tracks)


def test_positions_are_header_order_as_mediainfo_s_when_track_numbers_are_not(tmp_path):
    """Two audio tracks' TrackNumbers swapped in the header: MediaInfo still lists them
    in header order (the position probe gives), as mkvmerge -J does, and so does the
    header's ``position``."""
    path = mkvmerge_file(tmp_path / "m.mkv", [AudioSpec("fre", title="first", default=True),
                                              AudioSpec("eng", title="second")])  # fmt: skip
    data = bytearray(path.read_bytes())
    numbers = [data.index(bytes([0xD7, 0x81, number])) for number in (2, 3)]
    data[numbers[0] + 2], data[numbers[1] + 2] = 3, 2
    path.write_bytes(bytes(data))
    audio = [t for t in read_header(path).tracks if t.kind == "audio"]
    assert [(t.number, t.position, t.name) for t in audio] == [(3, 1, "first"), (2, 2, "second")]
    assert [(t.position, t.title) for t in probe(path).audio] == [(1, "first"), (2, "second")]


def test_room_is_the_void_mkvmerge_leaves_after_tracks_and_none_from_ffmpeg(tmp_path):
    merged = read_header(mkvmerge_file(tmp_path / "m.mkv", AUDIO))
    data = (tmp_path / "m.mkv").read_bytes()
    tracks_end = merged.region_end - merged.room
    assert data[merged.region_start : merged.region_start + 4] == b"\x16\x54\xae\x6b"
    assert data[tracks_end] == 0xEC  # an EBML Void right after Tracks
    assert 1000 < merged.room < 2000
    assert merged.region == data[merged.region_start : merged.region_end]
    made = read_header(ffmpeg_file(tmp_path / "f.mkv", AUDIO))
    assert made.room == 0
    assert made.region_end > made.region_start


def test_flags_written_out_read_as_written(tmp_path):
    path = explicit_flags(mkvmerge_file(tmp_path / "m.mkv", AUDIO))
    audio = [t for t in read_header(path).tracks if t.kind == "audio"]
    assert [(t.default.value, t.default.size) for t in audio] == [(True, 3), (False, 3), (False, 3)]


def test_tracks_after_the_clusters_found_through_the_seekhead(tmp_path):
    path = tracks_last(ffmpeg_file(tmp_path / "a.mkv", AUDIO))
    header = read_header(path)
    assert header.region_end == header.size  # the last element of the file
    assert _summary(path)[1:4] == [("audio", 1, True), ("audio", 2, False), ("audio", 3, False)]


def test_a_live_stream_s_segment_of_unknown_size(tmp_path):
    path = live_file(tmp_path / "live.mkv", AUDIO)
    data = path.read_bytes()
    assert b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" in data[:64]  # unknown size
    assert _summary(path)[1:4] == [("audio", 1, True), ("audio", 2, False), ("audio", 3, False)]


def test_webm(tmp_path):
    path = default_factory().make_video(tmp_path / "a.webm", [AudioSpec("eng", default=True)],
                                        "webm")  # fmt: skip
    assert [t.kind for t in read_header(path).tracks] == ["video", "audio"]


def test_no_read_beyond_the_header(tmp_path, monkeypatch):
    """A long file read within its first 16 KiB block; the clusters replaced by garbage change
    nothing: they are never read."""
    source = default_factory().template(AUDIO, "mkv", seconds=3)
    path = tmp_path / "long.mkv"
    path.write_bytes(source.read_bytes())
    assert path.stat().st_size > 150_000
    counted: list[int] = []
    real_pread = os.pread

    def counting_pread(descriptor: int, length: int, offset: int) -> bytes:
        data = real_pread(descriptor, length, offset)
        counted.append(len(data))
        return data

    monkeypatch.setattr(matroska.os, "pread", counting_pread)
    header = read_header(path)
    assert sum(counted) <= 16 * 1024
    assert read_header(path, limit=16 * 1024) == header
    monkeypatch.undo()
    data = bytearray(path.read_bytes())
    garbage = random.Random(81).randbytes(len(data) - header.region_end)  # noqa: S311
    data[header.region_end :] = garbage
    path.write_bytes(bytes(data))
    again = read_header(path)
    assert (again.tracks, again.region, again.room) == (header.tracks, header.region, header.room)


def test_a_header_larger_than_the_limit(tmp_path):
    path = tracks_last(ffmpeg_file(tmp_path / "a.mkv", AUDIO))  # clusters before Tracks
    with pytest.raises(HeaderError) as raised:
        read_header(path, limit=1024)
    assert raised.value.code == "too-large"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "not-matroska"),
        (b"\x1a\x45", "not-matroska"),
        (b"this is a text file that someone named like a video\n" * 4, "not-matroska"),
        (b"\x00\x00\x00\x20ftypisom" + bytes(64), "not-matroska"),
        (b"\x1a\x45\xdf\xa3\x84\x42\x82\x81x", "not-matroska"),  # DocType "x"
        (b"\x1a\x45\xdf\xa3\x88\x42\x82\x85webm", "truncated"),  # no Segment after it
    ],
)
def test_files_that_are_no_matroska(tmp_path, content, code):
    path = tmp_path / "x.mkv"
    path.write_bytes(content)
    with pytest.raises(HeaderError) as raised:
        read_header(path)
    assert raised.value.code == code


def test_an_mp4_is_not_matroska(tmp_path):
    path = default_factory().make_video(tmp_path / "a.mp4", [AudioSpec("eng")], "mp4")
    with pytest.raises(HeaderError) as raised:
        read_header(path)
    assert raised.value.code == "not-matroska"


def test_cut_short_is_truncated(tmp_path):
    """Cut inside the header, or after it (a file still being copied: its Segment is
    longer than the file)."""
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    header = read_header(path)
    data = path.read_bytes()
    cuts = (60, header.region_start + 10, header.region_end - header.room - 5,
            header.region_end + 100)  # fmt: skip
    for cut in cuts:
        path.write_bytes(data[:cut])
        with pytest.raises(HeaderError) as raised:
            read_header(path)
        assert raised.value.code == "truncated", cut


def test_no_tracks_before_the_first_cluster(tmp_path):
    path = tracks_last(ffmpeg_file(tmp_path / "a.mkv", AUDIO))
    data = bytearray(path.read_bytes())
    seek_id = data.index(b"\x53\xab\x84\x16\x54\xae\x6b")  # the SeekHead's pointer to Tracks
    data[seek_id + 3 : seek_id + 7] = b"\x12\x54\xc3\x67"  # now it points to Tags
    path.write_bytes(bytes(data))
    with pytest.raises(HeaderError) as raised:
        read_header(path)
    assert raised.value.code == "no-tracks"


def test_a_walk_of_endless_voids_stops(tmp_path):
    """A hostile header: thousands of empty Voids before anything else."""
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    data = path.read_bytes()
    segment = data.index(b"\x18\x53\x80\x67")
    voids = b"\xec\x80" * 5000
    body = voids + data[segment + 12 :]
    size = ((1 << 56) | len(body)).to_bytes(8, "big")
    path.write_bytes(data[:segment] + b"\x18\x53\x80\x67" + size + body)
    with pytest.raises(HeaderError) as raised:
        read_header(path)
    assert raised.value.code == "too-large"


def test_missing_and_folder_are_unreadable(tmp_path):
    for path in (tmp_path / "gone.mkv", tmp_path):
        with pytest.raises(HeaderError) as raised:
            read_header(path)
        assert raised.value.code == "unreadable"


def _header_bytes() -> bytes:
    source = default_factory().template(AUDIO, "mkv", subtitles=SUBTITLES)
    data = source.read_bytes()
    return data[: read_header(source).region_end + 64]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_only_header_errors(tmp_path_factory, data):
    """Random truncations and byte changes of a real header: read, or HeaderError."""
    original = _header_bytes()
    cut = data.draw(st.integers(0, len(original)))
    content = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 4))):
        if content:
            at = data.draw(st.integers(0, len(content) - 1))
            content[at] = data.draw(st.integers(0, 255))
    path = tmp_path_factory.mktemp("fuzz") / "f.mkv"
    path.write_bytes(bytes(content))
    try:
        read_header(path)
    except HeaderError as error:
        assert error.code in {"not-matroska", "truncated", "no-tracks", "too-large", "unreadable"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.mkv", True), ("A.MKA", True), ("b.mks", True), ("c.WebM", True),
     ("d.mp4", False), ("e.mkv.part", False), ("mkv", False)],
)  # fmt: skip
def test_is_matroska_name(name, expected):
    assert is_matroska_name(name) is expected


def test_without_a_void_there_is_no_room(tmp_path):
    path = without_void(mkvmerge_file(tmp_path / "m.mkv", AUDIO))
    assert read_header(path).room == 0
