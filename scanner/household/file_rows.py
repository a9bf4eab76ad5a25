"""A file's row as the choice of its tracks reads it (``FILE_FIELDS``), and the engine's
decision (scanner.engine.file_choice) taken from it: the step that sets each person's
track in Plex (plex_parts.py) and the items it reads (track_checks.py) read files so; the
dry run (dry_run.py) reads the same fields as the database's JSON text and decodes them
into this shape."""

from __future__ import annotations

from typing import Any

from scanner.engine.file_choice import file_choice, judged_tracks, stored_tracks
from scanner.engine.listener import Listener
from scanner.engine.track_choice import TrackChoice
from scanner.engine.tracks import FileTracks

__all__ = ["FILE_FIELDS", "choice_of_row", "choose_for_row", "judged_row", "stored_tracks"]

# A file's row as the choice reads it (``choice_of_row``): the writer to Plex
# (scanner.household.plex_tracks) and the dry run (scanner.household.dry_run) read the same.
FILE_FIELDS = (
    "media_id",
    "episodes",
    "audio_tracks",
    "subtitle_tracks",
    "media__kind",
    "media__title",
    "media__original_language",
    "media__original_override",
    "media__settled_varieties",
    "media__instance__lat_is_latino",
)


def choice_of_row(listener: Listener, row: tuple[Any, ...]) -> TrackChoice:
    """The choice for one file read as ``FILE_FIELDS``, its tracks as the verdict judges
    them."""
    return choose_for_row(listener, row, judged_row(row))


def judged_row(row: tuple[Any, ...]) -> FileTracks:
    """A file's tracks read as ``FILE_FIELDS``, as the verdict judges them."""
    _, _, audio, subtitles, _, _, _, _, settled, lat = row
    return judged_tracks(audio, subtitles, settled=settled, lat_is_latino=lat)


def choose_for_row(listener: Listener, row: tuple[Any, ...], tracks: FileTracks) -> TrackChoice:
    """The engine's choice for the file of ``row`` (read as ``FILE_FIELDS``) whose tracks,
    as judged, are ``tracks``."""
    media_id, _, _, _, kind, _, original, override, _, _ = row
    return file_choice(
        listener, tracks, kind=kind, media_id=media_id, original=original, override=override
    )
