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
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from scanner.engine.audio_codecs import arr_codec
from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.language_value import parse_all
from scanner.engine.languages import canonical
from scanner.engine.targets import ItemTargets, target_name
from scanner.engine.tracks import FileTracks, make_subtitle, make_track


def tracks_from_arr(
    audio: Sequence[str],
    audio_streams: int | None,
    subtitles: Sequence[str] = (),
    *,
    file_name: str = "",
    file_languages: Sequence[str] = (),
    audio_codec: str = "",
) -> FileTracks:
    """The tracks, with the varieties the file's name (``file_name``) and the *arr's
    languages of the file (``file_languages``: "Portuguese (Brazil)") say. The *arr's
    ``audio_codec`` is the file's, not a stream's (its primary stream's): a track's
    codec only when the file has that one audio stream."""
    untagged = max(0, (audio_streams or 0) - len(audio))
    languages: list[str | None] = [None] * untagged + list(audio)
    codec = arr_codec(audio_codec) if audio_streams == 1 and len(languages) == 1 else None
    tracks = FileTracks(
        tuple(
            make_track(n, language, None, codec=codec)
            for n, language in enumerate(languages, start=1)
        ),
        tuple(make_subtitle(n, language) for n, language in enumerate(subtitles, start=1)),
    )
    return with_file_varieties(tracks, file_name, file_languages)


class DoubtCode(StrEnum):
    """Why the *arr's word on a file was not taken: stored as the file's source note,
    worded in the reader's language where it is shown (web.admin.media_page)."""

    NO_MEDIA_INFO = "no_media_info"
    NO_AUDIO = "no_audio_language"
    UNDETERMINED = "undetermined_language"
    UNTAGGED = "untagged_streams"
    SIZE_CHANGED = "size_changed"
    CHANGED_AFTER = "changed_after_read"
    MALFORMED = "malformed_media_info"
    UNKNOWN_FILE = "unknown_file"
    REWRITE = "rewrite"
    # A regional target's language with no variety: the *arr's media info never carries
    # a track's title or BCP-47 element, where the file names it ("VFQ", fr-CA).
    VARIETY_UNKNOWN = "variety_unknown"
    # The same for a regional language of a person of the household, not a target: read
    # so that their track can be told, the verdict unchanged.
    VARIETY_FOR_PERSON = "variety_for_person"
    # Judged before from the *arr's word alone; the files source reads every file.
    ARR_WORD_ONLY = "arr_word_only"


@dataclass(frozen=True, slots=True)
class Doubt:
    """A doubt: its code, and its English for the logs and the file's error."""

    code: DoubtCode
    text: str


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
) -> Doubt | None:
    """Why the *arr's languages of a file cannot be trusted (then it is probed, where
    the file can be read), or None when they can."""
    code, text = DoubtCode, ""
    if not has_media_info:
        text = "the *arr has no media info for it (is 'Analyse video files' off?)"
        return Doubt(code.NO_MEDIA_INFO, text)
    if not audio:
        return Doubt(code.NO_AUDIO, "the *arr lists no audio language")
    if any(canonical(language) is None for language in audio):
        return Doubt(code.UNDETERMINED, "the *arr lists an undetermined audio language")
    if audio_streams is not None and audio_streams > len(audio):
        text = f"{audio_streams - len(audio)} of its audio streams have no language tag"
        return Doubt(code.UNTAGGED, text)
    if disk_size is not None and arr_size is not None and disk_size != arr_size:
        return Doubt(code.SIZE_CHANGED, "its size changed since the *arr read it")
    if disk_mtime is not None and arr_added is not None and disk_mtime > arr_added + SETTLE:
        return Doubt(code.CHANGED_AFTER, "it was changed after the *arr read it")
    return None


def variety_doubt(
    tracks: FileTracks, targets: ItemTargets, *, for_persons: bool = False
) -> Doubt | None:
    """Why a file whose *arr media info looks complete is read all the same: a regional
    target (fr-CA) that no track is known to meet, with a track of its language whose
    variety the *arr's word (the release name, its languages of the file) leaves
    unknown. The *arr never knows more, the file may ("VFQ", fr-CA), so it is read,
    once: its fingerprint keeps what was read. ``tracks`` as judged (the code lat and
    a person's settled varieties applied). ``for_persons``: ``targets`` are the
    household's regional languages, read for and never judged by."""
    voices = [t.variety or t.language or "" for t in tracks.audio if not t.is_commentary]
    unsure = targets.unsure(parse_all(voices))
    if not unsure:
        return None
    names = ", ".join(target_name(code) for code in sorted(unsure))
    if for_persons:
        text = f"the *arr never names a variety a person listens for ({names})"
        return Doubt(DoubtCode.VARIETY_FOR_PERSON, text)
    return Doubt(DoubtCode.VARIETY_UNKNOWN, f"the *arr never names a variety ({names})")
