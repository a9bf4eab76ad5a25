"""What listening (and reading subtitle files) said about an item's files, for its
verdict's reasons: the first few, and how many more."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.engine.listened import listening_notes, subtitle_notes
from scanner.engine.tracks import FileTracks

SHOWN_NOTES = 10


def listening_reasons(files: Iterable[tuple[str, FileTracks]], mode: str) -> list[str]:
    """``files``: each readable file's name as people read it, and its stored tracks."""
    if mode == "off":
        return []
    notes = []
    for path, tracks in files:
        said = listening_notes(tracks.audio, mode) + subtitle_notes(tracks.subtitles, mode)
        notes += [f"{path}: {note}" for note in said]
    if len(notes) > SHOWN_NOTES:
        notes[SHOWN_NOTES:] = [f"and {len(notes) - SHOWN_NOTES} more tracks"]
    return notes
