"""A language's variety, read from what a file says (tagging-rules.md, "Varieties"): the
French of Quebec or of France, Latin-American or Castilian Spanish, Brazilian or
European Portuguese, Cantonese or Mandarin.

A variety is a BCP-47 tag with a region or a script (``fr-CA``, ``es-419``, ``pt-BR``,
``zh-Hant``), or an ISO 639-3 individual language of a macrolanguage (``yue``,
``cmn``), in the tag's usual case and with the shortest language code (``fra-ca`` is
``fr-CA``). It is an extra fact about a track: the track's ``language`` stays the one
canonical code every rule compares (``fr-CA`` audio is French, as before).

Pure and cached: the values repeat endlessly (the same tags and titles on every
episode of a series). A tag is read once, into the value the rules compare, by
scanner/engine/language_value.py; how the sources combine for a file's tracks:
scanner/engine/file_varieties.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from scanner.engine.language_value import OTHER, parse
from scanner.engine.language_value import is_other as is_other
from scanner.engine.language_value import tag_variety as tag_variety
from scanner.engine.languages import MAX_LANGUAGE, canonical, same_language, short_code

# Where a track's variety comes from, best first (the order they are read in).
BCP47: Final = (
    "bcp47"  # the track's language tag (Matroska's LanguageBCP47, as MediaInfo reports it)
)
TITLE: Final = "title"  # a word of the track's title
RELEASE: Final = "release"  # a word of the file's (release) name
# A release name that names as many varieties of a language as the file has tracks of
# it of unknown variety (VF2 over two untitled French tracks): the file holds each of
# them, which track is which is unsaid. Each track takes one, in order, with this source,
# so the verdict hears each variety and the pages never say which track is which.
RELEASE_SET: Final = "release_set"
ARR: Final = "arr"  # Sonarr's or Radarr's language of the file
SIDECAR: Final = "sidecar"  # a sidecar subtitle's name (Video.pt-BR.srt)
LAT: Final = "lat"  # the code ``lat`` read as Latin-American Spanish (an instance option)
SETTLED: Final = "settled"  # a person's word on an item's tracks of unknown variety
SOURCES: Final = (BCP47, TITLE, RELEASE, RELEASE_SET, ARR, SIDECAR, LAT, SETTLED)

# A person's word that an item's tracks of unknown variety are none of the regional
# targets of their language (scanner.engine.file_varieties.settle_varieties), and the
# private-use subtag (RFC 5646, 2.2.7) their voice takes then: ``fr-x-other`` is French
# of a variety no target names, which never meets a regional target and is never
# unknown; a plain target reads it as its language, as it reads ``fr-CA``.
NOT: Final = "not"

# A title word that says "neither": VFI, the international French dub, is neither
# the Quebec nor the France one.
NEITHER: Final = "-"

_GAP = r"[\s._-]*"
# Words of a track title, whole words in any case, per variety; a title word counts
# only on a track of that language. The list (issue 60), with the usual
# inflections and the English names muxers write ("Portuguese (Brazil)").
_TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "fr-CA": (
        "vfq", "vq", r"qu[ée]b[ée]cois(?:e)?", r"qu[ée]bec", r"canadien(?:ne)?", "canadian",
        "canada",
    ),
    "fr-FR": ("vff", "truefrench", "france"),
    "es-419": (
        "latino", r"latinoam[ée]rica(?:no)?", "latam", rf"latin{_GAP}america(?:n)?",
    ),
    "es-ES": ("castellano", r"espa[ñn]a", "castilian", "spain"),
    "pt-BR": ("brasil", r"brasileir[oa]", "brazil", "brazilian", rf"pt{_GAP}br", "dublado"),
    "pt-PT": ("portugal", "europeu", "europeia", rf"pt{_GAP}pt"),
    "yue": ("cantonese",),
    "cmn": ("mandarin",),
    "de-CH": ("schweizerdeutsch", rf"swiss{_GAP}german"),
    NEITHER: ("vfi",),
}  # fmt: skip
# Words in Chinese script: no spaces between words there, so they count anywhere in a title.
_TITLE_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "yue": ("粵語", "粤语", "廣東話", "广东话"),
    "cmn": ("國語", "国语", "普通话", "普通話"),
}
_TITLE_PATTERNS = tuple(
    (
        variety,
        re.compile(
            "|".join(
                [rf"(?<![^\W_])(?:{'|'.join(words)})(?![^\W_])"]
                + [re.escape(word) for word in _TITLE_SCRIPT_WORDS.get(variety, ())]
            ),
            re.IGNORECASE,
        ),
    )
    for variety, words in _TITLE_WORDS.items()
)

# Words of a release (file) name, as scene and P2P groups write them: each names the
# varieties of its language the file holds. VF2 is both French dubs: with as many
# French tracks of unknown variety it names both (RELEASE_SET), and a file with one dub
# titled VFF has the other from Quebec. VF, VFI, MULTi, VOSTFR and SUBFRENCH name none.
# Real names: Sonarr's and Radarr's LanguageParserFixture.cs.
# The word a variety's releases carry, where it is the name people look for it by (the
# pages' names, the quality profiles' wishes, the badges on posters).
VARIETY_WORDS: Final = {"fr-CA": "VFQ", "fr-FR": "VFF", "es-419": "Latino", "es-ES": "Castellano"}

_RELEASE_WORDS: dict[str, tuple[str, ...]] = {
    "truefrench": ("fr-FR",),
    "vff": ("fr-FR",),
    "vfq": ("fr-CA",),
    "vf2": ("fr-CA", "fr-FR"),
    "latino": ("es-419",),
    "castellano": ("es-ES",),
    "brazilian": ("pt-BR",),
    "dublado": ("pt-BR",),
    "nacional": ("pt-BR",),
    "cantonese": ("yue",),
    "mandarin": ("cmn",),
}
# Two words of a release name, one after the other: PT-BR is split by its dash.
_RELEASE_PAIRS: dict[tuple[str, str], tuple[str, ...]] = {("pt", "br"): ("pt-BR",)}
_RELEASE_WORD = re.compile(r"[^\s._\-\[\](){}+]+")
# Words in Chinese script count anywhere in a release name, as in a title (国语音轨).
_RELEASE_SCRIPT = tuple(
    (variety, re.compile("|".join(map(re.escape, words))))
    for variety, words in _TITLE_SCRIPT_WORDS.items()
)

# Sonarr's and Radarr's languages that name a variety (Language.cs: "Portuguese
# (Brazil)", "Spanish (Latino)"; IsoLanguages.cs maps them from pt-BR and es-MX); the
# language each names is in languages._ARR_NAMES.
_ARR_LANGUAGES: dict[str, str] = {
    "Portuguese (Brazil)": "pt-BR",
    "Spanish (Latino)": "es-419",
    "Mandarin": "cmn",
    "Cantonese": "yue",
}
_ARR_VARIETIES = {name.casefold(): variety for name, variety in _ARR_LANGUAGES.items()}
# The *arrs' languages a custom format's Language condition offers for a variety (the
# languages both Sonarr and Radarr list: "Portuguese (Brazil)" and "Spanish (Latino)").
_CONDITION_LANGUAGES: Final = ("Portuguese (Brazil)", "Spanish (Latino)")

LATINO: Final = "es-419"


def known_varieties() -> tuple[str, ...]:
    """Every variety Taggarr reads from a track's title (``fr-CA``, ``es-419``, ``yue``,
    ``de-CH``...): the ones the instance form offers as targets."""
    return tuple(variety for variety in _TITLE_WORDS if variety != NEITHER)


def other_variety(language: str) -> str:
    """The voice of a track of ``language`` settled as none of its regional targets."""
    return short_code(language) + OTHER


def variety_language(variety: str) -> str | None:
    """The canonical language of a variety (``fr-CA`` -> ``fra``, ``yue`` -> ``yue``)."""
    return canonical(variety)


@lru_cache(maxsize=4096)
def title_variety(title: str | None, language: str | None) -> str | None:
    """The variety a track title names for a track of ``language``: a word of another
    language counts for nothing (a "VFQ" title on a German track). ``NEITHER`` for VFI;
    None when the title names none, or two varieties of the language."""
    if not title or language is None:
        return None
    found = {
        variety
        for variety, pattern in _TITLE_PATTERNS
        if pattern.search(title) and _agrees(variety, language)
    }
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def release_varieties(name: str) -> tuple[str, ...]:
    """The varieties a file's name says it holds (``Film.2020.MULTi.VFQ.1080p.mkv``:
    ``fr-CA``), in the order written, each once."""
    found: list[tuple[int, str]] = []
    words = [(match.start(), match.group()) for match in _RELEASE_WORD.finditer(name.casefold())]
    for index, (start, word) in enumerate(words):
        said = _RELEASE_WORDS.get(word, ())
        if index + 1 < len(words):
            said += _RELEASE_PAIRS.get((word, words[index + 1][1]), ())
        found += ((start, variety) for variety in said)
    for variety, pattern in _RELEASE_SCRIPT:
        match = pattern.search(name)
        if match is not None:
            found.append((match.start(), variety))
    return tuple(dict.fromkeys(variety for _, variety in sorted(found, key=lambda f: f[0])))


def release_words(variety: str) -> tuple[str, ...]:
    """The words of a release name that name ``variety`` alone (``es-419``: latino), as
    a search for it would need them; VF2, both French dubs, names neither alone."""
    return tuple(word for word, said in _RELEASE_WORDS.items() if said == (variety,))


def arr_language(variety: str) -> str | None:
    """The *arrs' language that is ``variety`` in a custom format's Language condition
    (``pt-BR``: Portuguese (Brazil)), if they have one."""
    for name in _CONDITION_LANGUAGES:
        if _ARR_LANGUAGES[name] == variety:
            return name
    return None


def arr_variety(name: str | None) -> str | None:
    """The variety an *arr language name says (``Portuguese (Brazil)`` -> ``pt-BR``)."""
    if not name or len(name) > MAX_LANGUAGE:
        return None
    return _ARR_VARIETIES.get(" ".join(name.split()).casefold())


def agree(first: str, second: str) -> bool:
    """Two varieties that do not contradict each other: the same languages (as
    ``same_language`` compares), and no script or region that differs (``zh-Hant`` and
    ``yue`` agree; ``fr-CA`` and ``fr-FR``, or ``yue`` and ``cmn``, do not)."""
    a, b = parse(first), parse(second)
    return a is not None and b is not None and a.agrees(b)


def subtags(variety: str) -> tuple[str, str | None, str | None] | None:
    """(canonical language, script, region) of a variety; None when it names none."""
    found = parse(variety)
    return None if found is None else (found.language, found.script, found.region)


def _agrees(variety: str, language: str) -> bool:
    if variety == NEITHER:
        return same_language(language, "fra")
    of_variety = canonical(variety)
    return of_variety is not None and same_language(of_variety, language)


@lru_cache(maxsize=4096)
def own_variety(
    raw_language: str | None, language: str | None, title: str | None
) -> tuple[str | None, str | None, str]:
    """(variety, source, note) of one track from what it says itself: its language
    tag first (or an *arr language name in its place), then its title. The note keeps
    a later source that disagrees (``title:fr-CA``); "" when none does."""
    if language is None:
        return None, None, ""
    tagged = tag_variety(raw_language)
    source = BCP47
    if tagged is None:
        tagged, source = arr_variety(raw_language), ARR
    titled = title_variety(title, language)
    if titled == NEITHER:
        titled = None
    if tagged is not None:
        if titled is not None and not agree(tagged, titled):
            return tagged, source, f"{TITLE}:{titled}"
        return tagged, source, ""
    if titled is not None:
        return titled, TITLE, ""
    return None, None, ""
