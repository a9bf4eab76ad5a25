"""header_edit: the default flags planned and written in place, proved against the
field's own tool: after our edit ``mkvmerge -J`` reads every track as it reads the same
file edited by ``mkvpropedit`` (MKVToolNix's src/propedit/), while our file kept its size
and changed only inside the header's region (only the flags' bytes, and a CRC-32 over
them, when nothing had to be added)."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.default_tracks import header_edit
from scanner.default_tracks.header_edit import (
    Changed,
    Patch,
    WriteFailed,
    plan_flags,
    undo_patch,
    write_patch,
)
from scanner.default_tracks.matroska import Header, read_header
from scanner.default_tracks.verify import read_again, same_but_flags
from tests.media import AudioSpec, SubtitleSpec
from tests.mkv_files import (
    default_flags,
    explicit_flags,
    ffmpeg_file,
    mkvmerge_file,
    mkvpropedit,
    tool,
    track_properties,
    tracks_last,
    without_void,
)

AUDIO = [
    AudioSpec("fre", title="VFF", default=True),
    AudioSpec("fre", title="VFQ"),
    AudioSpec("eng"),
]
SUBTITLES = [SubtitleSpec("fre"), SubtitleSpec("eng", forced=True)]
# The Quebec household's wish: the VFQ first, no subtitle by default.
SWITCH = {("audio", 1): False, ("audio", 2): True}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, header: Header, patch: Patch) -> header_edit.WriteResult:
    assert header.identity is not None
    identity = header.identity
    return write_patch(str(path), patch, size=identity.size, mtime_ns=identity.mtime_ns,
                       ino=identity.ino, journal=lambda _patch: None)  # fmt: skip


def _differing(one: bytes, other: bytes) -> list[int]:
    assert len(one) == len(other)
    return [index for index, (a, b) in enumerate(zip(one, other, strict=True)) if a != b]


def _edit_both(path: Path, wanted: dict[tuple[str, int], bool]) -> tuple[Path, Path, Header]:
    """Our edit of ``path`` in place, and mkvpropedit's of a copy (its reference)."""
    reference = path.with_name("reference.mkv")
    shutil.copyfile(path, reference)
    mkvpropedit(reference, wanted)
    header = read_header(path)
    edit = plan_flags(header, str(path), wanted)
    assert edit.refusal is None
    assert edit.patch is not None
    _write(path, header, edit.patch)
    return path, reference, header


def _flag_data_bytes(header: Header) -> set[int]:
    return {
        track.default.offset + track.default.size - 1
        for track in header.tracks
        if track.default.offset is not None
    }


def _crc_bytes(data: bytes, header: Header) -> set[int]:
    """The data bytes of a CRC-32 element first in Tracks (ffmpeg writes one)."""
    start = header.region_start + 4
    size_length = 9 - data[start].bit_length()
    crc_at = start + size_length
    if data[crc_at] != 0xBF:
        return set()
    return set(range(crc_at + 2, crc_at + 6))


def test_mkvmerge_file_switched_as_mkvpropedit_does_only_inside_the_region(tmp_path):
    """mkvmerge's default track has no FlagDefault: making it not the default adds one,
    into the Void mkvmerge left after Tracks."""
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO, SUBTITLES)
    original = path.read_bytes()
    ours, reference, header = _edit_both(path, SWITCH)
    assert track_properties(ours) == track_properties(reference)
    after = ours.read_bytes()
    assert len(after) == len(original)
    changed = _differing(original, after)
    assert changed
    assert header.region_start <= min(changed) and max(changed) < header.region_end
    flags = default_flags(ours)
    assert (flags[("audio", 1)], flags[("audio", 2)], flags[("audio", 3)]) == (False, True, False)
    # mkvpropedit itself rewrites more than that (its SeekHead, its Voids): not our writer.
    assert reference.read_bytes() != after


