"""Languages named in the reader's language: "Deutsch", "Französisch", "japonais".

The names are the Unicode CLDR's, through Babel: the everyday names operating systems
and browsers use ("Griechisch", not ISO 639's "Neugriechisch (ab 1453)"), for every UI
language Taggarr has, pt-BR included. Babel also compiles the catalogs (the Makefile),
so one library does both. The engine stays pure Python and keeps its English names
(scanner.engine.languages.language_name); what people read is named here, outside it.

A variety (engine.varieties: ``fr-CA``, ``es-419``, ``yue``) is named the same way:
CLDR's own name where it has one ("français canadien", "Latin American Spanish",
"Kantonesisch"), else its language and region as CLDR's localeDisplayPattern joins
them, "{0} ({1})" ("Französisch (Kanada)", "português (Brasil)"). An individual
language CLDR does not name (``cmn``) takes ISO 639-3's name as pycountry translates
it ("Mandarin-Chinesisch"), else its English one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from django.conf import settings
from django.utils import translation

from scanner.engine.language_value import parse
from scanner.engine.language_words import iso_catalog
from scanner.engine.languages import canonical, short_code
from scanner.engine.languages import language_name as english_name
from scanner.engine.targets import is_regional
from scanner.engine.varieties import subtags, tag_variety


def ui_language_of(languages: Sequence[str]) -> str | None:
    """The first of a person's languages (targets: ``fr-CA``, ``fra``) that Taggarr
    speaks, as a Django language code (``pt-br`` for Portuguese, ``fr-ca`` for Quebec
    French: its variety where Taggarr has it); None when it speaks none of them."""
    spoken = {code.lower() for code, _ in settings.LANGUAGES}
    for code in languages:
        if code.lower() in spoken:  # a variety Taggarr speaks: es-419, fr-CA
            return code.lower()
        value = parse(code)
        short = short_code(value.language) if value is not None else None
        if short == "pt" and "pt-br" in spoken:
            return "pt-br"
        if short and short in spoken:
            return short
    return None


def readers_locale() -> str:
    """The reader's language (the active one) as a Babel locale name (``pt_BR``): the
    one engine.target_aliases reads a typed language or target by."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def language_name(code: str, ui_language: str | None = None) -> str:
    """``code`` (any form ``canonical`` reads, a variety too: ``fr-CA``) named in
    ``ui_language`` (a Django language code; default: the active one); the English
    name where no table has one in that language."""
    found = canonical(code)
    if found is None:
        return code
    locale = translation.to_locale(ui_language or translation.get_language() or "en")
    variety = tag_variety(code)
    if variety is not None and is_regional(variety):
        return _variety_name(variety, locale)
    return _plain_name(found, locale)


def _plain_name(found: str, locale: str) -> str:
    names = _names(locale)
    return names.get(short_code(found)) or names.get(found) or _iso_name(found, locale)


@lru_cache(maxsize=512)
def _variety_name(variety: str, locale: str) -> str:
    """A variety in ``locale``: CLDR's name for it, else its language with its script
    and region, as CLDR's localeDisplayPattern "{0} ({1})" (Babel's display names
    join them the same way)."""
    names = _names(locale)
    own = names.get(variety.replace("-", "_"))
    parts = subtags(variety)
    if own or parts is None:
        return own or english_name(variety)
    language, script, region = parts
    if not script and not region:  # an individual language: yue, cmn
        return _plain_name(language, locale)
    base = variety.split("-", 1)[0]  # its own language code: zh-Hant is Chinese, not zho's
    name = names.get(base) or _plain_name(language, locale)
    details = [_part(script, "scripts", locale), _part(region, "territories", locale)]
    shown = ", ".join(detail for detail in details if detail)
    return f"{name} ({shown})" if shown else name


def _part(code: str | None, table: str, locale: str) -> str:
    if not code:
        return ""
    try:
        found: str = getattr(Locale.parse(locale), table).get(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return found


@lru_cache(maxsize=1024)
def _iso_name(code: str, locale: str) -> str:
    """ISO 639-3's name of a language CLDR does not name, as pycountry's catalogs
    translate it into ``locale`` (untranslated there: the English name)."""
    english = english_name(code)
    if locale.split("_")[0] == "en" or english == code:
        return english
    entry = pycountry.languages.get(alpha_3=code)
    return iso_catalog(locale).gettext(str(entry.name)) if entry is not None else english


def language_names(codes: list[str] | tuple[str, ...], ui_language: str | None = None) -> str:
    """Several languages, named and listed in alphabetical order ("Deutsch, Englisch"): an
    enumeration in parentheses only, beside a sentence, never read as part of it (the
    verdict's "(Deutsch, Englisch)", as the engine's stored English reason lists them);
    a list read in a sentence is ``language_list``'s."""
    return ", ".join(sorted({language_name(code, ui_language) for code in codes}))


def language_list(codes: list[str] | tuple[str, ...], ui_language: str | None = None) -> str:
    """Several languages, named and joined as the reader's language joins a list (CLDR's
    list pattern, Babel's ``format_list``): "Deutsch und Französisch", "alemán y francés",
    "allemand et français". A sentence that holds the list chooses its own words by the
    list's length (ngettext, or one message for one language and one for several)."""
    names = sorted({language_name(code, ui_language) for code in codes})
    return spoken_list(names, ui_language)


def spoken_list(items: list[str], ui_language: str | None = None) -> str:
    """Words or clauses, in their order, joined as the reader's language joins a list
    (CLDR's "standard" list pattern): "A, B und C", "A, B et C", "A, B y C"."""
    locale = translation.to_locale(ui_language or translation.get_language() or "en")
    try:
        return format_list(items, locale=locale)
    except (UnknownLocaleError, ValueError):
        return ", ".join(items)


# A variety named as its own speakers name it where CLDR's name is not theirs (issue 71):
# Latin-American Spanish is "español latino" to the people who watch it ("Latino" on
# every release and dub credit), not CLDR's "español latinoamericano"; the catalogs say
# the same. Quebec French is "français québécois" to a Quebecer (the UI read in fr-CA),
# "français canadien" (CLDR's) to a reader in France. Keyed by the reader's language
# or their variety; CLDR's name is still read back (engine.language_words).
SPEAKERS_NAMES: dict[str, dict[str, str]] = {
    "es": {"es_419": "español latino"},
    "fr_CA": {"fr_CA": "français québécois"},
}


@lru_cache(maxsize=16)
def _cldr_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).languages)
    except (UnknownLocaleError, ValueError):
        return {}


@lru_cache(maxsize=16)
def _names(locale: str) -> dict[str, str]:
    language = locale.split("_")[0]
    return _cldr_names(locale) | SPEAKERS_NAMES.get(language, {}) | SPEAKERS_NAMES.get(locale, {})


def language_label(code: str, ui_language: str | None = None) -> str:
    """A language with its code, for a picker or a filter ("Japanisch (jpn)"); a code no
    table knows stays as it is."""
    name = language_name(code, ui_language)
    return code if name == code else f"{name} ({code})"
