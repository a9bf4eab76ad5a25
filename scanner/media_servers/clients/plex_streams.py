"""An item's files and their streams as one Plex account sees them, as plain values.

Read from python-plexapi's objects (``plexapi/media.py`` 4.18): a ``Movie`` or
``Episode`` has ``media`` (``Media``, one per version), each ``parts`` (``MediaPart``:
``id``, ``file``, ``streams``), each stream a ``VideoStream`` (``streamType`` 1),
``AudioStream`` (2) or ``SubtitleStream`` (3) with ``id``, ``index`` (-1 when Plex
gives none: a sidecar subtitle file), ``codec``, ``languageCode`` (ISO 639-2/B),
``languageTag``, ``title``, ``displayTitle``, ``selected`` (for the token that read
it: Plex keeps one selection per account), ``default``; audio ``channels`` and
``visualImpaired``; subtitles ``forced``, ``hearingImpaired``, and ``key``
(``/library/streams/{id}``) when the subtitle is a file beside the video. plexapi
exposes no sidecar's file name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from scanner import outside_text

__all__ = ["SUBTITLES_OFF", "PlexPart", "PlexStream", "StreamKind", "parts_of"]

StreamKind = Literal["video", "audio", "subtitle"]
_KINDS: dict[int, StreamKind] = {1: "video", 2: "audio", 3: "subtitle"}
# ``subtitleStreamID=0``: no subtitles (plexapi's ``resetSelectedSubtitleStream``).
SUBTITLES_OFF = 0
_MAX_TEXT = 200  # a stream's title or codec: no more of it is kept


@dataclass(frozen=True)
class PlexStream:
    id: int
    kind: StreamKind
    index: int | None  # in the file, all kinds together; None for a sidecar
    codec: str  # "eac3", "ac3", "dca", "aac", "srt", "ass", "pgs"
    language_code: str  # ISO 639-2/B as Plex gives it ("fre"); "" when none
    language_tag: str  # "fr"
    title: str
    display_title: str
    selected: bool
    default: bool
    forced: bool = False
    hearing_impaired: bool = False
    visual_impaired: bool = False
    channels: int | None = None
    external: bool = False  # a subtitle file beside the video (Plex gives it a key)


@dataclass(frozen=True)
class PlexPart:
    """One file of an item, with its streams in Plex's order."""

    id: int
    item_id: str  # the movie's or episode's rating key
    file: str
    streams: tuple[PlexStream, ...]

    def audio(self) -> tuple[PlexStream, ...]:
        return tuple(s for s in self.streams if s.kind == "audio")

    def subtitles(self) -> tuple[PlexStream, ...]:
        return tuple(s for s in self.streams if s.kind == "subtitle")

    def selected_audio(self) -> int | None:
        return next((s.id for s in self.audio() if s.selected), None)

    def selected_subtitle(self) -> int:
        """The selected subtitle stream's id, SUBTITLES_OFF when none is."""
        return next((s.id for s in self.subtitles() if s.selected), SUBTITLES_OFF)


def parts_of(items: Iterable[Any]) -> list[PlexPart]:
    """The parts of plexapi's ``Movie``/``Episode`` objects, as read (never reloaded)."""
    parts = []
    for item in items:
        item._autoReload = False  # what we read is in the answer
        for media in getattr(item, "media", None) or ():
            for part in media.parts or ():
                streams = tuple(
                    stream for stream in map(_stream, part.streams or ()) if stream is not None
                )
                parts.append(
                    PlexPart(
                        id=int(part.id),
                        item_id=str(item.ratingKey),
                        file=outside_text.path(part.file or ""),
                        streams=streams,
                    )
                )
    return parts


def _stream(stream: Any) -> PlexStream | None:
    kind = _KINDS.get(stream.streamType)
    if kind is None or stream.id is None:  # lyrics (4) and what Plex may add
        return None
    index = stream.index if isinstance(stream.index, int) and stream.index >= 0 else None
    external = bool(stream.key) and kind == "subtitle"
    channels = getattr(stream, "channels", None)
    return PlexStream(
        id=int(stream.id),
        kind=kind,
        index=None if external else index,
        codec=_text(stream.codec).casefold(),
        language_code=_text(stream.languageCode).casefold(),
        language_tag=_text(stream.languageTag),
        title=_text(stream.title),
        display_title=_text(stream.displayTitle),
        selected=bool(stream.selected),
        default=bool(stream.default),
        forced=bool(getattr(stream, "forced", False)),
        hearing_impaired=bool(getattr(stream, "hearingImpaired", False)),
        visual_impaired=bool(getattr(stream, "visualImpaired", False)),
        channels=channels if isinstance(channels, int) else None,
        external=external,
    )


def _text(value: object) -> str:
    return outside_text.line(value[:_MAX_TEXT]) if isinstance(value, str) else ""
