"""Which of a stored file's tracks plays for a person: the one decision the dry run of
what each person will hear (scanner.household.dry_run) and the step that sets each
person's track in Plex (scanner.household.plex_parts) both take (issue 80: the decision
lives in the engine, never in a report or a writer).

Pure: a file's tracks as Taggarr stores them (``MediaFile.audio_tracks`` and
``subtitle_tracks``: lists of dicts), judged as the verdict judges them
(engine.file_varieties.as_judged: ``lat`` and the person's settled varieties applied),
then chosen for the person (engine.track_choice.choose_tracks) with what they want for
the item and its original language (a person's override first). Reading the rows is
the household's (scanner.household.file_rows); this module never sees a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scanner.engine.file_varieties import as_judged
from scanner.engine.listener import Listener
from scanner.engine.track_choice import TrackChoice, choose_tracks, want_of
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack


def stored_tracks(
    audio: Iterable[dict[str, Any]] | None, subtitles: Iterable[dict[str, Any]] | None
) -> FileTracks:
    """A file's tracks as MediaFile stores them (``audio_tracks``, ``subtitle_tracks``)."""
    return FileTracks(
        tuple(AudioTrack.from_dict(track) for track in audio or ()),
        tuple(SubtitleTrack.from_dict(track) for track in subtitles or ()),
    )


def judged_tracks(
    audio: Iterable[dict[str, Any]] | None,
    subtitles: Iterable[dict[str, Any]] | None,
    *,
    settled: object,
    lat_is_latino: object,
) -> FileTracks:
    """A file's stored tracks as the verdict judges them: ``lat`` read as Latin-American
    Spanish when the instance says so, the item's settled varieties applied (anything
    but a mapping is none settled)."""
    settled_map = settled if isinstance(settled, dict) else {}
    return as_judged(
        stored_tracks(audio, subtitles), lat_is_latino=bool(lat_is_latino), settled=settled_map
    )


def file_choice(
    listener: Listener,
    tracks: FileTracks,
    *,
    kind: str,
    media_id: int | None,
    original: str | None,
    override: str | None,
) -> TrackChoice:
    """The tracks of one file (``tracks`` as judged) that ``listener`` should hear, for
    an item of ``kind`` whose original language is ``override`` or else ``original``
    (empty or None: unknown)."""
    want = want_of(listener, kind, media_id)
    return choose_tracks(listener.languages, want, override or original or None, tracks)
