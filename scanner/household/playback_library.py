"""The facts of the library a person's Jellyfin or Emby settings depend on
(scanner.household.playback_facts: a default track of another language, two
varieties sharing a code), read from Taggarr's stored tracks for one kind of item.

Bounded on a large library: one streamed pass over the files of that kind, reading
their audio tracks and their item's original language only: one query, its rows
fetched ``CHUNK`` at a time (a server-side cursor on PostgreSQL), nothing kept but the
counters. The tracks are judged as the pages show them (``lat``, settled varieties); a
file with the same audio tracks as the one before (a season's episodes) reuses their
reading. The whole library is read, whatever libraries the server shows: Taggarr does
not know which files each account sees.
"""

from __future__ import annotations

from collections.abc import Iterator

from scanner.engine.file_varieties import as_judged
from scanner.engine.tracks import AudioTrack, FileTracks
from scanner.household.playback_advice import LibraryFacts, Want
from scanner.household.playback_facts import FileAudio, library_facts
from scanner.models import MediaFile

CHUNK = 2000  # files per query


def kind_facts(kind: str, languages: tuple[str, ...], want: Want) -> LibraryFacts:
    """The facts of every readable file of ``kind`` ("series" or "movie")."""
    return library_facts(_files(kind), languages, want)


def _files(kind: str) -> Iterator[FileAudio]:
    rows = (
        MediaFile.objects.exclude(result=MediaFile.Result.ERROR)
        .exclude(audio_tracks=[])
        .filter(media__kind=kind)
        .order_by("media_id", "id")
        .values_list(
            "audio_tracks",
            "media__original_language",
            "media__original_override",
            "media__settled_varieties",
            "media__instance__lat_is_latino",
        )
    )
    last: tuple[object, FileAudio] | None = None
    for audio, original, override, settled, lat in rows.iterator(chunk_size=CHUNK):
        key = (audio, original, override, settled, lat)
        if last is None or last[0] != key:
            tracks = FileTracks(tuple(AudioTrack.from_dict(track) for track in audio or ()), ())
            settled = settled if isinstance(settled, dict) else {}
            judged = as_judged(tracks, lat_is_latino=bool(lat), settled=settled)
            last = (key, FileAudio(judged.audio, (override or original) or None))
        yield last[1]
