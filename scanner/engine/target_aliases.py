"""The one reader of a language or a target as people type it (issue 68, item 5; issue
79, finding 5), wherever one is typed: the API, the admin's forms, the import, every
validator (scanner.validators; scanner.engine.real_targets reads a target through
``typed_target``, a language field through ``read_language``). It reads:

- codes and tags (``de``, ``deu``, ``ger``, ``fr-CA``, ``es-419``: engine.languages);
- the words people use for a variety (``VFQ``, ``Québécois``, ``Latino``,
  ``Spanish (Latino)``, ``Castellano``, ``Brasileiro``, ``Mandarin``), a variety's name
  in any language Taggarr speaks (``français canadien``, ``Español (Latinoamérica)``),
  a language and a region in parentheses (``Portuguese (Brazil)``, ``Deutsch (Schweiz)``);
- a language's name in the reader's language, its own name and its English one
  (engine.language_words: ``Französisch`` to a German reader, ``Deutsch`` and
  ``German`` to anyone).

``lat`` is Latin-American Spanish as a target: nobody dubs into Latin. A value read
no way is refused, never saved as something else: ``Spanish (Latino)`` is ``es-419``,
not any Spanish, and ``French (Atlantis)`` names no region, so it is not French either.

Case, accents, spaces and punctuation do not count (``francais canadien``,
``Spanish(Latino)``). Pure Python with Babel's CLDR names, no Django: the reader's
language is given as a Babel locale name (``de``, ``pt_BR``); the languages Taggarr
speaks are listed here (``UI_LOCALES``; taggarr.settings.LANGUAGES, a test keeps them
equal). ``nearest`` gives the names closest to a refused value, for the refusal to
offer in the reader's language.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Final

import pycountry
from babel import Locale, UnknownLocaleError

from scanner.engine.language_words import (
    every_name,
    iso_named,
    key,
    named,
    named_in,
    names_in,
    reader_locale,
)
from scanner.engine.languages import MAX_LANGUAGE, canonical, short_code
from scanner.engine.targets import target_code
from scanner.engine.varieties import known_varieties, tag_variety

# The languages of the UI, as Babel names its locales (taggarr.settings.LANGUAGES).
UI_LOCALES: Final = ("en", "de", "fr", "fr_CA", "es", "es_419", "it", "pt_BR", "nl", "pl")

# The words people write for a variety, as they write them: release and dub words, the
# *arrs' language names, endonyms. Each is read whole (case, accents, spaces and
# punctuation aside); a variety's CLDR names in every UI language are read too.
ALIASES: Final[dict[str, str]] = {
    "VFQ": "fr-CA", "VQ": "fr-CA", "Québécois": "fr-CA", "Québécoise": "fr-CA",
    "Français québécois": "fr-CA", "Français canadien": "fr-CA", "Canadian French": "fr-CA",
    "French (Canada)": "fr-CA", "French (Quebec)": "fr-CA", "French Canadian": "fr-CA",
    "Quebec French": "fr-CA", "Québec": "fr-CA",
    "VFF": "fr-FR", "TRUEFRENCH": "fr-FR", "French (France)": "fr-FR",
    "Français de France": "fr-FR",
    "Latino": "es-419", "LatAm": "es-419", "lat": "es-419", "Español latino": "es-419",
    "Spanish (Latino)": "es-419", "Latin American Spanish": "es-419",
    "Spanish (Latin America)": "es-419", "Español (Latinoamérica)": "es-419",
    "Español latinoamericano": "es-419", "Español de Latinoamérica": "es-419",
    "Castellano": "es-ES", "Castilian": "es-ES", "Español de España": "es-ES",
    "Spanish (Spain)": "es-ES", "European Spanish": "es-ES",
    "Brasileiro": "pt-BR", "Brasileira": "pt-BR", "Brazilian": "pt-BR",
    "Português brasileiro": "pt-BR", "Português do Brasil": "pt-BR",
    "Portuguese (Brazil)": "pt-BR", "Brazilian Portuguese": "pt-BR",
    "Português europeu": "pt-PT", "Portuguese (Portugal)": "pt-PT",
    "European Portuguese": "pt-PT",
    "Chinese (Cantonese)": "yue", "Chinese (Mandarin)": "cmn",
    "Cantonese": "yue", "粵語": "yue", "粤语": "yue", "廣東話": "yue", "广东话": "yue",
    "Mandarin": "cmn", "國語": "cmn", "国语": "cmn", "普通话": "cmn", "普通話": "cmn",
    "Swiss German": "de-CH", "Schweizerdeutsch": "de-CH",
}  # fmt: skip

# "Español (Latinoamérica)": a name with one qualifier in parentheses.
_QUALIFIED = re.compile(r"(?P<name>[^()]+?)\s*\((?P<qualifier>[^()]+)\)")
# A bare code, read as a code before any name (``ga`` is Irish, ``lat`` a language field's
# Latin); a longer value is a reader's name first (``bas-allemand`` is no Basa tag).
_BARE_CODE = re.compile(r"[A-Za-z]{2,3}")
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_](?P<script>[A-Za-z]{4}))?(?:[-_](?:[A-Za-z]{2}|\d{3}))?")
SUGGESTIONS = 3  # names a refusal offers
LATIN: Final = "lat"  # never offered: typed, lat is Latin-American Spanish


def read_language(value: str, locale: str = "en") -> str | None:
    """The language (ISO 639-3, as ``canonical`` gives it) a person means by ``value``
    read by ``locale``'s reader: a code or a tag, a language's name (the reader's, its
    own, English), a variety's word (``VFQ`` is French: a language field keeps no
    variety); None when it names none. A code is read first: ``lat`` is Latin here."""
    if not value or len(value) > MAX_LANGUAGE or not value.strip():
        return None
    code = canonical(value) if _BARE_CODE.fullmatch(value.strip()) else None
    if code is not None:
        return code
    target = typed_target(value, locale)
    return (canonical(target) if target is not None else None) or canonical(value)


def typed_target(value: str, locale: str = "en") -> str | None:
    """The target a person means by ``value`` (a stored target's form: ``fr-CA``,
    ``fra``) read by ``locale``'s reader (a Babel locale name), or None when it names
    none for sure."""
    if not value or len(value) > MAX_LANGUAGE or not value.strip():
        return None
    found = _aliases().get(key(value))
    if found is not None:
        return found
    text = value.strip()
    code = target_code(text) if _BARE_CODE.fullmatch(text) else None
    if code is not None:
        return code
    # A whole name (the reader's, its own, English) before a tag or ISO's English names:
    # "bas-allemand" is Low German, no Basa tag; French "mongol" is Mongolian. A value
    # shaped as a tag (fr-CA, zh-Hant, es-419) that no reader's name is, is a tag.
    mine = named_in(text, locale)
    code = target_code(text) if mine is None and _is_tag(text) else None
    if code is not None:
        return code
    tag = mine or named(text, locale)
    if tag is not None:
        return target_code(tag)
    qualified = _QUALIFIED.fullmatch(text)
    if qualified is not None and pycountry.languages.get(name=text) is None:
        # A qualifier is a region, or the value is refused: never its language alone.
        language = _language_named(qualified["name"], locale)
        region = _regions().get(key(qualified["qualifier"]))
        if language is not None and region is not None:
            return tag_variety(f"{language}-{region}")
        return _iso_target(text, locale)  # "Luo (Kenia y Tanzania)": ISO's whole name
    return target_code(text) or _iso_target(text, locale)


def _is_tag(text: str) -> bool:
    """Shaped as a language tag with a script CLDR knows and or a region: ``fr-CA``,
    ``zh-Hant``, ``es-419``; not ``Oji-Cree`` (no script is Cree)."""
    shaped = _TAG.fullmatch(text)
    return shaped is not None and (not shaped["script"] or shaped["script"].title() in _scripts())


@lru_cache(maxsize=1)
def _scripts() -> frozenset[str]:
    return frozenset(str(code) for code in Locale("en").scripts)


def _iso_target(text: str, locale: str) -> str | None:
    tag = iso_named(text, locale)
    return target_code(tag) if tag is not None else None


def _language_named(name: str, locale: str) -> str | None:
    """A language's code from its code or its name (the reader's, its own, English, or
    any UI language's), before a region in parentheses (``Español (Latinoamérica)``)."""
    code = read_language(name, locale)
    return short_code(code) if code is not None else _languages().get(key(name))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    table = {key(alias): code for alias, code in ALIASES.items()}
    for locale in _locales():
        for variety in known_varieties():
            for name in _variety_names(locale, variety):
                table.setdefault(key(name), variety)
    return table


