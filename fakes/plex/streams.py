"""An item's files as Plex shows them: ``Media`` → ``Part`` (one file) → ``Stream``
(video ``streamType=1``, audio ``2``, subtitle ``3``), and which audio and subtitle
stream each *account* has selected.

Plex is closed source; this follows what python-plexapi 4.18 reads and sends
(``plexapi/media.py``: ``MediaPart`` reads ``id``, ``file``, ``key`` and its ``Stream``
children; ``MediaPartStream`` reads ``id``, ``index``, ``streamType``, ``codec``,
``language``, ``languageCode`` (ISO 639-2/B, "fre"), ``languageTag`` ("fr"), ``title``,
``displayTitle``, ``selected``, ``default``, ``key`` (an external subtitle's
``/library/streams/{id}``); ``AudioStream`` ``channels``, ``visualImpaired``;
``SubtitleStream`` ``forced``, ``hearingImpaired``; ``setSelectedAudioStream``,
``setSelectedSubtitleStream`` and ``resetSelectedSubtitleStream`` send
``PUT /library/parts/{id}`` with ``audioStreamID`` / ``subtitleStreamID`` (``0``: no
subtitles) and ``allParts=1``).

Plex keeps the selection per account: what one user picks is not what another plays.
An account that never chose sees the server's default choice: here the audio stream
flagged ``default`` (else the first audio stream) and the subtitle stream flagged
``default`` (else none). Plex's real default also weighs the account's language
preferences; the fake does not play them.

What Plex answers to a stream id that is not in the part is not documented; the fake
answers 400 (its choice, as plexapi raises ``BadRequest`` for any status it does not
name). ``allParts=1`` asks Plex to apply the choice to the item's other parts too (a
film split into ``cd1``/``cd2``): the fake records the flag and applies the choice to
the one part, whose streams are the ones named.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["AUDIO", "SUBTITLE", "VIDEO", "FakePart", "FakeStream", "PartWrite", "StreamStore"]

VIDEO: Literal[1] = 1
AUDIO: Literal[2] = 2
SUBTITLE: Literal[3] = 3
Account = str  # "owner", or a user's plex.tv account id as text


@dataclass(frozen=True)
class FakeStream:
    """One stream of a part, with the attributes plexapi's ``MediaPartStream`` reads."""

    id: int
    stream_type: Literal[1, 2, 3]
    index: int  # the stream's index in the file (all kinds together); -1 for a sidecar
    codec: str  # "h264", "ac3", "eac3", "dca", "aac", "srt", "ass", "pgs"
    language_code: str = ""  # ISO 639-2/B: "fre", "jpn", "eng"; "" when the file says none
    language_tag: str = ""  # "fr", "ja"
    language: str = ""  # "Français", "English"
    title: str = ""
    display_title: str = ""
    default: bool = False
    forced: bool = False
    hearing_impaired: bool = False
    visual_impaired: bool = False
    channels: int | None = None
    external: bool = False  # a sidecar subtitle file: Plex gives it a ``key``
    file: str = ""  # a sidecar's own path (Plex does not list it; kept for the tests)


@dataclass(frozen=True)
class FakePart:
    id: int
    rating_key: int  # the movie's or the episode's
    file: str
    streams: tuple[FakeStream, ...]

    def of_type(self, stream_type: int) -> list[FakeStream]:
        return [s for s in self.streams if s.stream_type == stream_type]


@dataclass(frozen=True)
class PartWrite:
    """One ``PUT /library/parts/{id}`` as the server understood it."""

    account: Account
    part_id: int
    audio: int | None
    subtitle: int | None  # 0: subtitles off
    all_parts: bool


