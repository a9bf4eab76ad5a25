"""Audio and subtitle facts from Sonarr/Radarr's media info, as the tracks the rules
judge (the same values ``probe`` gives), and when that info is in doubt.

The *arr keeps only the languages of each stream (read by ffprobe at import): no
titles, default or forced flags. So every audio stream counts (commentary cannot be
told) and every subtitle stream is taken as a full one. Untagged audio streams are
left out of its list; they are put first here, as unknown, where the rules take the
first unknown track for the original (the usual case: an untagged original track).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.languages import canonical
from scanner.engine.tracks import FileTracks, make_subtitle, make_track


def tracks_from_arr(
    audio: Sequence[str],
    audio_streams: int | None,
    subtitles: Sequence[str] = (),
    *,
    file_name: str = "",
    file_languages: Sequence[str] = (),
) -> FileTracks:
    """The tracks, with the varieties the file's name (``file_name``) and the *arr's
    languages of the file (``file_languages``: "Portuguese (Brazil)") say."""
    untagged = max(0, (audio_streams or 0) - len(audio))
    languages: list[str | None] = [None] * untagged + list(audio)
    tracks = FileTracks(
        tuple(make_track(n, language, None) for n, language in enumerate(languages, start=1)),
        tuple(make_subtitle(n, language) for n, language in enumerate(subtitles, start=1)),
    )
    return with_file_varieties(tracks, file_name, file_languages)


# A file imported by a copy may get its time a little after the *arr noted the import.
SETTLE = timedelta(seconds=60)


def arr_doubt(
    *,
    has_media_info: bool,
    audio: Sequence[str],
    audio_streams: int | None,
    arr_size: int | None,
    arr_added: datetime | None,
    disk_size: int | None = None,
    disk_mtime: datetime | None = None,
) -> str | None:
    """Why the *arr's languages of a file cannot be trusted (then it is probed, where
    the file can be read), or None when they can."""
    if not has_media_info:
        return "the *arr has no media info for it (is 'Analyse video files' off?)"
    if not audio:
        return "the *arr lists no audio language"
    if any(canonical(language) is None for language in audio):
        return "the *arr lists an undetermined audio language"
    if audio_streams is not None and audio_streams > len(audio):
        return f"{audio_streams - len(audio)} of its audio streams have no language tag"
    if disk_size is not None and arr_size is not None and disk_size != arr_size:
        return "its size changed since the *arr read it"
    if disk_mtime is not None and arr_added is not None and disk_mtime > arr_added + SETTLE:
        return "it was changed after the *arr read it"
    return None
