"""A track's language with its variety and where the variety was read, in the reader's
language: "Französisch (Kanada)", "aus dem Spurtitel VFQ" (tagging-rules.md,
"Varieties"). The pages' chips read the stored tracks through ``spoken``; the names
come from scanner.language_names, the source words from here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext

from scanner.engine import varieties
from scanner.engine.tracks import AudioTrack, SubtitleTrack
from scanner.language_names import language_name

MAX_TITLE = 60  # characters of a track title quoted as a source


@dataclass(frozen=True, slots=True)
class Spoken:
    """One language (or one variety of it) of a file's tracks, for a chip."""

    name: str
    source: str = ""  # where its variety was read; "" for a plain language


def source_text(
    source: str | None, track: AudioTrack | SubtitleTrack, settled_by: Mapping[str, str] = {}
) -> str:
    """Where a variety was read: "from the track title VFQ"; "" for no known source. A
    variety a person settled names them (``settled_by``: per language, who)."""
    if source == varieties.SETTLED:
        user = str(settled_by.get(track.language or "") or "?")[:MAX_TITLE]
        if track.variety is not None and varieties.is_other(track.variety):
            return gettext("of another variety, settled by %(user)s") % {"user": user}
        return gettext("settled by %(user)s") % {"user": user}
    if source == varieties.BCP47:
        return gettext("from the BCP-47 language tag %(tag)s") % {
            "tag": (track.raw_language or "")[:MAX_TITLE]
        }
    if source == varieties.TITLE:
        return gettext("from the track title %(title)s") % {
            "title": (track.title or "")[:MAX_TITLE]
        }
    words = {
        varieties.RELEASE: gettext("from the release name"),
        # VF2 over two untitled French tracks: the file holds each variety, which
        # track is which is unsaid (scanner.engine.file_varieties).
        varieties.RELEASE_SET: gettext(
            "from the release name, for one of the tracks of this language (without saying which)"
        ),
        varieties.ARR: gettext("from the *arr's languages of the file"),
        varieties.SIDECAR: gettext("from the subtitle file's name"),
        varieties.LAT: gettext("from the code lat, read as Latin-American Spanish"),
    }
    return words.get(source or "", "")


def variety_source(track: AudioTrack | SubtitleTrack, settled_by: Mapping[str, str] = {}) -> str:
    """A track's variety source, with a source that said otherwise: "from the BCP-47
    language tag fr-CA, but French (France) from the release name"."""
    text = source_text(track.variety_source, track, settled_by)
    other_source, _, other = track.variety_note.partition(":")
    if text and other:
        # One message, the conjunction the translation's (issue 71: never ", " + "but ...").
        text = gettext("%(source)s, but %(variety)s %(other)s") % {
            "source": text,
            "variety": language_name(other),
            "other": source_text(other_source, track),
        }
    return text


def spoken(
    code: str, tracks: Iterable[AudioTrack | SubtitleTrack], settled_by: Mapping[str, str] = {}
) -> list[Spoken]:
    """The canonical language ``code`` as a file's tracks say it: one entry per variety
    its tracks of that language are known to be, and the plain language for a track of
    unknown variety (or when no track says it: a person's language for unlabelled ones,
    the original for an unlabelled first track). ``settled_by``: who settled a
    language's unknown variety (Media.varieties_settled_by)."""
    found: dict[str, Spoken] = {}
    plain = False
    for track in tracks:
        if track.language != code:
            continue
        if track.variety is None:
            plain = True
        elif track.variety not in found:
            found[track.variety] = Spoken(
                language_name(track.variety), variety_source(track, settled_by)
            )
    if plain or not found:
        return [Spoken(language_name(code)), *found.values()]
    return list(found.values())