def test_ffmpeg_file_flipped_changes_only_the_flag_and_its_crc(tmp_path):
    """ffmpeg writes FlagDefault 0 on the tracks that are not the default, and a CRC-32
    in Tracks (matroskaenc.c); making the VFQ default too is a one-byte flip, its CRC
    computed again (RFC 8794, 11.3.1)."""
    path = ffmpeg_file(tmp_path / "f.mkv", AUDIO, SUBTITLES)
    original = path.read_bytes()
    ours, reference, header = _edit_both(path, {("audio", 2): True, ("subtitle", 2): True})
    assert track_properties(ours) == track_properties(reference)
    after = ours.read_bytes()
    changed = set(_differing(original, after))
    flag_bytes = _flag_data_bytes(header)
    crc = _crc_bytes(original, header)
    assert crc, "ffmpeg's Tracks starts with a CRC-32"
    assert changed - crc <= flag_bytes
    assert len(changed - crc) == 2
    assert header.room == 0  # Tracks is the whole region
    tracks_data = after[max(crc) + 1 : header.region_end]
    assert after[min(crc) : min(crc) + 4] == zlib.crc32(tracks_data).to_bytes(4, "little")


def test_flags_written_out_switched_by_flipping_alone(tmp_path):
    path = explicit_flags(ffmpeg_file(tmp_path / "f.mkv", AUDIO, SUBTITLES))
    original = path.read_bytes()
    ours, reference, header = _edit_both(path, SWITCH)
    assert track_properties(ours) == track_properties(reference)
    changed = set(_differing(original, ours.read_bytes()))
    assert changed - _crc_bytes(original, header) <= _flag_data_bytes(header)


def test_tracks_after_the_clusters_flipped_in_place(tmp_path):
    path = tracks_last(explicit_flags(ffmpeg_file(tmp_path / "f.mkv", AUDIO)))
    original = path.read_bytes()
    ours, reference, header = _edit_both(path, SWITCH)
    assert track_properties(ours) == track_properties(reference)
    assert set(_differing(original, ours.read_bytes())) <= _flag_data_bytes(header)


@pytest.mark.parametrize("maker", ["ffmpeg", "mkvmerge-without-void", "tracks-last"])
def test_no_room_refused_with_the_command_a_user_can_run(tmp_path, maker):
    if maker == "ffmpeg":
        path = ffmpeg_file(tmp_path / "it's a file.mkv", AUDIO, SUBTITLES)
    elif maker == "tracks-last":
        path = tracks_last(ffmpeg_file(tmp_path / "it's a file.mkv", AUDIO, SUBTITLES))
    else:
        path = without_void(mkvmerge_file(tmp_path / "it's a file.mkv", AUDIO, SUBTITLES))
    header = read_header(path)
    before = _sha(path)
    edit = plan_flags(header, str(path), SWITCH)
    assert (edit.patch, edit.refusal) == (None, "no-room")
    assert edit.changed == (("audio", 1, True, False), ("audio", 2, False, True))
    assert _sha(path) == before
    command = shlex.split(edit.command)
    assert command[:2] == ["mkvpropedit", str(path)]
    subprocess.run([tool("mkvpropedit"), *command[1:]], check=True, capture_output=True)
    flags = default_flags(path)
    assert (flags[("audio", 1)], flags[("audio", 2)]) == (False, True)


def test_a_void_closing_tracks_is_room_too(tmp_path):
    """The Void mkvmerge leaves after Tracks, made Tracks' own last child (Tracks' size
    grown over it): the entry grows into it, Tracks keeps its size."""
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    header = read_header(path)
    data = bytearray(path.read_bytes())
    start = header.region_start + 4
    width = 9 - data[start].bit_length()
    size = int.from_bytes(data[start : start + width], "big") & ((1 << (7 * width)) - 1)
    grown = ((1 << (7 * width)) | (size + header.room)).to_bytes(width, "big")
    data[start : start + width] = grown
    path.write_bytes(bytes(data))
    inside = read_header(path)
    assert inside.region_end == header.region_end
    assert inside.room == header.room
    original = path.read_bytes()
    ours, reference, _ = _edit_both(path, SWITCH)
    assert track_properties(ours) == track_properties(reference)
    changed = _differing(original, ours.read_bytes())
    assert inside.region_start + 4 + width <= min(changed)  # Tracks' size unchanged
    assert max(changed) < inside.region_end


