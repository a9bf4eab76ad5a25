"""Two reads of one file, before and after its default flags were set: the same file
but for those flags (issue 81: "after each change the file is read again and must show
the same tracks, sizes and durations with only the flags changed").

The input is what ``read_again`` gives, a ``Reading``: MediaInfo's tracks
(``scanner.engine.probe.probe``: a ``FileTracks``) with the file's size and its duration
from the Matroska header (``matroska.read_header``; MediaInfo's template does not read a
duration). A bare ``FileTracks`` is taken too (then size and duration are not compared).
Compared, in order: the audio tracks (count, then each one's language as written and as
read, variety, title, codec, forced, commentary), the file's own subtitle tracks (count,
then language, variety, title, format, forced), the size, the duration. Only an audio
track's ``default`` may differ (MediaInfo does not read a subtitle's: probe.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from scanner.default_tracks.matroska import read_header
from scanner.engine.probe import probe
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack


@dataclass(frozen=True, slots=True)
class Reading:
    tracks: FileTracks
    size: int | None = None
    duration: float | None = None  # seconds


def read_again(path: str | os.PathLike[str]) -> Reading:
    """MediaInfo's read of the file and its header's size and duration. Raises what
    probe (ProbeError) and read_header (HeaderError) raise."""
    tracks = probe(path)
    header = read_header(path)
    return Reading(tracks, header.size, header.duration)


def same_but_flags(before: FileTracks | Reading, after: FileTracks | Reading) -> str | None:
    """None when ``after`` is ``before`` with at most the default flags changed; else a
    short code of the first thing that differs: "audio-count", "audio", "subtitle-count",
    "subtitles", "size", "duration"."""
    first, second = _reading(before), _reading(after)
    if len(first.tracks.audio) != len(second.tracks.audio):
        return "audio-count"
    if any(map(_audio_differs, first.tracks.audio, second.tracks.audio)):
        return "audio"
    own_before = _own(first.tracks.subtitles)
    own_after = _own(second.tracks.subtitles)
    if len(own_before) != len(own_after):
        return "subtitle-count"
    if any(map(_subtitle_differs, own_before, own_after)):
        return "subtitles"
    if None not in (first.size, second.size) and first.size != second.size:
        return "size"
    if None not in (first.duration, second.duration) and first.duration != second.duration:
        return "duration"
    return None


def _reading(value: FileTracks | Reading) -> Reading:
    return value if isinstance(value, Reading) else Reading(value)


def _own(subtitles: tuple[SubtitleTrack, ...]) -> tuple[SubtitleTrack, ...]:
    return tuple(track for track in subtitles if track.file is None)


def _audio_differs(one: AudioTrack, other: AudioTrack) -> bool:
    return _audio_key(one) != _audio_key(other)


def _audio_key(track: AudioTrack) -> tuple[object, ...]:
    return (
        track.position,
        track.raw_language,
        track.language,
        track.variety,
        track.title,
        track.codec,
        track.forced,
        track.is_commentary,
    )


def _subtitle_differs(one: SubtitleTrack, other: SubtitleTrack) -> bool:
    return _subtitle_key(one) != _subtitle_key(other)


def _subtitle_key(track: SubtitleTrack) -> tuple[object, ...]:
    return (
        track.position,
        track.raw_language,
        track.language,
        track.variety,
        track.title,
        track.format,
        track.forced,
        track.full,
    )