def _variety_names(locale: Locale, variety: str) -> tuple[str, ...]:
    """CLDR's names of a variety in ``locale``: its own (``français canadien``), and its
    language with its region (``français (Canada)``)."""
    own = locale.languages.get(variety.replace("-", "_"))
    language, _, region = variety.partition("-")
    names = [own] if own else []
    language_name = locale.languages.get(language)
    region_name = locale.territories.get(region) if region else None
    if language_name and region_name:
        names.append(f"{language_name} ({region_name})")
    return tuple(names)


@lru_cache(maxsize=1)
def _locales() -> tuple[Locale, ...]:
    found = []
    for name in UI_LOCALES:
        try:
            found.append(Locale.parse(name))
        except (UnknownLocaleError, ValueError):  # pragma: no cover - Babel has them all
            continue
    return tuple(found)


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    """Language names in every UI language -> their code (``deutsch`` -> ``de``)."""
    table: dict[str, str] = {}
    for locale in _locales():
        for code, name in locale.languages.items():
            if "_" not in code:
                table.setdefault(key(name), code)
    return table


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """Region names in every UI language, and their codes -> their code (``brasil``,
    ``latinoamerica``, ``br`` -> ``BR``, ``419``)."""
    table: dict[str, str] = {}
    for locale in _locales():
        for code, name in locale.territories.items():
            table.setdefault(key(str(name)), str(code))
            table.setdefault(key(str(code)), str(code))
    return table


