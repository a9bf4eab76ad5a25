"""The varieties a whole file says, given to its audio tracks (tagging-rules.md,
"Varieties"): its release name's (``MULTi.VFQ``), then the *arr's languages of the file
(``Portuguese (Brazil)``). They come after what a track says itself (its language
tag, its title: scanner.engine.varieties.own_variety), and never decide a variety
by guessing: a file-wide word names a track only when one track of its language is
left without a variety and one variety of that language is left unnamed. A release
name that leaves as many varieties of a language unnamed as it has tracks left
(``VF2`` over two untitled French tracks) says the file holds each of them, not which
track is which: each track takes one, in order, as ``RELEASE_SET`` (the verdict hears
every variety; the pages say it is one of the tracks). Where a file-wide word
contradicts the one track of its language, the track keeps its own and the word is
kept as its note. ``lat`` read as Latin-American Spanish is applied
when judging (an instance option): ``latin_as_latino``; so is a person's word on an
item's tracks of unknown variety (Media.settled_varieties): ``settle_varieties``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from scanner.engine.given_text import language_value, release_name
from scanner.engine.languages import macrolanguage, same_language
from scanner.engine.tracks import AudioTrack, FileTracks, SubtitleTrack
from scanner.engine.varieties import (
    ARR,
    LAT,
    LATINO,
    NEITHER,
    NOT,
    RELEASE,
    RELEASE_SET,
    SETTLED,
    agree,
    arr_variety,
    other_variety,
    release_varieties,
    title_variety,
    variety_language,
)

LATIN = "lat"
SPANISH = "spa"
_Track = TypeVar("_Track", AudioTrack, SubtitleTrack)


def with_file_varieties(
    tracks: FileTracks, file_name: str, arr_languages: Iterable[str] = ()
) -> FileTracks:
    """The tracks with the varieties the file's name and the *arr's languages of the
    file say, where the tracks themselves say none."""
    audio = _given(
        tracks.audio, RELEASE, release_varieties(release_name(file_name)), as_set=RELEASE_SET
    )
    given = (language_value(name) for name in arr_languages)
    named = tuple(dict.fromkeys(v for v in map(arr_variety, given) if v is not None))
    audio = _given(audio, ARR, named)
    return tracks if audio is tracks.audio else FileTracks(audio, tracks.subtitles)


def _given(
    audio: tuple[AudioTrack, ...],
    source: str,
    varieties: tuple[str, ...],
    as_set: str | None = None,
) -> tuple[AudioTrack, ...]:
    if not varieties:
        return audio
    changed = list(audio)
    by_language: dict[str, list[str]] = {}
    for variety in varieties:
        language = variety_language(variety)
        if language is not None:  # yue and cmn are both Chinese: counted together
            by_language.setdefault(macrolanguage(language) or language, []).append(variety)
    for language, said in by_language.items():
        indexes = [
            index
            for index, track in enumerate(changed)
            if track.language is not None
            and not track.is_commentary
            and same_language(track.language, language)
        ]
        named = [v for v in (changed[i].variety for i in indexes) if v is not None]
        unnamed = [v for v in said if not any(agree(v, other) for other in named)]
        open_ = [
            i
            for i in indexes
            if changed[i].variety is None
            and title_variety(changed[i].title, changed[i].language) != NEITHER
        ]
        if len(open_) == 1 and len(unnamed) == 1:
            index = open_[0]
            changed[index] = replace(
                changed[index], variety=unnamed[0], variety_source=source, variety_note=""
            )
        elif as_set is not None and len(open_) == len(unnamed) > 1:
            for index, variety in zip(open_, unnamed, strict=True):
                changed[index] = replace(
                    changed[index], variety=variety, variety_source=as_set, variety_note=""
                )
        elif len(indexes) == 1 and len(said) == 1:
            track = changed[indexes[0]]
            if (
                track.variety is not None
                and not track.variety_note
                and not agree(track.variety, said[0])
            ):
                changed[indexes[0]] = replace(track, variety_note=f"{source}:{said[0]}")
    return tuple(changed)


def latin_as_latino(tracks: FileTracks) -> FileTracks:
    """The tracks with the code ``lat`` read as Latin-American Spanish (``es-419``), as
    Spanish-speaking release groups use it (ISO 639 says Latin; nobody dubs films into
    Latin). The stored tracks keep what the file says; this applies when judging."""
    said = [t.language for t in tracks.audio] + [t.language for t in tracks.subtitles]
    if LATIN not in said:
        return tracks
    return FileTracks(
        tuple(_latino(track) for track in tracks.audio),
        tuple(_latino(track) for track in tracks.subtitles),
    )


def _latino(track: _Track) -> _Track:
    if track.language != LATIN:
        return track
    return replace(track, language=SPANISH, variety=LATINO, variety_source=LAT, variety_note="")


def settle_varieties(tracks: Sequence[_Track], settled: Mapping[str, str]) -> tuple[_Track, ...]:
    """The tracks with a person's word on the item's tracks of unknown variety: per
    language (``fra``: every French track no source names a variety of), the variety
    they are (``fr-CA``), or ``NOT`` (none of the regional targets of their language:
    ``varieties.other_variety``). The stored tracks keep what the files say; this
    applies when judging, as ``latin_as_latino`` does."""
    if not settled:
        return tuple(tracks)
    return tuple(_settled(track, settled) for track in tracks)


def _settled(track: _Track, settled: Mapping[str, str]) -> _Track:
    said = settled.get(track.language or "") if track.variety is None else None
    if not said:
        return track
    variety = other_variety(track.language or "") if said == NOT else said
    return replace(track, variety=variety, variety_source=SETTLED, variety_note="")


def as_judged(
    tracks: FileTracks, *, lat_is_latino: bool, settled: Mapping[str, str] | None = None
) -> FileTracks:
    """A file's stored tracks with their varieties as the verdict judges them: ``lat``
    as Latin-American Spanish when the instance says so, then a person's word on the
    item's tracks of unknown variety. The pages and the API show them so."""
    if lat_is_latino:
        tracks = latin_as_latino(tracks)
    if not settled:
        return tracks
    return FileTracks(
        settle_varieties(tracks.audio, settled), settle_varieties(tracks.subtitles, settled)
    )