def test_a_crc_that_did_not_match_is_refused(tmp_path):
    path = ffmpeg_file(tmp_path / "f.mkv", AUDIO)
    header = read_header(path)
    data = bytearray(path.read_bytes())
    crc = _crc_bytes(bytes(data), header)
    data[min(crc)] ^= 0xFF
    path.write_bytes(bytes(data))
    edit = plan_flags(read_header(path), str(path), {("audio", 2): True})
    assert (edit.patch, edit.refusal) == (None, "crc")
    assert edit.command.startswith("mkvpropedit ")


def test_nothing_to_change(tmp_path):
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    header = read_header(path)
    edit = plan_flags(header, str(path), {("audio", 1): True, ("audio", 3): False})
    assert edit == header_edit.Edit(None, None, "", ())


def test_unknown_tracks_and_kinds(tmp_path):
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    header = read_header(path)
    with pytest.raises(KeyError):
        plan_flags(header, str(path), {("audio", 4): True})
    with pytest.raises(ValueError):
        plan_flags(header, str(path), {("video", 1): True})


_LAYOUTS = {
    "mkvmerge": lambda folder: mkvmerge_file(folder / "m.mkv", AUDIO, SUBTITLES),
    "ffmpeg-explicit": lambda folder: explicit_flags(
        ffmpeg_file(folder / "f.mkv", AUDIO, SUBTITLES)
    ),
}
_KEYS = [("audio", 1), ("audio", 2), ("audio", 3), ("subtitle", 1), ("subtitle", 2)]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.sampled_from(sorted(_LAYOUTS)),
    wanted=st.dictionaries(st.sampled_from(_KEYS), st.booleans(), max_size=len(_KEYS)),
)
def test_any_wanted_flags_written_read_again_and_undone(tmp_path_factory, layout, wanted):
    folder = tmp_path_factory.mktemp("any")
    path = _LAYOUTS[layout](folder)
    original_hash = _sha(path)
    before = read_again(path)
    header = read_header(path)
    current = {(t.kind, t.position): t.default.value for t in header.tracks}
    expected = {**current, **wanted}
    edit = plan_flags(header, str(path), wanted)
    assert edit.refusal is None  # both layouts have room for every flag
    assert [(kind, position) for kind, position, _, _ in edit.changed] == sorted(
        key for key, value in wanted.items() if current[key] != value
    )
    if edit.patch is None:
        assert expected == current
        return
    result = _write(path, header, edit.patch)
    after = read_header(path)
    assert {(t.kind, t.position): t.default.value for t in after.tracks} == expected
    assert after.size == header.size == result.size
    again = read_again(path)
    assert same_but_flags(before, again) is None
    assert [t.default for t in again.tracks.audio] == [
        expected[("audio", position)] for position in (1, 2, 3)
    ]
    assert default_flags(path) == expected
    undo_patch(str(path), edit.patch, size=result.size, mtime_ns=result.mtime_ns)
    assert _sha(path) == original_hash


# The writer's safety: the file planned or nothing.


@pytest.fixture
def planned(tmp_path):
    path = mkvmerge_file(tmp_path / "m.mkv", AUDIO)
    header = read_header(path)
    edit = plan_flags(header, str(path), SWITCH)
    assert edit.patch is not None
    return path, header, edit.patch


def _change_appended(path: Path, header: Header) -> None:
    with path.open("ab") as file:
        file.write(b"\0")


def _change_touched(path: Path, header: Header) -> None:
    assert header.identity is not None
    os.utime(path, ns=(header.identity.mtime_ns, header.identity.mtime_ns + 1_000_000_000))


def _change_header(path: Path, header: Header) -> None:
    """A byte of the region changed, the size and mtime put back as planned."""
    assert header.identity is not None
    with path.open("r+b") as file:
        file.seek(header.region_start + 20)
        byte = file.read(1)
        file.seek(header.region_start + 20)
        file.write(bytes([byte[0] ^ 0x01]))
    os.utime(path, ns=(header.identity.mtime_ns, header.identity.mtime_ns))


