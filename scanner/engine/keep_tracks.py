"""Which of a file's tracks this household keeps (issue 81, item 6): for a remuxer that
removes tracks, never for Taggarr, which deletes nothing. Every audio and subtitle track
of the file gets ``keep``, its ``role`` and the ``reason`` (a code): a person's choice
(engine.track_choice, as the household's dry run and Plex take it), the original
language's programme audio, each target's own dub, the full subtitles in the targets'
and the persons' languages and the forced ones of a kept voice. Whatever may be wanted
is kept, and said why: a track without a language, one heard as another language, the
tracks a choice is uncertain between, a variety nobody can tell yet, another copy of a
kept voice (a stereo track beside the 5.1: Taggarr cannot tell which one a player
needs), every programme track while the original language is unknown, and every track
of a file whose tracks come from the *arr's media info (its order is not the file's).

Pure: the tracks as the verdict judges them (engine.file_choice.judged_tracks), the
persons as Listener values, the item's targets (the instance's or its own list,
engine.targets.wanted_targets and subtitle_targets) and its original language. The
database and the API are api/keep.py's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from scanner.engine.language_value import LanguageValue, parse
from scanner.engine.listened import mislabeled
from scanner.engine.listener import DUB, Listener
from scanner.engine.targets import undecided
from scanner.engine.track_choice import ChoiceOutcome, TrackChoice, choose_tracks, want_of
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack, is_description_title
from scanner.engine.varieties import RELEASE_SET


class Role(StrEnum):
    """What a track is for the household."""

    ORIGINAL = "original"  # programme audio in the item's original language
    DUB = "dub"  # programme audio in another language
    COMMENTARY = "commentary"  # a commentary or an isolated score
    AUDIO_DESCRIPTION = "audio-description"
    FORCED = "forced"  # a forced or signs-and-songs subtitle (foreign parts)
    SUBTITLE = "subtitle"  # a full subtitle
    UNKNOWN = "unknown"  # no language, or the item's original language unknown


class Reason(StrEnum):
    """Why a track is kept (``KEEPING``: every reason but the last four) or not."""

    CHOSEN = "chosen"  # a person's choice: what they will hear or read
    TARGET = "target"  # a target's own dub (its variety, else its language)
    ORIGINAL = "original"  # the original language's programme audio
    UNLABELLED = "unlabelled"  # no language: it may be anything
    MISLABELLED = "mislabelled"  # heard as another language than its label
    UNCERTAIN = "uncertain"  # a choice could not tell it from another of its language
    VARIETY_UNKNOWN = "variety-unknown"  # may be the variety a target or person wants
    ORIGINAL_UNKNOWN = "original-unknown"  # the item's original language is unknown
    SAME_VOICE = "same-voice"  # another track of a kept voice (another format of it)
    SUBTITLE_LANGUAGE = "subtitle-language"  # a full subtitle in a wanted language
    FORCED_OF_KEPT = "forced-of-kept"  # foreign parts in a kept voice's language
    NOT_READ = "not-read"  # the *arr's media info: the file's own order is not known
    LAST_AUDIO = "last-audio"  # nothing else would be left to hear
    COMMENTARY = "commentary"  # not programme audio (role: commentary)
    AUDIO_DESCRIPTION = "audio-description"  # not programme audio (role: description)
    NOT_CHOSEN = "not-chosen"  # a wanted language, another of its tracks is kept
    OTHER_LANGUAGE = "other-language"  # a language nobody here wants


KEEPING = frozenset(Reason) - {
    Reason.COMMENTARY,
    Reason.AUDIO_DESCRIPTION,
    Reason.NOT_CHOSEN,
    Reason.OTHER_LANGUAGE,
}

# What a target's own choice may keep as its dub (a fallback to the original is the
# original's, kept anyway).
_DUBBED = frozenset((ChoiceOutcome.VARIETY, ChoiceOutcome.LANGUAGE, ChoiceOutcome.OTHER_VARIETY))


@dataclass(frozen=True, slots=True)
class KeptTrack:
    """One audio or subtitle track of the file (``position``: 1-based among its kind, in
    MediaInfo's order: the file's header order) and what the household does with it."""

    kind: str  # "audio" | "subtitle"
    position: int
    language: str | None  # canonical, None when the file gives none
    variety: str | None  # "fr-CA", when known
    title: str | None
    role: Role
    keep: bool
    reason: Reason


@dataclass(frozen=True, slots=True)
class Household:
    """The people and the item's targets the tracks are kept for."""

    listeners: tuple[Listener, ...]
    audio_targets: tuple[str, ...]  # the item's targets (wanted_targets), as stored
    subtitle_targets: tuple[str, ...]  # the item's subtitle targets (subtitle_targets)


