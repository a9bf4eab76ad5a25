"""The default flags the household's rules want for one file (issue 81, item 1).

Pure: the file's tracks as its Matroska header holds them (matroska.HeaderTrack: its
kind, position among its kind, Language / LanguageBCP47, Name, FlagDefault) become the
engine's tracks as MediaInfo's would (engine.tracks.make_track / make_subtitle: the
language tag, then the title's variety, "VFQ"), take the varieties the file's name says
(engine.file_varieties.with_file_varieties: "MULTi.VFQ"), are judged as the verdict
judges them (as_judged: ``lat`` as Latino, the item's settled varieties), and the track
is chosen by the one rule that chooses a person's track (engine.track_choice
.choose_tracks): the item's targets in order (the instance's, or its own list) as a dub;
for an item wanted in the original only, the original with a full subtitle in the
targets. Never a commentary or audio-description track (choose_tracks leaves them out),
never when the choice is uncertain or finds nothing: then no flag is wanted and the
choice's reason is kept for the page.

The wish: the chosen audio track's FlagDefault set, every other audio track's cleared;
the chosen embedded subtitle's set and the others' cleared; subtitles off: every
subtitle's cleared; a sidecar chosen, or no subtitle decided: the subtitles' flags left
as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from scanner.engine.file_varieties import as_judged, with_file_varieties
from scanner.engine.listener import DUB, ORIGINAL_SUBTITLED, WantCode
from scanner.engine.targets import ORIGINAL_ONLY, subtitle_targets, wanted_targets
from scanner.engine.track_choice import ChoiceOutcome, Doubt, TrackChoice, choose_tracks
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack, make_subtitle, make_track

AUDIO = "audio"
SUBTITLE = "subtitle"
# A Matroska TrackEntry without a Language element is English (RFC 9559, Language:
# default "eng").
MATROSKA_DEFAULT_LANGUAGE = "eng"

Key = tuple[str, int]  # (kind, position among its kind): header_edit.plan_flags' keys


class FlagLike(Protocol):
    @property
    def value(self) -> bool: ...


class TrackLike(Protocol):
    """What the choice reads of a header's track (matroska.HeaderTrack)."""

    @property
    def kind(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def language(self) -> str | None: ...
    @property
    def language_bcp47(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def default(self) -> FlagLike: ...
    @property
    def forced(self) -> bool: ...


@dataclass(frozen=True)
class Household:
    """What the choice needs of the item and its instance."""

    instance_targets: tuple[str, ...]
    wanted: str  # Media.wanted: as the instance, original only, its own list
    own_targets: tuple[str, ...] = ()
    original: str | None = None  # the item's original (a person's override first)
    lat_is_latino: bool = True
    settled: Mapping[str, str] = field(default_factory=dict)
    unknown_language: str | None = None  # Media.unknown_language: unlabelled audio is it

    def languages_and_want(self) -> tuple[tuple[str, ...], WantCode]:
        """The languages the choice takes, in order, and what is wanted: a dub in the
        targets; an item wanted in the original only: the original, subtitled in the
        targets (its subtitle targets: the instance's, or its own list)."""
        if self.wanted == ORIGINAL_ONLY:
            targets = subtitle_targets(self.instance_targets, self.wanted, self.own_targets)
            return targets, ORIGINAL_SUBTITLED
        return wanted_targets(self.instance_targets, self.wanted, self.own_targets), DUB


@dataclass(frozen=True)
class Wish:
    """The flags wanted for one file, and the choice they come from."""

    flags: Mapping[Key, bool]  # empty: nothing to set (uncertain, none)
    outcome: ChoiceOutcome
    doubt: Doubt | None
    audio: int | None  # the audio track chosen (its position), None: none
    language: str | None  # the voice chosen (or, uncertain, the language in doubt)
    subtitle: int | None  # the embedded subtitle chosen; None: off, or unchanged
    subtitles_set: bool  # whether the subtitles' flags are part of the wish
    audio_file: str | None = None  # the choice is this audio file beside the video

    @property
    def refused(self) -> bool:
        """Nothing to set: the choice found nothing, or nothing certain."""
        return not self.flags


def engine_tracks(
    tracks: Iterable[TrackLike], file_name: str, *, unknown_language: str | None = None
) -> FileTracks:
    """The header's audio and subtitle tracks as the engine's, as MediaInfo and the name
    would give them (engine.probe reads the same fields: the BCP 47 tag first)."""
    audio: list[AudioTrack] = []
    subtitles: list[SubtitleTrack] = []
    for track in sorted(tracks, key=lambda t: (t.kind, t.position)):
        language = track.language_bcp47 or track.language or MATROSKA_DEFAULT_LANGUAGE
        if track.kind == AUDIO:
            made = make_track(
                track.position, language, track.name, default=track.default.value,
                forced=track.forced,
            )  # fmt: skip
            if made.language is None and unknown_language:
                made = make_track(
                    track.position, unknown_language, track.name,
                    default=track.default.value, forced=track.forced,
                )  # fmt: skip
            audio.append(made)
        elif track.kind == SUBTITLE:
            subtitles.append(
                make_subtitle(track.position, language, track.name, forced=track.forced)
            )
    return with_file_varieties(FileTracks(tuple(audio), tuple(subtitles)), file_name)


def wish(
    tracks: Sequence[TrackLike],
    file_name: str,
    household: Household,
    external: Sequence[AudioTrack] = (),
) -> Wish:
    """The default flags the household's rules want for a file with these header
    tracks (``file_name``: its name, whose release words may name a variety), beside the
    audio files kept next to it (``external``: stored tracks with their ``file``; a
    player adds them to the file's own, tagging-rules.md "External audio files"). When
    the choice is such a file, nothing in the video is to be set: ``audio_file`` says
    which."""
    engine = engine_tracks(tracks, file_name, unknown_language=household.unknown_language)
    if external:
        engine = FileTracks(engine.audio + tuple(external), engine.subtitles)
    judged = as_judged(
        engine, lat_is_latino=household.lat_is_latino, settled=dict(household.settled)
    )
    languages, want = household.languages_and_want()
    chosen = choose_tracks(languages, want, household.original or None, judged)
    return wish_of(chosen, tracks)


def wish_of(chosen: TrackChoice, tracks: Sequence[TrackLike]) -> Wish:
    """The flags a choice asks of the file's tracks."""
    if chosen.audio is None or chosen.outcome in (ChoiceOutcome.UNCERTAIN, ChoiceOutcome.NONE):
        return Wish(
            {}, chosen.outcome, chosen.doubt, None, chosen.language, None, False,
            audio_file=chosen.audio_file,
        )  # fmt: skip
    flags: dict[Key, bool] = {
        (AUDIO, t.position): t.position == chosen.audio for t in tracks if t.kind == AUDIO
    }
    subtitle = chosen.subtitle
    embedded = subtitle is not None and subtitle.file is None
    if subtitle is not None and embedded:
        for track in tracks:
            if track.kind == SUBTITLE:
                flags[(SUBTITLE, track.position)] = track.position == subtitle.position
    position = subtitle.position if subtitle is not None and embedded else None
    return Wish(
        flags, chosen.outcome, chosen.doubt, chosen.audio, chosen.language, position, embedded
    )


def current_default(tracks: Iterable[TrackLike], kind: str) -> TrackLike | None:
    """The track of ``kind`` a player starts by the flags: the first flagged default
    (Matroska players take the first; none flagged: a player's own pick)."""
    flagged = [t for t in tracks if t.kind == kind and t.default.value]
    return min(flagged, key=lambda t: t.position) if flagged else None


def after_flags(
    tracks: Iterable[TrackLike], flags: Mapping[Key, bool], kind: str
) -> TrackLike | None:
    """The track of ``kind`` flagged default once ``flags`` are set (the others as
    they are)."""
    flagged = [
        t for t in tracks if t.kind == kind and flags.get((kind, t.position), t.default.value)
    ]
    return min(flagged, key=lambda t: t.position) if flagged else None


def track_language(track: TrackLike | None) -> str:
    """A track's language as the page shows it: its BCP 47 tag, else its ISO 639-2 code."""
    if track is None:
        return ""
    return track.language_bcp47 or track.language or MATROSKA_DEFAULT_LANGUAGE
