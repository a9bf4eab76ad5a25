"""Which of a file's tracks a person should hear (tagging-rules.md, "Each person's
track"; issue 70): their varieties first, then their languages, in their order; never a
commentary or audio-description track; the original when they ask for it, with a full
subtitle in their first language that has one. Where two tracks could be the one and
nothing tells them apart, or the one is heard as another language than its label, the
answer is *uncertain* and names no track: a server is then told nothing.

Pure: the tracks are a file's as judged (engine.file_varieties.as_judged: ``lat`` and a
person's settled varieties applied), the original language the item's (a person's
override first). The report of what each person will hear is
scanner/household/dry_run.py; the decision from a stored file, both it and the writer to
Plex take: engine/file_choice.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from scanner.engine.language_value import LanguageValue, parse
from scanner.engine.listened import mislabeled
from scanner.engine.listener import DUB, ORIGINAL, ORIGINAL_SUBTITLED, Listener, WantCode
from scanner.engine.targets import known_as
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack
from scanner.engine.varieties import RELEASE_SET, SOURCES


class ChoiceOutcome(StrEnum):
    """What a person will hear, as a code (the sentences: household.dry_run_sentences)."""

    VARIETY = "variety"  # the variety they asked for (the VFQ for fr-CA)
    LANGUAGE = "language"  # their language, its variety unknown or not asked
    OTHER_VARIETY = "other-variety"  # only another variety of their language (a VFF)
    ORIGINAL = "original"  # the original, as asked (with their subtitles when asked)
    ORIGINAL_NO_SUBTITLE = "original-no-subtitle"  # the original, no subtitle of theirs
    FALLBACK = "fallback"  # not what they asked: the original, or a dub of theirs
    NONE = "none"  # nothing in their languages and no original track: nothing chosen
    UNCERTAIN = "uncertain"  # a track could be it, nothing certain: nothing chosen


class Doubt(StrEnum):
    """Why a choice is uncertain."""

    RELEASE_SET = "release-set"  # VF2: the file holds both dubs, which is which is unsaid
    SAME_LANGUAGE = "same-language"  # two tracks of the language, variety unknown
    MISLABELED = "mislabeled"  # listening heard another language than the label
    UNLABELLED = "unlabelled"  # a track of unknown language could be theirs


@dataclass(frozen=True, slots=True)
class SubtitleChoice:
    """A subtitle to show: a track of the file (``position``), a sidecar (``file``), or
    neither: subtitles explicitly off."""

    position: int | None = None
    file: str | None = None

    @property
    def off(self) -> bool:
        return self.position is None and self.file is None

    @classmethod
    def of(cls, track: SubtitleTrack) -> SubtitleChoice:
        if track.file is not None:
            return cls(file=track.file)
        return cls(position=track.position)


SUBTITLES_OFF = SubtitleChoice()


@dataclass(frozen=True, slots=True)
class TrackChoice:
    """The audio track (AudioTrack.position) and subtitle a person should get, or None
    for each where nothing is to be chosen; ``language`` is the voice chosen (its
    variety when known), or for an uncertain one the language in doubt. An external
    audio file chosen (tagging-rules.md, "External audio files") is ``audio_file``, its
    path from the item's folder, with ``audio`` None: no track of the video is to be set
    (Plex plays no such file; a file's default flag cannot name one)."""

    audio: int | None
    subtitle: SubtitleChoice | None
    outcome: ChoiceOutcome
    language: str | None
    doubt: Doubt | None = None
    audio_file: str | None = None

    @property
    def chosen(self) -> bool:
        """Whether a track was chosen: one of the video's, or an audio file beside it."""
        return self.audio is not None or self.audio_file is not None


@dataclass(frozen=True, slots=True)
class _Voice:
    track: AudioTrack
    label: LanguageValue | None  # its variety, else its language (heard when unlabelled)
    heard: LanguageValue | None  # what listening heard, when it contradicts the label

    @property
    def code(self) -> str | None:
        """The voice chosen, as said: a variety only when known of this very track (a
        release set's is one of the file's, not this track's)."""
        if self.label is None:
            return None
        unsaid = self.label.other or self.track.variety_source == RELEASE_SET
        return self.label.language if unsaid else self.label.code


def want_of(listener: Listener, kind: str, media_id: int | None = None) -> WantCode:
    """What a person wants for an item: its own word first, then the kind's; a dub."""
    return listener.want(kind, media_id)


def choose_tracks(
    languages: Sequence[str], want: WantCode, original: str | None, tracks: FileTracks
) -> TrackChoice:
    """The tracks of one file for a person with these ``languages`` (in order: ``fr-CA``
    before ``fr``) who wants ``want``, for an item whose original language is
    ``original`` (canonical; None when unknown)."""
    wanted = tuple(found for found in map(parse, languages) if found is not None)
    voices = tuple(_voice(track) for track in tracks.audio if not track.is_commentary)
    first_language = parse(original) if original else None
    if want != DUB and first_language is not None:
        chosen = _original(voices, first_language, wanted, want, tracks.subtitles)
        if chosen is not None:
            return chosen
    dubbed = _dub(voices, wanted)
    if dubbed is not None:
        dubbed = _with_forced(dubbed, voices, tracks.subtitles)
        return _fallback(dubbed) if want != DUB else dubbed
    if any(voice.label is None for voice in voices):
        return TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, None, Doubt.UNLABELLED)
    if want == DUB and first_language is not None:
        chosen = _original(voices, first_language, wanted, ORIGINAL_SUBTITLED, tracks.subtitles)
        if chosen is not None:
            return _fallback(chosen)
    return TrackChoice(None, None, ChoiceOutcome.NONE, None)


