"""Sample release names per language and variety, as groups name them, for the
judgement of a quality profile (scanner.wish_profiles.judge): the same film at the same
quality (1080p WEB, so that the *arr's first comparison, the quality, ties and the
custom formats decide), once per way a release says its audio.

A sample says what it holds as *voices*: ``original``, a variety (``fr-CA``) or a
language (``fra``: French of no named variety), and which languages the *arr gives it,
by the names of Language.cs: what Sonarr's and Radarr's
``src/NzbDrone.Core/Parser/LanguageParser.cs`` ``ParseLanguages`` reads in the name,
then ``AggregateLanguages.cs`` (scanner.wish_profiles.release_languages follows both).
The two can differ: what a release *holds* is the group's word, what the *arr *reads*
is the parser's, and a profile is judged by the latter. The rules the tables rely on,
the same in Sonarr and Radarr:

- "VFQ", "VFF", "VF2", "TRUEFRENCH" and "FRENCH": French (``LanguageRegex``,
  ``french``); "GERMAN": German (``LanguageRegex``, ``german``); "SPANISH" and
  "PORTUGUESE": Spanish and Portuguese (``lowerTitle.Contains``); "CASTELLANO":
  Spanish (``LanguageRegex``, ``spanish``); "LATINO": Spanish (Latino)
  (``Contains("latino")``); "DUBLADO": Portuguese (Brazil) (Sonarr
  ``Contains("dublado")``, Radarr ``LanguageRegex``, ``brazilian``); "MANDARIN" and
  "CANTONESE": Chinese (``Contains("mandarin") || Contains("cantonese")``).
- "German DL": German and the original, the parser says so itself
  (``GermanDualLanguageRegex``, on a German-only name).
- "DUAL" is read by no rule: a ``DUAL.LATINO`` holds the original beside the Latino
  dub, but the *arr reads Spanish (Latino) alone, and a profile that needs the
  original's language to score or to take it does not take it (LanguageParserFixture.cs:
  "Audio Dual Ingles/Latino" is Spanish (Latino); "[Hindi+English] Dual audio" is
  Hindi and English, nothing more). The same for ``DUAL.CASTELLANO`` and
  ``DUAL.DUBLADO``.
- "MULTi" is read by no language rule either: a MULTi release holds what the indexer's
  "Multi Languages" setting names (``AggregateLanguages.cs``, ``HasMultipleLanguages``;
  none by default), which the samples take to be the dub's language and the original,
  as a French user sets it.
- A name with no language word (Unknown) is the original's: ``AggregateLanguages.cs``
  falls back to the item's original language.

Another language's samples are its English name ("ITALIAN", "MULTi.ITALIAN"), read as
the instance's kind reads it: "TAMIL" is Tamil to Radarr but no language to Sonarr
(Unknown: the original's), "CZECH" no language to either (they read Czech in a "CZ" alone,
``CaseSensitiveLanguageRegex``).

Real names of this form: Sonarr's and Radarr's ``LanguageParserFixture.cs``
(``Movie.Title.2016.MULTi.VFQ...``, ``...TRUEFRENCH...``, ``...German.DL...``) and the
TRaSH guides' French and German formats (``docs/json/radarr/cf/french-vfq.json``,
``german-dl.json``), which match these words.

Pure Python, no Django."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final

from scanner.engine.languages import canonical, macrolanguage, same_language
from scanner.engine.languages import language_name as english_name
from scanner.engine.targets import is_regional
from scanner.engine.varieties import arr_language
from scanner.wish_profiles import release_languages as parser

ORIGINAL: Final = "original"
TAIL: Final = "1080p.WEB.H264-GRP"
# The original language the samples assume: English (the *arrs' own default), or
# Japanese for an English target (an English dub of a Japanese film).
ENGLISH: Final = "English"
JAPANESE: Final = "Japanese"


@dataclass(frozen=True, slots=True)
class Sample:
    """One release name: what it holds (voices) and the *arr languages its name gives
    (``original`` stands for the item's original language)."""

    title: str
    holds: frozenset[str]
    languages: tuple[str, ...]


def _sample(words: str, holds: Iterable[str], languages: Iterable[str]) -> Sample:
    return Sample(f"Movie.2019.{words}.{TAIL}", frozenset(holds), tuple(languages))


ORIGINAL_ALONE: Final = Sample(f"Movie.2019.{TAIL}", frozenset({ORIGINAL}), (ORIGINAL,))

# French: both varieties and neither, alone and beside the original (TRaSH's VFQ, VFF,
# VF2 and MULTi formats tell them by these words).
_FRENCH: Final = (
    _sample("VFQ", {"fr-CA"}, ["French"]),
    _sample("MULTi.VFQ", {"fr-CA", ORIGINAL}, ["French", ORIGINAL]),
    _sample("TRUEFRENCH", {"fr-FR"}, ["French"]),
    _sample("MULTi.VFF", {"fr-FR", ORIGINAL}, ["French", ORIGINAL]),
    _sample("MULTi.VF2", {"fr-CA", "fr-FR", ORIGINAL}, ["French", ORIGINAL]),
    _sample("FRENCH", {"fra"}, ["French"]),
)
_SPANISH: Final = (
    _sample("LATINO", {"es-419"}, ["Spanish (Latino)"]),
    # DUAL: no rule of LanguageParser.cs reads it, the original is held but not read.
    _sample("DUAL.LATINO", {"es-419", ORIGINAL}, ["Spanish (Latino)"]),
    _sample("CASTELLANO", {"es-ES"}, ["Spanish"]),
    _sample("DUAL.CASTELLANO", {"es-ES", ORIGINAL}, ["Spanish"]),
    _sample("SPANISH", {"spa"}, ["Spanish"]),
)
_PORTUGUESE: Final = (
    _sample("DUBLADO", {"pt-BR"}, ["Portuguese (Brazil)"]),
    _sample("DUAL.DUBLADO", {"pt-BR", ORIGINAL}, ["Portuguese (Brazil)"]),
    _sample("PORTUGUESE", {"por"}, ["Portuguese"]),
)
_GERMAN: Final = (
    _sample("GERMAN", {"deu"}, ["German"]),
    _sample("GERMAN.DL", {"deu", ORIGINAL}, ["German", ORIGINAL]),
)
_CHINESE: Final = (
    _sample("CANTONESE", {"yue"}, ["Chinese"]),
    _sample("MANDARIN", {"cmn"}, ["Chinese"]),
    _sample("MULTi.CANTONESE", {"yue", ORIGINAL}, ["Chinese", ORIGINAL]),
    _sample("MULTi.MANDARIN", {"cmn", ORIGINAL}, ["Chinese", ORIGINAL]),
)
BY_LANGUAGE: Final = {
    "fra": _FRENCH,
    "spa": _SPANISH,
    "por": _PORTUGUESE,
    "deu": _GERMAN,
    "zho": _CHINESE,
}


def language_of(target: str) -> str | None:
    """The canonical language whose samples stand for ``target`` (``yue`` is Chinese's)."""
    code = canonical(target)
    if code is None:
        return None
    return macrolanguage(code) or code


def original_for(targets: Iterable[str]) -> str:
    """The original language the samples assume: English, unless a target is English."""
    english = canonical("en") or "eng"
    codes = (canonical(target) for target in targets)
    return JAPANESE if any(code and same_language(code, english) for code in codes) else ENGLISH


def samples_for(
    language: str, app: str | None = None, known: Collection[str] | None = None
) -> tuple[Sample, ...]:
    """A language's samples: its table's (read alike by Sonarr and Radarr), or its
    English name as the word ("ITALIAN", and "MULTi.ITALIAN" beside the original), read
    as ``app`` (``sonarr``, ``radarr``; None: only what both read) reads it. The Multi
    Languages setting can only name a language the *arr has: ``known``, its language
    names casefolded (None: any)."""
    found = BY_LANGUAGE.get(language)
    if found is not None:
        return found
    name = english_name(language)
    word = ".".join(name.upper().split())
    dub = [name] if known is None or name.casefold() in known else []
    alone, multi = (f"Movie.2019.{words}.{TAIL}" for words in (word, f"MULTi.{word}"))
    return (
        Sample(alone, frozenset({language}), _read(alone, app)),
        Sample(multi, frozenset({language, ORIGINAL}), _read(multi, app, [*dub, parser.ORIGINAL])),
    )


def _read(title: str, app: str | None, setting: Iterable[str] = ()) -> tuple[str, ...]:
    """The *arr's languages of ``title`` as a sample says them (``original``), its
    indexer's Multi Languages ``setting``."""
    found = parser.release_languages(title, app, tuple(setting))
    return tuple(ORIGINAL if name == parser.ORIGINAL else name for name in found)


def samples(
    targets: Iterable[str], app: str | None = None, known: Collection[str] | None = None
) -> tuple[Sample, ...]:
    """The original alone, then each target language's samples once, in the targets'
    order (a variety brings its whole language: VFF beside VFQ); ``app`` and ``known``
    as samples_for's."""
    found: list[Sample] = [ORIGINAL_ALONE]
    seen: set[str] = set()
    for target in targets:
        language = language_of(target)
        if language is None or language in seen:
            continue
        seen.add(language)
        found.extend(samples_for(language, app, known))
    return tuple(found)


def holds(sample: Sample, target: str) -> bool:
    """Whether ``sample`` has a dub that meets ``target``: a variety only its own (a VF2
    has both French ones; French of no named variety meets neither), a plain target any
    voice of its language (a VFQ is French). A variety no release word names (``de-CH``)
    is judged as its language: the *arr cannot tell it, whatever the profile."""
    if is_regional(target) and (target in _NAMED or arr_language(target)):
        return target in sample.holds
    code = language_of(target)
    return code is not None and any(
        voice != ORIGINAL and language_of(voice) == code for voice in sample.holds
    )


# The varieties the samples name (a release word says them): judged by their own samples.
_NAMED: Final = frozenset(
    voice
    for table in BY_LANGUAGE.values()
    for sample in table
    for voice in sample.holds
    if voice != ORIGINAL and is_regional(voice)
)
