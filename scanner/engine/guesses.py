"""What an item's verdict guessed: the review list (issue 44).

The rules decide from what the files say; where a file says too little or says two
things, they guess, and a person may know better:

- an audio track without a language, first in its file, is taken as the original
  (``unknown_first_track = original``);
- the *arr's "English" original is in doubt (tagging-rules.md, "original language");
- the *arr lists fewer languages than audio streams (its ``arr`` source cannot see
  which language the untagged streams are; the rules put them first, as unknown);
- a track's title names another language than its tag (``title "English"``, tag ``ger``):
  one of the two is wrong, and the rules believe the tag;
- listening could not tell a track's language (music, silence, samples that disagree):
  the top candidates are said;
- listening heard another language than a track's label (``all`` mode): the rules
  believe what was heard, and both are said;
- a track of a regional target's language names no variety (``fra`` for ``fr-CA``):
  which one it is decides the target, and a person settles it (never by saying the
  original is French, which would take the household's target away: engine.originals).

Each reason comes with a code (what a person's "confirm" is kept against), a sentence,
and some of the files it is about. A person's answer to the unknown tracks (treat them
as language X) ends the first and third guesses: ``with_unknown_as`` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pycountry

from scanner.engine.heard import Heard
from scanner.engine.languages import canonical, language_name, same_language
from scanner.engine.targets import settled_language, target_name
from scanner.engine.tracks import AudioTrack, stored_is_commentary

UNKNOWN_FIRST_TRACK = "unknown_first_track"
ORIGINAL_DOUBTFUL = "original_doubtful"
ARR_UNTAGGED_STREAMS = "arr_untagged_streams"
TITLE_NAMES_OTHER_LANGUAGE = "title_language"
HEARD_UNSURE = "heard_unsure"
HEARD_OTHER_LANGUAGE = "heard_other_language"
VARIETY_UNKNOWN = "variety_unknown"
CODES = (
    UNKNOWN_FIRST_TRACK, ORIGINAL_DOUBTFUL, ARR_UNTAGGED_STREAMS, TITLE_NAMES_OTHER_LANGUAGE,
    HEARD_UNSURE, HEARD_OTHER_LANGUAGE, VARIETY_UNKNOWN,
)  # fmt: skip

SHOWN_FILES = 5  # files named per reason; the rest are counted

# What release groups write as a track title besides the English names: the languages'
# own names, and German names (the most common non-English titles).
_OWN_NAMES = {
    "deutsch": "deu", "englisch": "eng", "japanisch": "jpn", "französisch": "fra",
    "français": "fra", "francais": "fra", "español": "spa", "espanol": "spa",
    "castellano": "spa", "italiano": "ita", "português": "por", "portugues": "por",
    "nederlands": "nld", "svenska": "swe", "norsk": "nor", "dansk": "dan", "suomi": "fin",
    "polski": "pol", "magyar": "hun", "čeština": "ces", "türkçe": "tur", "русский": "rus",
    "українська": "ukr", "ελληνικά": "ell", "日本語": "jpn", "中文": "zho", "普通话": "zho",
    "國語": "zho", "国语": "zho", "粵語": "yue", "粤语": "yue", "한국어": "kor",
    "mandarin": "zho", "cantonese": "yue", "greek": "ell", "flemish": "nld",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class GuessedFile:
    """One counted, readable file as stored: its name, its audio tracks (the stored
    dicts), whether the *arr's media info gave them, and the regional targets a track
    of unknown variety decided in it (its verdict's ``unsure``)."""

    path: str
    audio: Sequence[Mapping[str, Any]]
    from_arr: bool
    unsure: frozenset[str] = frozenset()


def review_reasons(
    files: Iterable[GuessedFile],
    *,
    original: str | None,
    unknown_first_track: str,
    unknown_as: str = "",
    original_suggestion: str = "",
    listen_mode: str = "off",
) -> list[dict[str, Any]]:
    """The guesses the verdict rests on, in the order of ``CODES``; [] for none.

    ``original``: the original the verdict used (canonical, or None when unknown);
    ``unknown_as``: a person's language for the item's unknown tracks ("" for none);
    ``original_suggestion``: the language the *arr's English is doubted for ("" none);
    ``listen_mode``: the instance's listening (engine.listened)."""
    found: dict[str, list[str]] = {code: [] for code in CODES}
    mismatches: list[str] = []
    heard: dict[str, str] = {}  # the first example of each listening code
    unsure: list[str] = []  # the regional targets an unknown variety decided, in order
    counted = 0
    for file in files:
        counted += 1
        tracks = sorted(file.audio, key=lambda track: int(track.get("position") or 0))
        if not unknown_as and original and unknown_first_track == "original" and tracks:
            first = tracks[0]
            unknown = (
                first.get("language") is None
                and not stored_is_commentary(first)
                and first.get("file") is None  # an external file is never the first track
            )
            if unknown and _heard_language(first, listen_mode) is None:
                found[UNKNOWN_FIRST_TRACK].append(file.path)
        untagged = any(track.get("raw_language") is None for track in tracks)
        if file.from_arr and not unknown_as and untagged:
            found[ARR_UNTAGGED_STREAMS].append(file.path)
        for track in tracks:
            named = _mismatch(track)
            if named is not None:
                found[TITLE_NAMES_OTHER_LANGUAGE].append(file.path)
                mismatches.append(named)
                break
        for code, example in _listening(tracks, listen_mode).items():
            found[code].append(file.path)
            heard.setdefault(code, example)
        if file.unsure:
            found[VARIETY_UNKNOWN].append(file.path)
            unsure += sorted(target for target in file.unsure if target not in unsure)
    if original_suggestion:
        found[ORIGINAL_DOUBTFUL].append("")
    sentences = {
        UNKNOWN_FIRST_TRACK: lambda n: (
            f"{_files(n)}: the first audio track has no language and is taken "
            f"as the original ({language_name(original or '')})"
        ),
        ORIGINAL_DOUBTFUL: lambda n: (
            f"the *arr says English, but every file starts with "
            f"{language_name(original_suggestion)}"
        ),
        ARR_UNTAGGED_STREAMS: lambda n: (
            f"{_files(n)}: the *arr lists fewer languages than audio streams "
            "(the others have no language tag; the files were not read)"
        ),
        TITLE_NAMES_OTHER_LANGUAGE: lambda n: (
            f"{_files(n)}: a track's title names another language than its tag ({mismatches[0]})"
        ),
        HEARD_UNSURE: lambda n: (
            f"{_files(n)}: listening could not tell a track's language ({heard[HEARD_UNSURE]})"
        ),
        HEARD_OTHER_LANGUAGE: lambda n: (
            f"{_files(n)}: a track's label is not what is spoken; what was heard "
            f"counts ({heard[HEARD_OTHER_LANGUAGE]})"
        ),
        VARIETY_UNKNOWN: lambda n: (
            f"{_files(n)}: {language_name(settled_language(unsure[0]))} of "
            f"unknown variety (no source names it); undecided target: {target_name(unsure[0])}"
        ),
    }
    # The sentence's facts, for the pages to say it again in the reader's language
    # (scanner/reports/review_text.py): codes, numbers and an example as recorded.
    languages = {
        UNKNOWN_FIRST_TRACK: original or "",
        ORIGINAL_DOUBTFUL: original_suggestion,
        VARIETY_UNKNOWN: settled_language(unsure[0]) if unsure else "",
    }
    examples = {
        VARIETY_UNKNOWN: unsure[0] if unsure else "",  # the target it decides: fr-CA
        TITLE_NAMES_OTHER_LANGUAGE: mismatches[0] if mismatches else "",
        HEARD_UNSURE: heard.get(HEARD_UNSURE, ""),
        HEARD_OTHER_LANGUAGE: heard.get(HEARD_OTHER_LANGUAGE, ""),
    }
    return [
        {
            "code": code,
            "reason": sentences[code](len(paths)),
            "files": [path for path in paths[:SHOWN_FILES] if path],
            "count": len([path for path in paths if path]),
            "values": {
                "files": len(paths),
                "counted": counted,
                "language": languages.get(code, ""),
                "example": examples.get(code, ""),
            },
        }
        for code, paths in found.items()
        if paths
    ]


def _heard_language(track: Mapping[str, Any], listen_mode: str) -> str | None:
    heard = track.get("heard")
    return heard.get("language") if heard and listen_mode != "off" else None


def _listening(tracks: Sequence[Mapping[str, Any]], listen_mode: str) -> dict[str, str]:
    """The listening codes a file's tracks give, each with a first example."""
    codes: dict[str, str] = {}
    if listen_mode == "off":
        return codes
    for track in tracks:
        stored = track.get("heard")
        label = track.get("language")
        if not stored or stored_is_commentary(track) or (label and listen_mode != "all"):
            continue
        heard = Heard.from_dict(stored)
        where = f"track {track.get('position')}"
        if heard.language is None:
            codes.setdefault(HEARD_UNSURE, f"{where}: {heard.shown_candidates()}")
        elif label and not same_language(heard.language, label):
            codes.setdefault(
                HEARD_OTHER_LANGUAGE,
                f"{where} labelled {language_name(label)}: {heard.said()}",
            )
    return codes


def _mismatch(track: Mapping[str, Any]) -> str | None:
    """``tagged German, titled "English"`` when the title names one language and the
    tag another; None otherwise (no title, no tag, or they agree)."""
    tagged = track.get("language")
    title = track.get("title")
    if not tagged or not title or stored_is_commentary(track):
        return None
    named = title_language(title)
    if named is None or same_language(named, tagged):
        return None
    return f'track {track.get("position")} tagged {language_name(tagged)}, titled "{title}"'


@lru_cache(maxsize=4096)
def title_language(title: str) -> str | None:
    """The one language a track title names by name ("English", "Deutsch 5.1",
    "Brazilian Portuguese"), or None when it names none or several. Codes ("ENG") are
    not read: three letters in a title are as often a codec or a channel layout."""
    words = [word.casefold() for word in _WORD.findall(title)]
    # "Latin American Spanish" is Spanish, not Latin.
    words = [
        word for index, word in enumerate(words)
        if not (word == "latin" and words[index + 1 : index + 2] == ["american"])
    ]  # fmt: skip
    codes = {code for code in map(_named, words) if code is not None}
    return codes.pop() if len(codes) == 1 else None


def _named(word: str) -> str | None:
    if word in _OWN_NAMES:
        return _OWN_NAMES[word]
    return canonical(word) if word in _major_language_names() else None


@lru_cache(maxsize=1)
def _major_language_names() -> frozenset[str]:
    """The English one-word names of the languages with a two-letter code: a title word
    is taken for a language only from these (not "Mono" or "Even", which ISO 639-3
    also names)."""
    return frozenset(
        language.name.casefold()
        for language in pycountry.languages
        if hasattr(language, "alpha_2") and _WORD.fullmatch(language.name)
    )


def with_unknown_as(tracks: Sequence[AudioTrack], code: str) -> tuple[AudioTrack, ...]:
    """The tracks with a person's language for those that have none (kept across scans,
    applied when judging; the stored tracks stay as the file says)."""
    if not code:
        return tuple(tracks)
    return tuple(
        replace(track, language=code) if track.language is None else track for track in tracks
    )


def _files(count: int) -> str:
    """The count a reason starts with: the files it is true of, alone (issue 84: one count
    per plural, as scanner.reports.review_text says it)."""
    return "1 file" if count == 1 else f"{count} files"
