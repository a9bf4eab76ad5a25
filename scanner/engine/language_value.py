"""A language with its variety, read once (issue 68, item 10): a target (``fr-CA``,
``fra``, ``yue``), a track's voice (its variety when known, else its language) or a
person's word that a track is none of the targets (``fr-x-other``) travels between
modules, and is stored, as a string; ``parse`` reads such a string once into a
``LanguageValue`` whose fields the rules compare (engine.targets, engine.regional_states,
engine.varieties.agree), instead of each module reading the string again.

A variety is a BCP-47 tag with a region or a script (``fr-CA``, ``es-419``, ``zh-Hant``)
or an ISO 639-3 individual language of a macrolanguage (``yue``, ``cmn``), in the
tag's usual case and with the shortest language code (``fra_ca`` is ``fr-CA``): the
form ``tag_variety`` gives and targets are stored in. Pure and cached: the same few
strings are read for every file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import pycountry

from scanner.engine.languages import MAX_LANGUAGE, canonical, macrolanguage, short_code

# The private-use subtag (RFC 5646, 2.2.7) of a voice a person settled as none of the
# regional targets of its language (engine.file_varieties.settle_varieties).
OTHER: Final = "-x-other"

# RFC 5646 "langtag", lowercased, "_" read as "-": language (with an extended language
# subtag, "zh-yue"), script, region; variants and extensions are read past and dropped.
_TAG = re.compile(
    r"(?P<language>[a-z]{2,3})(?:-(?P<extlang>[a-z]{3}))?(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|\d{3}))?(?:-[a-z0-9]{1,8})*"
)
# A language and a region, as a user asks for a variety: one whose region no table
# knows (``fr-XX``) names nothing, not its language alone.
_LANGUAGE_REGION: Final = re.compile(r"[a-z]{2,3}[-_](?:[a-z]{2}|\d{3})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LanguageValue:
    """One language as the rules compare it."""

    code: str  # as stored: "fr-CA", "fra", "yue", "fr-x-other"
    language: str  # its canonical ISO 639-3 language: "fra", "yue", "cmn"
    macrolanguage: str | None  # the macrolanguage of an individual one: "zho" for "yue"
    script: str | None  # "Hant"
    region: str | None  # "CA", "419"
    regional: bool  # it names a variety: a script, a region, or an individual language
    other: bool  # a person settled it as none of its language's regional targets

    @property
    def settled_language(self) -> str:
        """The language a person settles its tracks of unknown variety for: the
        macrolanguage of an individual one (``yue``: Chinese), else its language."""
        return self.macrolanguage or self.language

    @property
    def plain(self) -> LanguageValue:
        """Its language alone, as a target stores it (``fr-x-other``: ``fra``)."""
        if not self.other:
            return self
        return parse(self.language) or self  # a canonical code parses

    def same_language(self, other: LanguageValue) -> bool:
        """As languages.same_language: equal, or one is the macrolanguage of the other."""
        return (
            self.language == other.language
            or self.macrolanguage == other.language
            or other.macrolanguage == self.language
        )

    def agrees(self, other: LanguageValue) -> bool:
        """No contradiction: the same language, and no script or region that differs. A
        voice settled as none of the targets contradicts every region."""
        if not self.same_language(other):
            return False
        if self.other != other.other and (self.region or other.region):
            return False
        return _either_or_equal(self.script, other.script) and _either_or_equal(
            self.region, other.region
        )


def _either_or_equal(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second


@lru_cache(maxsize=4096)
def parse(value: str | None) -> LanguageValue | None:
    """The language ``value`` names with its variety (any form ``canonical`` and
    ``tag_variety`` read, a voice settled as none of the targets too), or None when it
    names no known language, or a region no table knows (``fr-XX``)."""
    if not value or len(value) > MAX_LANGUAGE:
        return None
    if value.endswith(OTHER):
        language = canonical(value)
        if language is None:
            return None
        return LanguageValue(value, language, macrolanguage(language), None, None, False, True)
    variety = tag_variety(value)
    if variety is not None and ("-" in variety or len(variety) > 2):
        language = canonical(variety)
        if language is None:  # pragma: no cover - a variety starts with a known code
            return None
        script = region = None
        for part in variety.split("-")[1:]:
            if len(part) == 4:
                script = part
            else:
                region = part
        return LanguageValue(
            variety, language, macrolanguage(language), script, region, True, False
        )
    if _LANGUAGE_REGION.fullmatch(value.strip()):
        return None
    language = canonical(value)
    if language is None:
        return None
    if macrolanguage(language) is not None and value.strip().casefold() != short_code(language):
        # A name of an individual language ("Cantonese") reads as its code does ("yue").
        return parse(short_code(language))
    return LanguageValue(language, language, macrolanguage(language), None, None, False, False)


def parse_all(values: Iterable[str]) -> tuple[LanguageValue, ...]:
    """The values that name a language, parsed, in order (a file's voices)."""
    return tuple(found for found in map(parse, values) if found is not None)


def tag_variety(value: str | None) -> str | None:
    """The variety a language tag names (``fr-CA``, ``fra_ca``, ``zh-yue``, ``yue``,
    ``cmn-Hant-TW``), or None: a plain language (``fr``, ``fre``, ``zh``), an unknown
    one (``und-CA``), or no tag at all."""
    if not value or len(value) > MAX_LANGUAGE:
        return None
    match = _TAG.fullmatch(value.strip().casefold().replace("_", "-"))
    if match is None:
        return None
    language = canonical(match["language"])
    if language is None:
        return None
    extlang = match["extlang"]
    if extlang:  # "zh-yue": the extended subtag is the language (RFC 5646, 2.2.2)
        individual = canonical(extlang)
        if individual is None or macrolanguage(individual) != language:
            return None
        language = individual
    script, region = match["script"], match["region"]
    if region and region.isalpha() and pycountry.countries.get(alpha_2=region) is None:
        return None
    if not script and not region and macrolanguage(language) is None:
        return None
    parts = [short_code(language)]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def is_other(voice: str) -> bool:
    """Whether a voice is one settled as none of its language's regional targets."""
    return voice.endswith(OTHER)