def _fallback(chosen: TrackChoice) -> TrackChoice:
    """A choice that is not what the person asked for, said so (an uncertain one stays)."""
    if chosen.outcome == ChoiceOutcome.UNCERTAIN:
        return chosen
    return replace(chosen, outcome=ChoiceOutcome.FALLBACK)


def _picked(
    track: AudioTrack,
    subtitle: SubtitleChoice | None,
    outcome: ChoiceOutcome,
    language: str | None,
) -> TrackChoice:
    """The choice of ``track``: a track of the video by its position, or an external
    audio file by its name."""
    if track.file is not None:
        return TrackChoice(None, subtitle, outcome, language, audio_file=track.file)
    return TrackChoice(track.position, subtitle, outcome, language)


def _voice(track: AudioTrack) -> _Voice:
    heard = track.heard.language if track.heard is not None else None
    if track.language is None:  # unlabelled: what listening identified, if anything
        return _Voice(track, parse(heard) if heard else None, None)
    label = parse(track.variety) if track.variety else None
    label = label or parse(track.language)
    return _Voice(track, label, parse(heard) if mislabeled(track) else None)


def _dub(voices: Sequence[_Voice], wanted: Sequence[LanguageValue]) -> TrackChoice | None:
    """The first of the person's languages a track certainly is; None when none is."""
    for index, entry in enumerate(wanted):
        chosen = _variety(voices, entry) if entry.regional else None
        if chosen is None and not entry.regional:
            asked = any(w.regional and w.same_language(entry) for w in wanted[:index])
            chosen = _language(voices, entry, asked)
        if chosen is not None:
            return chosen
        if any(_doubtful_for(voice, entry) for voice in voices):
            return TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, entry.code, Doubt.MISLABELED)
    return None


def _variety(voices: Sequence[_Voice], entry: LanguageValue) -> TrackChoice | None:
    found = [v for v in _clean(voices) if v.label is not None and known_as(v.label, entry)]
    certain = [v for v in found if v.track.variety_source != RELEASE_SET]
    if certain:
        best = min(certain, key=_by_source)
        return _picked(best.track, None, ChoiceOutcome.VARIETY, best.code)
    if found:
        return TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, entry.code, Doubt.RELEASE_SET)
    return None


def _language(voices: Sequence[_Voice], entry: LanguageValue, asked: bool) -> TrackChoice | None:
    """A track of the language of a plain entry; ``asked``: the person named a variety of
    it before, so a track of unknown variety may be it, or another variety only."""
    found = [v for v in _clean(voices) if v.label is not None and v.label.same_language(entry)]
    if not found:
        return None
    unknown = [v for v in found if v.track.variety is None]
    if not asked:
        best = min(found, key=_by_flag)
        return _picked(best.track, None, ChoiceOutcome.LANGUAGE, best.code)
    if len(unknown) > 1:
        return TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, entry.code, Doubt.SAME_LANGUAGE)
    if unknown:
        (only,) = unknown
        return _picked(only.track, None, ChoiceOutcome.LANGUAGE, only.code)
    best = min(found, key=_by_source)
    return _picked(best.track, None, ChoiceOutcome.OTHER_VARIETY, best.code)