def _change_replaced(path: Path, header: Header) -> None:
    """Another file (same bytes, size and mtime) renamed over it: another inode."""
    assert header.identity is not None
    other = path.with_name("other.mkv")
    shutil.copyfile(path, other)
    os.utime(other, ns=(header.identity.mtime_ns, header.identity.mtime_ns))
    os.replace(other, path)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_change_appended, "size"),
        (_change_touched, "mtime"),
        (_change_header, "header"),
        (_change_replaced, "identity"),
    ],
)
def test_a_file_changed_since_the_plan_is_left_as_it_is(planned, change, code):
    path, header, patch = planned
    change(path, header)
    before = path.read_bytes()
    journal: list[Patch] = []
    with pytest.raises(Changed) as raised:
        assert header.identity is not None
        write_patch(str(path), patch, size=header.identity.size,
                    mtime_ns=header.identity.mtime_ns, ino=header.identity.ino,
                    journal=journal.append)  # fmt: skip
    assert raised.value.code == code
    assert journal == []
    assert path.read_bytes() == before


def test_the_journal_is_written_before_the_file_and_its_failure_stops_the_write(planned):
    path, header, patch = planned
    before = path.read_bytes()
    seen: list[bytes] = []

    def journal(given: Patch) -> None:
        assert given == patch
        seen.append(path.read_bytes())
        raise OSError("the database is down")

    assert header.identity is not None
    with pytest.raises(OSError, match="database"):
        write_patch(str(path), patch, size=header.identity.size,
                    mtime_ns=header.identity.mtime_ns, ino=header.identity.ino,
                    journal=journal)  # fmt: skip
    assert seen == [before]
    assert path.read_bytes() == before


def test_bytes_that_do_not_read_back_are_put_back(planned, monkeypatch):
    """A share that writes wrong bytes (os.pwrite made to drop a bit, once)."""
    path, header, patch = planned
    before = path.read_bytes()
    real_pwrite = os.pwrite
    calls: list[int] = []

    def bad_pwrite(descriptor: int, data: bytes, offset: int) -> int:
        calls.append(offset)
        if len(calls) == 1:
            data = bytes([data[0] ^ 0x01]) + data[1:]
        return real_pwrite(descriptor, data, offset)

    monkeypatch.setattr(header_edit.os, "pwrite", bad_pwrite)
    with pytest.raises(WriteFailed):
        _write(path, header, patch)
    assert path.read_bytes() == before


def test_undo_refuses_a_file_changed_since_the_write(planned):
    path, header, patch = planned
    result = _write(path, header, patch)
    written = path.read_bytes()
    with pytest.raises(Changed) as raised:
        undo_patch(str(path), patch, size=result.size, mtime_ns=result.mtime_ns + 1)
    assert raised.value.code == "mtime"
    with pytest.raises(Changed) as raised:
        undo_patch(str(path), patch, size=result.size + 1, mtime_ns=result.mtime_ns)
    assert raised.value.code == "size"
    undone = undo_patch(str(path), patch, size=result.size, mtime_ns=result.mtime_ns)
    assert path.read_bytes() != written
    with pytest.raises(Changed) as raised:  # undone already: the new bytes are gone
        undo_patch(str(path), patch, size=undone.size, mtime_ns=undone.mtime_ns)
    assert raised.value.code == "header"


def test_never_creates_a_file(tmp_path):
    path = tmp_path / "gone.mkv"
    with pytest.raises(FileNotFoundError):
        write_patch(str(path), Patch(0, b"a", b"b"), size=1, mtime_ns=0, ino=0,
                    journal=lambda _patch: None)  # fmt: skip
    assert not path.exists()


def test_a_patch_must_keep_the_length(tmp_path):
    with pytest.raises(ValueError):
        write_patch(str(tmp_path), Patch(0, b"ab", b"b"), size=1, mtime_ns=0, ino=0,
                    journal=lambda _patch: None)  # fmt: skip