@dataclass
class _Parts:
    parts: dict[int, FakePart] = field(default_factory=dict)
    # (account, part id) -> (audio stream id, subtitle stream id or 0)
    chosen: dict[tuple[Account, int], tuple[int | None, int]] = field(default_factory=dict)
    writes: list[PartWrite] = field(default_factory=list)
    # part id -> [status, times left]: that part's PUTs fail (one part of many).
    failures: dict[int, list[int]] = field(default_factory=dict)
    # Indexes (a library of 10,000 items is served as fast as one of 10): rating key ->
    # its parts' ids, in order; every stream id.
    by_item: dict[int, list[int]] = field(default_factory=dict)
    stream_ids: set[int] = field(default_factory=set)


class StreamStore:
    """The parts of the fake's items and every account's selection. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._data = _Parts()
        self._next_id = 5000

    def add_part(
        self, rating_key: int, file: str, streams: list[FakeStream] | None = None
    ) -> FakePart:
        """A part (one file) of a movie or episode; ``streams`` keep their order (a video
        stream is added first when none is given)."""
        with self._lock:
            self._next_id += 1
            given = list(streams or [])
            if not any(s.stream_type == VIDEO for s in given):
                self._next_id += 1
                given.insert(0, FakeStream(self._next_id, VIDEO, 0, "h264"))
            ids = [s.id for s in given]
            if len(set(ids)) != len(ids) or any(self._has_stream(i) for i in ids):
                raise ValueError("stream ids must be unique on the server")
            part = FakePart(self._next_id, rating_key, file, tuple(given))
            self._data.parts[part.id] = part
            self._data.by_item.setdefault(rating_key, []).append(part.id)
            self._data.stream_ids.update(ids)
            return part

    def new_stream_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def _has_stream(self, stream_id: int) -> bool:
        return stream_id in self._data.stream_ids

    def parts_of(self, rating_key: int) -> list[FakePart]:
        with self._lock:
            return [self._data.parts[i] for i in self._data.by_item.get(rating_key, ())]

    def part(self, part_id: int) -> FakePart | None:
        with self._lock:
            return self._data.parts.get(part_id)

    def selected(self, account: Account, part_id: int) -> tuple[int | None, int]:
        """(audio stream id, subtitle stream id or 0 for none) ``account`` plays."""
        with self._lock:
            part = self._data.parts[part_id]
            chosen = self._data.chosen.get((account, part_id))
            return chosen if chosen is not None else _server_default(part)

    def select(
        self, account: Account, part_id: int, audio: int | None, subtitle: int | None
    ) -> None:
        """As the account would in a Plex app (no write is recorded)."""
        with self._lock:
            current_audio, current_subtitle = self.selected(account, part_id)
            self._data.chosen[(account, part_id)] = (
                current_audio if audio is None else audio,
                current_subtitle if subtitle is None else subtitle,
            )

    def write(self, write: PartWrite) -> None:
        with self._lock:
            self._data.writes.append(write)
            self.select(write.account, write.part_id, write.audio, write.subtitle)

    def fail_writes(self, part_id: int, status: int, times: int) -> None:
        """Answer the next ``times`` PUTs to this part with ``status`` (503, 500)."""
        with self._lock:
            self._data.failures[part_id] = [status, times]

    def take_failure(self, part_id: int) -> int | None:
        """The status this PUT to ``part_id`` fails with, if any (counts one)."""
        with self._lock:
            failure = self._data.failures.get(part_id)
            if failure is None:
                return None
            failure[1] -= 1
            if failure[1] <= 0:
                del self._data.failures[part_id]
            return failure[0]

    def writes(self) -> list[PartWrite]:
        with self._lock:
            return list(self._data.writes)


def _server_default(part: FakePart) -> tuple[int | None, int]:
    audio = part.of_type(AUDIO)
    subtitles = part.of_type(SUBTITLE)
    chosen_audio = next((s for s in audio if s.default), audio[0] if audio else None)
    chosen_subtitle = next((s for s in subtitles if s.default), None)
    return (
        chosen_audio.id if chosen_audio else None,
        chosen_subtitle.id if chosen_subtitle else 0,
    )
