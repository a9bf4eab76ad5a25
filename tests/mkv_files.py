"""Matroska files for the default-track tests (issue 81), made the ways real files are:
by ffmpeg (tests/media.py's templates) and by mkvmerge, with their header laid out as
each tool lays it, or as a later edit leaves it.

What the tools do, measured with ffmpeg 9 (libavformat/matroskaenc.c) and mkvmerge v74
(src/merge/): both write a FlagDefault only when it is 0 (absent means 1, RFC 9559), so
the default track has none. ffmpeg writes a CRC-32 element first in every top-level
element (its ``write_crc32`` option, on by default) and no EBML Void after Tracks;
mkvmerge writes no CRC-32 and leaves a Void of about 1,200 bytes after Tracks (and one
after the SeekHead), for header edits. ``mkvpropedit`` writes every flag it sets, 1 too.

* ``ffmpeg_file``: ffmpeg's file (flags absent on the default track; no room).
* ``mkvmerge_file``: ffmpeg's file remuxed by mkvmerge, with the default flags given.
* ``explicit_flags``: every track's flag written out by mkvpropedit (flags present).
* ``without_void`` / ``tracks_last``: tests/matroska.py's rewrite (no SeekHead, Cues,
  Void or CRC-32; ``tracks_last``: Tracks after the clusters, a SeekHead pointing to it).
* ``live_file``: ffmpeg's ``-live 1``: a Segment of unknown size.
* ``mkvpropedit`` runs the tool itself; ``identify`` reads ``mkvmerge -J``.

The MKVToolNix tools come from Debian's ``mkvtoolnix`` package (scripts/ensure-packages,
which ``make test`` runs): a test that needs them fails, never skips, without them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from tests.matroska import rewrite_tracks
from tests.media import AudioSpec, SubtitleSpec, default_factory

_TYPES = {"audio": "a", "subtitle": "s", "video": "v"}


def tool(name: str) -> str:
    """The path of an MKVToolNix program; the test fails (not skips) without it."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install Debian's mkvtoolnix (scripts/ensure-packages)")
    return found


def ffmpeg_file(
    path: Path, audio: Sequence[AudioSpec], subtitles: Sequence[SubtitleSpec] = ()
) -> Path:
    """ffmpeg's Matroska file with these tracks (a copy of tests/media.py's template)."""
    return default_factory().make_video(path, audio, "mkv", subtitles=subtitles)


def mkvmerge_file(
    path: Path,
    audio: Sequence[AudioSpec],
    subtitles: Sequence[SubtitleSpec] = (),
    *,
    defaults: Mapping[tuple[str, int], bool] | None = None,
) -> Path:
    """ffmpeg's file remuxed by mkvmerge. ``defaults``: (kind, 1-based position) -> the
    flag mkvmerge writes (``--default-track-flag``); the others keep ffmpeg's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = default_factory().template(audio, "mkv", subtitles=subtitles)
    numbers = _track_ids(source)
    options: list[str] = []
    for (kind, position), value in (defaults or {}).items():
        options += ["--default-track-flag", f"{numbers[(kind, position)]}:{int(value)}"]
    _run([tool("mkvmerge"), "-q", "-o", str(path), *options, str(source)])
    return path


def explicit_flags(path: Path) -> Path:
    """Every audio and subtitle track's FlagDefault written out, at the value it has."""
    edits = {
        (kind, position): value for (kind, position), value in default_flags(path).items()
        if kind in ("audio", "subtitle")
    }  # fmt: skip
    return mkvpropedit(path, edits)


def without_void(path: Path) -> Path:
    """The header rewritten without a Void (nor SeekHead, Cues or CRC-32)."""
    rewrite_tracks(path, {})
    return path


def tracks_last(path: Path) -> Path:
    """Tracks moved after the clusters, a SeekHead at the start pointing to it."""
    rewrite_tracks(path, {}, tracks_last=True)
    return path


def live_file(path: Path, audio: Sequence[AudioSpec]) -> Path:
    """ffmpeg's file written as a live stream: the Segment's size unknown."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = default_factory().template(audio, "mkv")
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    _run([ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(source),
          "-map", "0", "-c", "copy", "-fflags", "+bitexact", "-live", "1", "-f", "matroska",
          str(path)])  # fmt: skip
    return path


def mkvpropedit(path: Path, wanted: Mapping[tuple[str, int], bool]) -> Path:
    """``mkvpropedit`` setting these flags: (kind, 1-based position) -> value."""
    command = [tool("mkvpropedit"), "-q", str(path)]
    for (kind, position), value in sorted(wanted.items()):
        command += ["--edit", f"track:{_TYPES[kind]}{position}"]
        command += ["--set", f"flag-default={int(value)}"]
    _run(command)
    return path


def identify(path: Path) -> dict[str, Any]:
    """``mkvmerge -J``: what MKVToolNix reads of the file."""
    result = _run([tool("mkvmerge"), "-J", str(path)])
    identified: dict[str, Any] = json.loads(result)
    return identified


def track_properties(path: Path) -> list[dict[str, Any]]:
    """Each track's type, codec and properties as ``mkvmerge -J`` gives them."""
    return [
        {"type": track["type"], "codec": track["codec"], **track["properties"]}
        for track in identify(path)["tracks"]
    ]


def default_flags(path: Path) -> dict[tuple[str, int], bool]:
    """(kind, 1-based position) -> the default flag, as mkvmerge reads them."""
    counts: dict[str, int] = {}
    flags = {}
    for track in identify(path)["tracks"]:
        kind = {"subtitles": "subtitle"}.get(track["type"], track["type"])
        counts[kind] = counts.get(kind, 0) + 1
        flags[(kind, counts[kind])] = bool(track["properties"]["default_track"])
    return flags


def _track_ids(path: Path) -> dict[tuple[str, int], int]:
    counts: dict[str, int] = {}
    ids = {}
    for track in identify(path)["tracks"]:
        kind = {"subtitles": "subtitle"}.get(track["type"], track["type"])
        counts[kind] = counts.get(kind, 0) + 1
        ids[(kind, counts[kind])] = int(track["id"])
    return ids


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    # mkvmerge and mkvpropedit exit 1 for warnings, 2 for errors (their --help).
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")
    return result.stdout