def keep_tracks(
    tracks: FileTracks,
    household: Household,
    *,
    original: str | None,
    kind: str,
    media_id: int | None,
    read_from_file: bool = True,
) -> tuple[KeptTrack, ...]:
    """The file's own audio then subtitle tracks (sidecar files left out: they are not
    in the file), each kept or not and why. ``tracks`` as judged; ``original`` the item's
    original language (a person's override first; empty or None: unknown);
    ``read_from_file`` false for tracks from the *arr's media info: every one kept."""
    audio = tuple(track for track in tracks.audio if getattr(track, "file", None) is None)
    subtitles = tuple(track for track in tracks.subtitles if track.file is None)
    original_value = parse(original) if original else None
    judged = FileTracks(audio, subtitles)
    if not read_from_file:
        return tuple(_audio(track, original_value, Reason.NOT_READ) for track in audio) + tuple(
            _subtitle(track, Reason.NOT_READ) for track in subtitles
        )
    audio_reasons = _audio_reasons(judged, household, original_value, kind, media_id)
    kept_voices = tuple(
        label
        for track in audio
        if audio_reasons[track.position] in KEEPING
        for label in (_label(track),)
        if label is not None
    )
    subtitle_reasons = _subtitle_reasons(judged, household, kept_voices, original, kind, media_id)
    return tuple(
        _audio(track, original_value, audio_reasons[track.position]) for track in audio
    ) + tuple(_subtitle(track, subtitle_reasons[track.position]) for track in subtitles)


def _audio_reasons(
    tracks: FileTracks,
    household: Household,
    original: LanguageValue | None,
    kind: str,
    media_id: int | None,
) -> dict[int, Reason]:
    reasons: dict[int, Reason] = {}
    programme = [track for track in tracks.audio if not track.is_commentary]
    for track in tracks.audio:
        if track.is_commentary:
            described = is_description_title(track.title)
            reasons[track.position] = Reason.AUDIO_DESCRIPTION if described else Reason.COMMENTARY
    code = original.code if original is not None else None
    doubts: list[str] = []  # the languages a choice is uncertain in (an unlabelled
    # track's doubt names none: the unlabelled tracks are kept anyway)
    for choice in _person_choices(tracks, household.listeners, code, kind, media_id):
        _note(reasons, choice.audio, Reason.CHOSEN)
        if choice.outcome == ChoiceOutcome.UNCERTAIN and choice.language:
            doubts.append(choice.language)
    for target in household.audio_targets:
        choice = choose_tracks((target,), DUB, code, tracks)
        if choice.outcome in _DUBBED:
            _note(reasons, choice.audio, Reason.TARGET)
        elif choice.outcome == ChoiceOutcome.UNCERTAIN and choice.language:
            doubts.append(choice.language)
    regional = _regional(household)
    labels = {track.position: _label(track) for track in programme}
    heard = tuple(label for label in labels.values() if label is not None)
    for track in programme:
        label = labels[track.position]
        if track.language is None:
            _note(reasons, track.position, Reason.UNLABELLED)
        elif mislabeled(track):
            _note(reasons, track.position, Reason.MISLABELLED)
        if label is None:
            continue
        if original is not None and label.same_language(original):
            _note(reasons, track.position, Reason.ORIGINAL)
        if any(_same(label, doubt) for doubt in doubts):
            _note(reasons, track.position, Reason.UNCERTAIN)
        if any(undecided(wanted, heard) and undecided(wanted, (label,)) for wanted in regional):
            _note(reasons, track.position, Reason.VARIETY_UNKNOWN)
        if original is None:
            _note(reasons, track.position, Reason.ORIGINAL_UNKNOWN)
    _same_voices(programme, labels, reasons)
    wanted = (*_values(household.audio_targets), *_person_values(household))
    for track in programme:
        label = labels[track.position]
        chosen_language = label is not None and any(label.same_language(w) for w in wanted)
        _note(
            reasons,
            track.position,
            Reason.NOT_CHOSEN if chosen_language else Reason.OTHER_LANGUAGE,
        )
    if not any(reason in KEEPING for reason in reasons.values()):
        for track in programme or tracks.audio:  # none of theirs: a file never goes silent
            reasons[track.position] = Reason.LAST_AUDIO
    return reasons


