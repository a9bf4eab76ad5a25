"""Which Plex stream is which of Taggarr's tracks, for one file: pure, and certain or
nothing (issue 70: "refuse to choose when the match is not certain, say why").

Taggarr's tracks (scanner.engine.tracks) come from MediaInfo: ``AudioTrack.position``
is 1-based among the file's audio tracks in the file's order, ``SubtitleTrack.position``
among its subtitle tracks (0 for a sidecar file, named by ``file``). Plex's streams
(clients.plex_streams) come from its own analysis of the same file: its audio streams
in their ``index`` order are the file's audio tracks in order, and so on.

- The part: the one whose ``file`` is the file's path as Plex sees it; else the one
  part with the same file name (an item's versions have different names).
- Audio: the n-th audio stream is the n-th audio track (an external audio file beside
  the video, ``AudioTrack.file``, is none of them), when the counts agree, and
  each pair is confirmed: the language both read from the file's tag (Plex's
  ``languageCode`` is ISO 639-2/B, ``fre``; Taggarr's ``raw_language`` read as
  ``languages.canonical``), the title, and the codec's family where Taggarr kept one
  (``AudioTrack.codec``, engine.audio_codecs: MediaInfo's ``E-AC-3`` is Plex's ``eac3``,
  ``DTS`` its ``dca``; ``plex_codec`` below). An unknown value on either side
  confirms nothing and contradicts nothing. A mislabelled track (the file says ``eng``,
  Taggarr heard French) is matched: both read the same tag; which track to play is the
  choice's business, not the match's.
- Embedded subtitles: likewise by order among the non-sidecar subtitle streams.
- Sidecar subtitles: Plex lists them with a ``key`` and no index, and python-plexapi
  exposes no file name for them: one matches the Plex sidecar of the same language,
  forced flag and format, when exactly one is.

Any doubt about audio leaves ``audio`` empty, any about subtitles ``subtitles`` and
``sidecars`` empty; ``doubts`` says why, as codes the UI translates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from scanner.engine.languages import canonical, same_language
from scanner.engine.tracks import AudioTrack, SubtitleTrack
from scanner.media_servers.clients.plex_streams import PlexPart, PlexStream

__all__ = ["Doubt", "MatchDoubt", "StreamMatch", "match_streams", "plex_codec"]

MatchDoubt = Literal[
    "part-not-found",  # no part of the item is this file
    "two-parts",  # two parts have the file's name and neither its path
    "audio-count-differs",  # Plex and Taggarr count a different number of audio tracks
    "subtitle-count-differs",  # ... of subtitle tracks in the file
    "language-disagrees",  # a pair whose languages are two different languages
    "title-disagrees",  # a pair whose titles differ
    "codec-disagrees",  # a pair whose codecs are of different families
    "order-unknown",  # Plex's streams have no usable index to order them by
    "two-candidates",  # two Plex sidecars fit one of Taggarr's
    "no-candidate",  # no Plex sidecar fits one of Taggarr's
]
TrackKind = Literal["audio", "subtitle", "part"]


@dataclass(frozen=True)
class Doubt:
    code: MatchDoubt
    kind: TrackKind
    track: int | str | None = None  # Taggarr's position (a sidecar: its file), if one


@dataclass(frozen=True)
class StreamMatch:
    part_id: int | None
    audio: Mapping[int, int] = field(default_factory=dict)  # position -> stream id
    subtitles: Mapping[int, int] = field(default_factory=dict)  # position -> stream id
    sidecars: Mapping[str, int] = field(default_factory=dict)  # file -> stream id
    doubts: tuple[Doubt, ...] = ()

    @property
    def doubt(self) -> Doubt | None:
        """The first reason not to trust it, None when certain."""
        return self.doubts[0] if self.doubts else None

    def audio_certain(self) -> bool:
        return self.part_id is not None and not any(
            d.kind in ("audio", "part") for d in self.doubts
        )

    def subtitles_certain(self) -> bool:
        return self.part_id is not None and not any(
            d.kind in ("subtitle", "part") for d in self.doubts
        )


# Plex's codec of an audio stream -> the family (engine.audio_codecs). Plex names a
# stream's codec as ffmpeg does (python-plexapi 4.18, plexapi/media.py: ``MediaPartStream
# .codec`` is the XML's ``codec`` attribute, "ex: srt, ac3, mpeg4"), DTS as ffmpeg's old
# "dca", its extensions in ``profile`` ("ma", "hra"); an item's ``Media.audioCodec`` says
# "dca-ma" for DTS-HD MA. PCM is "pcm" or ffmpeg's "pcm_s16le"..., WMA "wmav2", "wmapro".
_PLEX_FAMILIES: dict[str, str] = {
    "aac": "aac",
    "ac3": "ac3",
    "eac3": "eac3",
    "dca": "dts",
    "dca-ma": "dts",
    "dts": "dts",
    "truehd": "truehd",
    "flac": "flac",
    "opus": "opus",
    "vorbis": "vorbis",
    "mp1": "mpeg",
    "mp2": "mpeg",
    "mp3": "mpeg",
    "pcm": "pcm",
    "wmav1": "wma",
    "wmav2": "wma",
    "wmapro": "wma",
}


def match_streams(
    file: str,
    parts: Sequence[PlexPart],
    audio: Sequence[AudioTrack],
    subtitles: Sequence[SubtitleTrack] = (),
) -> StreamMatch:
    """Taggarr's tracks of ``file`` (its path as Plex sees it) to the streams of the
    part that is that file."""
    part, part_doubt = _part(file, parts)
    if part is None:
        return StreamMatch(None, doubts=(part_doubt or Doubt("part-not-found", "part"),))
    audio_map, audio_doubts = _audio(part, audio)
    subtitle_map, sidecar_map, subtitle_doubts = _subtitles(part, subtitles)
    doubts = tuple(audio_doubts + subtitle_doubts)
    return StreamMatch(
        part.id,
        audio={} if audio_doubts else audio_map,
        subtitles={} if subtitle_doubts else subtitle_map,
        sidecars={} if subtitle_doubts else sidecar_map,
        doubts=doubts,
    )


def _part(file: str, parts: Sequence[PlexPart]) -> tuple[PlexPart | None, Doubt | None]:
    exact = [part for part in parts if part.file == file]
    if len(exact) == 1:
        return exact[0], None
    name = PurePath(file).name
    named = [part for part in parts if PurePath(part.file).name == name]
    if len(named) == 1:
        return named[0], None
    return None, Doubt("two-parts" if len(named) > 1 else "part-not-found", "part")


def _ordered(streams: Sequence[PlexStream]) -> list[PlexStream] | None:
    indexes = [s.index for s in streams]
    if any(i is None for i in indexes) or len(set(indexes)) != len(indexes):
        return None
    return sorted(streams, key=lambda s: s.index or 0)


def _audio(part: PlexPart, tracks: Sequence[AudioTrack]) -> tuple[dict[int, int], list[Doubt]]:
    streams = _ordered(part.audio())
    if streams is None:
        return {}, [Doubt("order-unknown", "audio")]
    # An external audio file is no stream of the part: Plex does not read one.
    ordered = sorted((t for t in tracks if t.file is None), key=lambda t: t.position)
    if len(streams) != len(ordered):
        return {}, [Doubt("audio-count-differs", "audio")]
    found: dict[int, int] = {}
    doubts: list[Doubt] = []
    for track, stream in zip(ordered, streams, strict=True):
        code = _disagreement(track.raw_language, track.title, stream)
        if code is None and not _same_codec(track.codec, stream.codec):
            code = "codec-disagrees"
        if code is not None:
            doubts.append(Doubt(code, "audio", track.position))
        found[track.position] = stream.id
    return found, doubts


def _subtitles(
    part: PlexPart, tracks: Sequence[SubtitleTrack]
) -> tuple[dict[int, int], dict[str, int], list[Doubt]]:
    embedded = [t for t in tracks if t.position > 0 and t.file is None]
    sidecars = [t for t in tracks if t.file is not None]
    found: dict[int, int] = {}
    by_file: dict[str, int] = {}
    doubts: list[Doubt] = []
    inside = [s for s in part.subtitles() if not s.external]
    streams = _ordered(inside)
    if streams is None:
        doubts.append(Doubt("order-unknown", "subtitle"))
    elif len(streams) != len(embedded):
        doubts.append(Doubt("subtitle-count-differs", "subtitle"))
    else:
        ordered = sorted(embedded, key=lambda t: t.position)
        for track, stream in zip(ordered, streams, strict=True):
            code = _disagreement(track.raw_language, track.title, stream)
            if code is not None:
                doubts.append(Doubt(code, "subtitle", track.position))
            found[track.position] = stream.id
    outside = [s for s in part.subtitles() if s.external]
    for track in sidecars:
        name = track.file or ""
        fits = [s for s in outside if _fits_sidecar(track, s)]
        if len(fits) == 1:
            by_file[name] = fits[0].id
        else:
            doubts.append(Doubt("two-candidates" if fits else "no-candidate", "subtitle", name))
    return found, by_file, doubts


def _disagreement(
    raw_language: str | None, title: str | None, stream: PlexStream
) -> MatchDoubt | None:
    ours, theirs = canonical(raw_language), canonical(stream.language_code or None)
    if ours and theirs and not same_language(ours, theirs):
        return "language-disagrees"
    if _text(title) and _text(stream.title) and _text(title) != _text(stream.title):
        return "title-disagrees"
    return None


def _fits_sidecar(track: SubtitleTrack, stream: PlexStream) -> bool:
    ours, theirs = track.language, canonical(stream.language_code or None)
    if ours is None or theirs is None or not same_language(ours, theirs):
        return False
    if track.forced != stream.forced:
        return False
    return not track.format or not stream.codec or track.format.casefold() == stream.codec


def plex_codec(codec: str) -> str | None:
    """The family (engine.audio_codecs) of Plex's codec of an audio stream; None when
    unknown."""
    name = codec.casefold()
    if name.startswith("pcm_"):
        name = "pcm"
    return _PLEX_FAMILIES.get(name)


def _same_codec(ours: str | None, plex: str) -> bool:
    """False only when both families are known and differ."""
    theirs = plex_codec(plex)
    return ours is None or theirs is None or ours == theirs


def _text(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()