def _original(
    voices: Sequence[_Voice],
    original: LanguageValue,
    wanted: Sequence[LanguageValue],
    want: WantCode,
    subtitles: Sequence[SubtitleTrack],
) -> TrackChoice | None:
    """The original's track with the subtitle ``want`` asks; None when the file has none."""
    found = [v for v in _clean(voices) if v.label is not None and v.label.same_language(original)]
    if not found:
        if any(_doubtful_for(voice, original) for voice in voices):
            return TrackChoice(None, None, ChoiceOutcome.UNCERTAIN, original.code, Doubt.MISLABELED)
        return None
    best = min(found, key=_by_flag)
    if want == ORIGINAL:
        forced = _forced(subtitles, (original, *wanted))
        return _picked(best.track, forced, ChoiceOutcome.ORIGINAL, best.code)
    subtitle = _full(subtitles, wanted, original)
    if subtitle is None:
        forced = _forced(subtitles, (original, *wanted))
        return _picked(best.track, forced, ChoiceOutcome.ORIGINAL_NO_SUBTITLE, best.code)
    return _picked(best.track, subtitle, ChoiceOutcome.ORIGINAL, best.code)


def _with_forced(
    chosen: TrackChoice, voices: Sequence[_Voice], subtitles: Sequence[SubtitleTrack]
) -> TrackChoice:
    """A dub with the forced subtitle of its language (foreign parts), else none."""
    if not chosen.chosen:
        return chosen
    voice = next(
        v
        for v in voices
        if (v.track.file, v.track.position if v.track.file is None else None)
        == (chosen.audio_file, chosen.audio)
    )
    forced = _forced(subtitles, (voice.label,) if voice.label is not None else ())
    return replace(chosen, subtitle=forced)


def _full(
    subtitles: Sequence[SubtitleTrack], wanted: Sequence[LanguageValue], original: LanguageValue
) -> SubtitleChoice | None:
    """A full subtitle in the person's first language that has one; off when a language
    they understand before it is the original's; None when there is none."""
    for entry in wanted:
        if entry.same_language(original):
            return SUBTITLES_OFF
        for track in subtitles:
            value = _subtitle_value(track)
            if not track.full or value is None:
                continue
            fits = known_as(value, entry) if entry.regional else value.same_language(entry)
            if fits:
                return SubtitleChoice.of(track)
    return None


def _forced(
    subtitles: Sequence[SubtitleTrack], languages: Sequence[LanguageValue]
) -> SubtitleChoice:
    """A forced subtitle (foreign parts) in the first of ``languages`` that has one; off."""
    for language in languages:
        for track in subtitles:
            value = _subtitle_value(track)
            if not track.full and value is not None and value.same_language(language):
                return SubtitleChoice.of(track)
    return SUBTITLES_OFF


def _subtitle_value(track: SubtitleTrack) -> LanguageValue | None:
    """A subtitle's variety, else its language (read from its text for a sidecar)."""
    if track.language is None:
        heard = track.heard.language if track.heard is not None else None
        return parse(heard) if heard else None
    return parse(track.variety) if track.variety else parse(track.language)


def _clean(voices: Sequence[_Voice]) -> list[_Voice]:
    """The tracks that may be chosen on their label: none heard as another language."""
    return [voice for voice in voices if voice.heard is None]


def _doubtful_for(voice: _Voice, entry: LanguageValue) -> bool:
    """A track heard as another language than its label, of ``entry`` by either."""
    if voice.heard is None or voice.label is None:
        return False
    said = known_as(voice.label, entry) if entry.regional else voice.label.same_language(entry)
    return said or (not entry.regional and voice.heard.same_language(entry))


def _by_flag(voice: _Voice) -> tuple[bool, int]:
    """The file's default track first, then the first in the file (an external audio
    file is numbered after the file's own tracks)."""
    return (not voice.track.default, voice.track.position)


def _by_source(voice: _Voice) -> tuple[int, bool, int]:
    """The track whose variety came from the better source first (varieties.SOURCES,
    best first), then as ``_by_flag``."""
    source = voice.track.variety_source
    rank = SOURCES.index(source) if source in SOURCES else len(SOURCES)
    return (rank, *_by_flag(voice))
