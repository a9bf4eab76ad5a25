"""Audio tracks of one video file, read with MediaInfo (tagging-rules.md, "Audio tracks").

How MediaInfo is asked, and why. Measured on 400 tiny files (bench/probe.py,
files/s against a bare ``MediaInfo.parse(path)`` at 287) and on 9 MB files:

* ``output=_TEMPLATE``: an Inform template printing only the General and
  Audio fields used here, split by ASCII unit/record separators. libmediainfo
  builds no XML and Python parses none: 610 files/s, 2.1x the floor; on a
  9 MB Matroska file 7.5 ms against 14.8 ms. XML with ``full=False`` reached
  453 files/s, JSON 490.
* ``parse_speed=0``: the fields we read live in the container headers
  (Matroska Tracks, MP4 moov, TS PMT), which MediaInfo reads at any speed,
  following Matroska SeekHeads and an MP4 moov at the end. At 0 it stops
  there: the 9 MB Matroska file costs 69 KiB of reads and 1.8 ms instead of
  1 MiB and 7.5 ms at the default 0.5 (MP4 193 KiB instead of 449 KiB; TS
  reads the same either way). On a network share the bytes read are what a
  rescan waits for. Every container in the tests gives the same tracks at 0
  and at 0.5, including a file whose Tracks element mkvpropedit moved to
  the end.
* ``full=False``: the template names its fields, so "Complete" adds nothing
  (no measurable difference either way).
* No ``mediainfo_options``: pymediainfo then resets every option after each
  file, which cut the rate to 173 files/s.

pymediainfo sets options per call; every call here uses the same ones, so
``probe`` is safe from threads as long as nothing else in the process calls
``MediaInfo.parse`` with different options at the same time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymediainfo import MediaInfo

from scanner import names
from scanner.engine.languages import canonical
from scanner.errors import ProbeError

_FIELD = "\x1f"  # ASCII unit separator: never in a title a human typed
_RECORD = "\x1e"  # ASCII record separator
# Title last, so a stray separator inside a title only lengthens the title.
_TEMPLATE = (
    f"General;%Format%{_FIELD}%VideoCount%{_FIELD}%AudioCount%{_FIELD}%IsTruncated%{_RECORD}"
    "\r\n"
    f"Audio;%Language%{_FIELD}%Default%{_FIELD}%Forced%{_FIELD}%Title%{_RECORD}"
)
_GENERAL_FIELDS = 4
_AUDIO_FIELDS = 4

# Tracks that are not the programme audio: whole words, any case; the words of
# a phrase may be joined by spaces, dots, dashes or underscores ("Audio_Description").
# English, then the words release groups use in other languages (German, French,
# Spanish, Italian, Portuguese, Dutch, Scandinavian, Polish).
_GAP = r"[\s._-]*"
_NOT_PROGRAMME_WORDS = (
    r"commentary", r"commentaries", r"director", rf"isolated{_GAP}score",
    rf"audio{_GAP}descriptions?", r"descriptive", r"dvs", r"ad",
    r"kommentar(?:e|er)?", rf"audio{_GAP}deskription", r"h[öo]rfilm",
    r"commentaires?", rf"description{_GAP}audio",
    r"comentarios?", rf"audio{_GAP}descripci[óo]n",
    r"commento", r"commenti", rf"audio{_GAP}descrizione",
    r"coment[áa]rios?", rf"audio{_GAP}descri[çc][ãa]o",
    r"commentaar", rf"audio{_GAP}descriptie",
    r"syntolkning", r"synstolkning", r"komentarz", rf"audio{_GAP}deskrypcja",
)  # fmt: skip
_NOT_PROGRAMME_AUDIO = re.compile(
    r"(?<![^\W_])(" + "|".join(_NOT_PROGRAMME_WORDS) + r")(?![^\W_])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class AudioTrack:
    """One audio track as the file declares it; ``language`` is canonical or None (unknown)."""

    position: int  # 1-based, in the order MediaInfo lists the audio tracks
    raw_language: str | None
    language: str | None
    title: str | None
    default: bool
    forced: bool
    is_commentary: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "raw_language": self.raw_language,
            "language": self.language,
            "title": self.title,
            "default": self.default,
            "forced": self.forced,
            "is_commentary": self.is_commentary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AudioTrack:
        return cls(
            position=int(data["position"]),
            raw_language=data["raw_language"],
            language=data["language"],
            title=data["title"],
            default=bool(data["default"]),
            forced=bool(data["forced"]),
            is_commentary=bool(data["is_commentary"]),
        )


def is_commentary_title(title: str | None) -> bool:
    """Whether a track title says the track is commentary, a score or audio description."""
    return bool(title) and _NOT_PROGRAMME_AUDIO.search(title) is not None


def make_track(
    position: int,
    raw_language: str | None,
    title: str | None,
    *,
    default: bool = False,
    forced: bool = False,
) -> AudioTrack:
    """Build a track the way ``probe`` does: canonical language, commentary from the title."""
    return AudioTrack(
        position=position,
        raw_language=raw_language,
        language=canonical(raw_language),
        title=title,
        default=default,
        forced=forced,
        is_commentary=is_commentary_title(title),
    )


def probe(path: str | os.PathLike[str]) -> tuple[AudioTrack, ...]:
    """The audio tracks of the video file at ``path``; () for a video without audio.

    Raises ProbeError with a human reason when the file is gone, cannot be
    opened or is not a media file MediaInfo understands. Never anything else.
    """
    name = os.fspath(path)
    try:
        text = _parse(name)
    except FileNotFoundError:
        # pymediainfo says "not found" whenever os.path.exists() is False,
        # which is also the case for a folder we may not search: look again.
        raise ProbeError(name, _why_unopenable(name)) from None
    except (RuntimeError, ValueError, UnicodeError) as error:
        # RuntimeError: libmediainfo could not open it; ValueError and
        # UnicodeError: a name ctypes cannot pass (NUL byte, bad encoding).
        raise ProbeError(name, _why_unopenable(name)) from error
    except OSError as error:
        raise ProbeError(name, f"MediaInfo is not usable: {error}") from error
    if not isinstance(text, str):  # output= makes pymediainfo return text; never a MediaInfo
        raise ProbeError(name, "MediaInfo returned no text output")
    return _parse_output(name, text)


def _parse(name: str) -> object:
    if not names.has_undecodable_bytes(name):
        return MediaInfo.parse(name, output=_TEMPLATE, full=False, parse_speed=0)
    # MediaInfo takes names as text, and bytes that are not UTF-8 do not survive
    # that: open the file here and let MediaInfo read it through /proc.
    descriptor = os.open(name, os.O_RDONLY)
    try:
        return MediaInfo.parse(
            f"/proc/self/fd/{descriptor}", output=_TEMPLATE, full=False, parse_speed=0
        )
    finally:
        os.close(descriptor)


def _parse_output(name: str, text: str) -> tuple[AudioTrack, ...]:
    records = text.split(_RECORD)
    general = records[0].split(_FIELD)
    if len(general) != _GENERAL_FIELDS:
        raise ProbeError(name, f"unexpected MediaInfo output {records[0]!r}")
    container, video_count, audio_count, truncated = (value.strip() for value in general)
    if not container:
        raise ProbeError(name, _why_not_media(name))
    if not video_count and not audio_count:
        # A real video without audio still has its video stream.
        state = "truncated" if truncated == "Yes" else "corrupt"
        raise ProbeError(name, f"{container} file without any stream ({state}?)")
    tracks: list[AudioTrack] = []
    for record in records[1:]:
        # Only the text after the last separator is empty. (Not .strip(): Python
        # counts the separators themselves as whitespace.)
        if record in ("", "\n", "\r\n"):
            continue
        fields = record.split(_FIELD, _AUDIO_FIELDS - 1)
        if len(fields) != _AUDIO_FIELDS:
            raise ProbeError(name, f"unexpected MediaInfo output {record!r}")
        language, default, forced, title = fields
        tracks.append(
            make_track(
                len(tracks) + 1,
                language.strip() or None,
                title.strip() or None,
                default=default == "Yes",
                forced=forced == "Yes",
            )
        )
    if len(tracks) != (int(audio_count) if audio_count.isdigit() else 0):
        raise ProbeError(
            name, f"MediaInfo counted {audio_count} audio tracks, listed {len(tracks)}"
        )
    return tuple(tracks)


def _why_unopenable(name: str) -> str:
    """Why MediaInfo could not open ``name``: asked only after it failed, so free on success."""
    try:
        if Path(name).is_dir():
            return "is a folder, not a file"
        with open(name, "rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        return "file not found (moved or deleted since it was listed?)"
    except PermissionError:
        return "permission denied"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    except ValueError:
        return "file name cannot be passed to MediaInfo"
    return "MediaInfo could not open the file"


def _why_not_media(name: str) -> str:
    try:
        size = os.stat(name).st_size
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if size == 0:
        return "empty file (0 bytes)"
    return "not a media file MediaInfo recognises (corrupt or another kind of file)"