def nearest(value: str, locale: str) -> list[tuple[str, str]]:
    """Up to ``SUGGESTIONS`` targets whose words are closest to a refused ``value``
    (difflib), best first, each once: (the word as people write it, the target). The
    words are the aliases, the varieties' and the languages' codes and their names in
    ``locale`` (a Babel locale name, ``fr``, ``pt_BR``)."""
    typed = key(value[:MAX_LANGUAGE])
    if not typed:
        return []
    words = _words(locale)
    found: list[tuple[str, str]] = []
    for match in difflib.get_close_matches(typed, words, n=20, cutoff=0.6):
        shown, code = words[match]
        if all(code != other for _, other in found):
            found.append((shown, code))
        if len(found) == SUGGESTIONS:
            break
    return found


@lru_cache(maxsize=16)
def _words(locale: str) -> dict[str, tuple[str, str]]:
    """Compared word -> (word as shown, target)."""
    words: dict[str, tuple[str, str]] = {}
    for alias, code in ALIASES.items():
        words.setdefault(key(alias), (alias, code))
    for variety in known_varieties():
        words.setdefault(key(variety), (variety, variety))
    reader = reader_locale(locale)
    for variety in known_varieties():
        for name in _variety_names(reader, variety):
            words.setdefault(key(name), (name, variety))
    varieties = set(known_varieties())
    mine = {tag: name for name, tag in names_in(locale).values()}
    for typed, (name, tag) in every_name(locale).items():
        target = target_code(tag) if "-" not in tag or tag in varieties else None
        if target is not None and target != LATIN:  # lat is Latino here
            # Shown as the reader names it: "Deutsh" near "Dutch" offers Niederländisch.
            words.setdefault(typed, (mine.get(tag, name), target))
            if len(tag) == 2:
                words.setdefault(tag, (tag, target))
    return words
