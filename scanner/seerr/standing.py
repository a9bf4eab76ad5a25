"""Where an asked item stands (issue 72), read from the database alone: its stored
files' voices for the asked language (heard.py judges them), and whether a requested
movie is in the library whatever Seerr said."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.engine.tracks import AudioTrack
from scanner.models import Media
from scanner.seerr import heard

MISSING = frozenset({heard.PARTIAL, heard.OTHER, heard.ABSENT, heard.UNKNOWN, heard.NO_FILES})
SEARCHED_FOR = frozenset({heard.PARTIAL, heard.OTHER, heard.ABSENT})  # what a search may bring


def in_library(media: Media) -> bool:
    """Whether a requested movie is in the library whatever Seerr said: its file scanned.
    Seerr sends MEDIA_AVAILABLE only once TMDB answered it (the notification's title), so
    a Seerr that cannot reach TMDB never says so; a movie's one file is its availability.
    A series waits for Seerr's word: its first episodes are not the seasons asked for."""
    return media.kind == Media.Kind.MOVIE and media.files.exists()


def item_standing(media: Media, language: str, seasons: Sequence[int] = ()) -> heard.Standing:
    """Where the item stands for ``language``; a series asked for some ``seasons``: in
    their episode files only (a request is per season in Seerr: SeasonRequest)."""
    files = []
    stored = media.files.order_by("path")
    if seasons:
        stored = stored.filter(season__number__in=seasons)
    for path, tracks in stored.values_list("path", "audio_tracks"):
        voices = frozenset(
            track.variety or track.language
            for track in (AudioTrack.from_dict(row) for row in tracks or [])
            if track.language and not track.is_commentary
        )
        files.append((path, voices))
    return heard.standing(language, files, every_file=media.kind == Media.Kind.SERIES)
