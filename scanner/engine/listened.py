"""How what was heard counts for a file's audio tracks (tagging-rules.md, "Listening"):
which tracks a mode listens to, and the tracks with the heard language in place of
their labels. The stored tracks stay as the file says; this applies when judging.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scanner.engine.languages import language_name, same_language
from scanner.engine.tracks import AudioTrack, SubtitleTrack


def listened(
    tracks: Sequence[AudioTrack], mode: str, unknown_as: str = ""
) -> tuple[AudioTrack, ...]:
    """The tracks with what was heard in place of their labels, as ``mode`` says: none
    (off), the unlabelled ones, or all (a label the speech contradicts is overruled).
    A commentary track keeps its label; an unsure answer changes nothing. A person's
    language for the unlabelled tracks (``unknown_as``) wins over what was heard."""
    changed = []
    for track in tracks:
        heard = None if mode == "off" else _overruling(track, mode)
        if track.language is None and unknown_as:
            track = replace(track, language=unknown_as)
        elif heard is not None:  # listening never decides a variety: the label's goes
            track = replace(
                track, language=heard, variety=None, variety_source=None, variety_note=""
            )
        changed.append(track)
    return tuple(changed)


def wants_listening(track: AudioTrack, mode: str) -> bool:
    """Whether ``mode`` listens to this track (once heard, it is not listened to again)."""
    if mode == "off" or track.is_commentary or track.heard is not None:
        return False
    return mode == "all" or track.language is None


def mislabeled(track: AudioTrack) -> bool:
    """A label the speech clearly contradicts."""
    heard = track.heard
    return (
        heard is not None
        and heard.language is not None
        and track.language is not None
        and not same_language(heard.language, track.language)
    )


def _overruling(track: AudioTrack, mode: str) -> str | None:
    """The language heard that takes the place of the track's label, if any."""
    if track.heard is None or track.heard.language is None or track.is_commentary:
        return None
    if track.language is None or (mode == "all" and mislabeled(track)):
        return track.heard.language
    return None


def listening_notes(tracks: Sequence[AudioTrack], mode: str) -> list[str]:
    """What listening says about a file's tracks, for the verdict's reasons: a language
    heard where there was no label, a label overruled (both said), or unsure."""
    if mode == "off":
        return []
    notes = []
    for track in tracks:
        heard = track.heard
        if heard is None or track.is_commentary or (mode != "all" and track.language):
            continue
        if track.language is None or heard.language is None:
            notes.append(f"audio track {track.position}: {heard.said()}")
        elif mislabeled(track):
            label = language_name(track.language)
            notes.append(f"audio track {track.position} labelled {label}: {heard.said()}")
    return notes


def wants_reading(subtitle: SubtitleTrack, mode: str) -> bool:
    """Whether a subtitle file's language is to be read from its text: a sidecar
    without a language, not read yet, with listening on."""
    return (
        mode != "off"
        and subtitle.file is not None
        and subtitle.language is None
        and subtitle.heard is None
    )


def read_subtitles(subtitles: Sequence[SubtitleTrack], mode: str) -> tuple[SubtitleTrack, ...]:
    """The subtitles with the language read from their text where they had none: a
    full subtitle in that language unless its name says forced."""
    if mode == "off":
        return tuple(subtitles)
    return tuple(
        replace(track, language=track.heard.language, full=not track.forced)
        if track.language is None and track.heard is not None and track.heard.language
        else track
        for track in subtitles
    )


def subtitle_notes(subtitles: Sequence[SubtitleTrack], mode: str) -> list[str]:
    """What was read from subtitle files without a language, for the reasons."""
    if mode == "off":
        return []
    return [
        f"subtitle file {track.file}: {track.heard.said()}"
        for track in subtitles
        if track.heard is not None and track.language is None
    ]