def _same_voices(
    programme: Sequence[AudioTrack],
    labels: dict[int, LanguageValue | None],
    reasons: dict[int, Reason],
) -> None:
    """Another track of a voice kept for someone (the same variety, or the same
    language of unknown variety): another format of the same dub, kept with it."""
    kept = {
        label.code
        for track in programme
        if reasons.get(track.position) in KEEPING and track.variety_source != RELEASE_SET
        for label in (labels[track.position],)
        if label is not None
    }
    for track in programme:
        label = labels[track.position]
        if label is not None and track.variety_source != RELEASE_SET and label.code in kept:
            _note(reasons, track.position, Reason.SAME_VOICE)


def _subtitle_reasons(
    tracks: FileTracks,
    household: Household,
    kept_voices: Sequence[LanguageValue],
    original: str | None,
    kind: str,
    media_id: int | None,
) -> dict[int, Reason]:
    reasons: dict[int, Reason] = {}
    for choice in _person_choices(tracks, household.listeners, original, kind, media_id):
        if choice.subtitle is not None and choice.subtitle.position is not None:
            _note(reasons, choice.subtitle.position, Reason.CHOSEN)
    read = (*_values(household.subtitle_targets), *_person_values(household))
    for track in tracks.subtitles:
        value = _subtitle_value(track)
        if value is None:
            _note(reasons, track.position, Reason.UNLABELLED)
        elif track.full and any(value.same_language(language) for language in read):
            _note(reasons, track.position, Reason.SUBTITLE_LANGUAGE)
        elif not track.full and any(value.same_language(voice) for voice in kept_voices):
            _note(reasons, track.position, Reason.FORCED_OF_KEPT)
        _note(reasons, track.position, Reason.OTHER_LANGUAGE)
    return reasons


def _person_choices(
    tracks: FileTracks,
    listeners: Iterable[Listener],
    original: str | None,
    kind: str,
    media_id: int | None,
) -> list[TrackChoice]:
    """Each person's choice, as engine.file_choice takes it (their want for the item)."""
    return [
        choose_tracks(listener.languages, want_of(listener, kind, media_id), original, tracks)
        for listener in listeners
    ]


def _note(reasons: dict[int, Reason], position: int | None, reason: Reason) -> None:
    """The first reason found for a track stands (the order above is their weight)."""
    if position is not None:
        reasons.setdefault(position, reason)


def _label(track: AudioTrack) -> LanguageValue | None:
    """A track's voice: its variety, else its language, else what listening heard."""
    if track.language is None:
        heard = track.heard.language if track.heard is not None else None
        return parse(heard) if heard else None
    return (parse(track.variety) if track.variety else None) or parse(track.language)


def _subtitle_value(track: SubtitleTrack) -> LanguageValue | None:
    if track.language is None:
        return None
    return (parse(track.variety) if track.variety else None) or parse(track.language)


def _same(label: LanguageValue, doubt: str) -> bool:
    value = parse(doubt)
    return value is not None and label.same_language(value)


def _values(codes: Iterable[str]) -> tuple[LanguageValue, ...]:
    return tuple(found for found in map(parse, codes) if found is not None)


def _person_values(household: Household) -> tuple[LanguageValue, ...]:
    return _values(code for listener in household.listeners for code in listener.languages)


def _regional(household: Household) -> tuple[LanguageValue, ...]:
    """The varieties someone asks for: the regional targets and persons' languages."""
    every = (*_values(household.audio_targets), *_person_values(household))
    return tuple(value for value in every if value.regional)


def _audio(track: AudioTrack, original: LanguageValue | None, reason: Reason) -> KeptTrack:
    label = _label(track)
    if track.is_commentary:
        described = is_description_title(track.title)  # engine.tracks' one word list
        role = Role.AUDIO_DESCRIPTION if described else Role.COMMENTARY
    elif label is None or original is None:
        role = Role.UNKNOWN
    elif label.same_language(original):
        role = Role.ORIGINAL
    else:
        role = Role.DUB
    return KeptTrack(
        "audio", track.position, track.language, track.variety, track.title, role,
        reason in KEEPING, reason,
    )  # fmt: skip


def _subtitle(track: SubtitleTrack, reason: Reason) -> KeptTrack:
    full = Role.SUBTITLE if track.full else Role.FORCED
    role = Role.UNKNOWN if track.language is None else full
    return KeptTrack(
        "subtitle", track.position, track.language, track.variety, track.title, role,
        reason in KEEPING, reason,
    )  # fmt: skip
