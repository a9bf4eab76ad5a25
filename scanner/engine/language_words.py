"""Languages' names as people write them (issue 79, finding 5), the tables the one reader
(engine.target_aliases: ``typed_target``, ``read_language``) and its suggestions read:

- the reader's language's names, CLDR's through Babel (``Deutsch`` and ``Französisch``
  to a German reader, ``allemand`` to a French one; ``bas-allemand`` is Low German,
  never the Basa language its first letters spell);
- each language's own name, its endonym, whoever reads (``Deutsch``, ``français``,
  ``español``, ``日本語``): CLDR's name of a language in its own locale;
- the English names (CLDR's; pycountry's ISO 639 names are ``canonical``'s);
- last, ISO 639-3's names as pycountry translates them into the reader's language, for
  the languages CLDR does not name (``Mandarin-Chinesisch``: scanner.language_names
  names them so).

Pure Python, no Django: the reader's language is given as a Babel locale name (``de``,
``pt_BR``). Case, accents, spaces and punctuation do not count (``key``).
"""

from __future__ import annotations

import gettext
import pickle
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import pycountry
from babel import Locale, UnknownLocaleError, localedata

_NOT_WORD = re.compile(r"[\W_]+")

# A name as shown and the BCP-47 tag it names (``Französisch``, ``fr``; ``français
# canadien``, ``fr-CA``), by its compared form.
Names = dict[str, tuple[str, str]]


def key(value: str) -> str:
    """A typed value as it is compared: lower case, no accents, words of letters and
    digits apart (``Español (Latinoamérica)`` -> ``espanol latinoamerica``)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def reader_locale(locale: str) -> Locale:
    """Babel's locale of a reader's language (``pt_BR``); English for one Babel lacks."""
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale("en")


@lru_cache(maxsize=16)
def names_in(locale: str) -> Names:
    """Every language and variety CLDR names in ``locale`` (``Kanadisches Französisch``
    is ``fr-CA``); a language before its varieties when two share a name."""
    found: Names = {}
    entries = sorted(reader_locale(locale).languages.items(), key=lambda entry: "_" in entry[0])
    for code, name in entries:
        found.setdefault(key(name), (name, code.replace("_", "-")))
    found.pop("", None)
    return found


@cache
def own_names() -> Names:
    """Each language's own name (``deutsch``, ``francais``, ``nihongo`` aside: ``日本語``),
    for every language Babel has a locale of."""
    found: Names = {}
    for identifier in sorted(localedata.locale_identifiers()):
        if "_" in identifier or identifier == "root":
            continue
        name = _own_name(identifier)
        if name:
            found.setdefault(key(name), (name, identifier))
    found.pop("", None)
    return found


def _own_name(identifier: str) -> str | None:
    """A locale's name of its own language, read from Babel's file of that locale alone.
    ``localedata.load`` would keep each locale merged with its parents for the process'
    life (140 MB for all of them), and keeps one read unmerged in place of the merged
    one; the file is read here as it reads it (Babel's own data, shipped in its wheel)."""
    try:
        with open(localedata.resolve_locale_filename(identifier), "rb") as file:
            data = pickle.load(file)  # noqa: S301 - Babel's own locale file, as Babel reads it
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
    languages = data.get("languages") if isinstance(data, dict) else None
    name = languages.get(identifier) if isinstance(languages, dict) else None
    return name if isinstance(name, str) else None


@lru_cache(maxsize=16)
def iso_catalog(locale: str) -> gettext.NullTranslations:
    """pycountry's translations of ISO 639-3's names into ``locale`` (``pt_BR``, else
    ``pt``); none (the English names) where it has none."""
    languages = [locale, locale.split("_")[0]]
    try:
        return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=languages)
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=16)
def iso_names_in(locale: str) -> Names:
    """ISO 639-3's names that pycountry translates into ``locale``, by their code."""
    catalog = iso_catalog(locale)
    found: Names = {}
    for language in pycountry.languages:
        english = str(language.name)
        name = catalog.gettext(english)
        if name != english:
            found.setdefault(key(name), (name, str(language.alpha_3)))
    found.pop("", None)
    return found


def named(value: str, locale: str) -> str | None:
    """The tag ``value`` names in the reader's language (``de``, ``fr-CA``), else as its
    own speakers or English name it (CLDR's names); None when it is no such name."""
    typed = key(value)
    # English before the languages' own names: no name is both for two languages, and
    # the own names are read from every locale's file, once, when first needed.
    tables: tuple[Callable[[], Names], ...] = (
        lambda: names_in(locale),
        lambda: names_in("en"),
        own_names,
    )
    for table in tables:
        found = table().get(typed)
        if found is not None:
            return found[1]
    return None


def named_in(value: str, locale: str) -> str | None:
    """The tag ``value`` names in the reader's language alone (CLDR's names)."""
    found = names_in(locale).get(key(value))
    return found[1] if found is not None else None


def iso_named(value: str, locale: str) -> str | None:
    """The ISO 639-3 code ``value`` names as pycountry translates it into the reader's
    language (``Mandarin-Chinesisch``), read after every other name: its tables also
    hold the ISO names of languages nobody dubs into, some of them another language's
    English name."""
    found = iso_names_in(locale).get(key(value))
    return found[1] if found is not None else None


@lru_cache(maxsize=16)
def every_name(locale: str) -> Names:
    """The names ``named`` reads, the reader's first: the words a suggestion is chosen
    from."""
    found: Names = {}
    for table in (names_in(locale), names_in("en"), own_names()):
        for typed, entry in table.items():
            found.setdefault(typed, entry)
    return found
