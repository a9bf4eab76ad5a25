"""Languages named in the reader's language: "Deutsch", "Französisch", "japonais".

The names are the Unicode CLDR's, through Babel: the everyday names operating systems
and browsers use ("Griechisch", not ISO 639's "Neugriechisch (ab 1453)"), for every UI
language Taggarr has, pt-BR included. Babel also compiles the catalogs (the Makefile),
so one library does both. The engine stays pure Python and keeps its English names
(scanner.engine.languages.language_name); what people read is named here, outside it.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils import translation

from scanner.engine.languages import canonical, short_code
from scanner.engine.languages import language_name as english_name


def language_name(code: str, ui_language: str | None = None) -> str:
    """``code`` (any form ``canonical`` reads) named in ``ui_language`` (a Django
    language code; default: the active one); the English name where CLDR has none."""
    found = canonical(code)
    if found is None:
        return code
    names = _names(translation.to_locale(ui_language or translation.get_language() or "en"))
    return names.get(short_code(found)) or names.get(found) or english_name(found)


def language_names(codes: list[str] | tuple[str, ...], ui_language: str | None = None) -> str:
    """Several languages, named and listed in alphabetical order ("Deutsch, Englisch")."""
    return ", ".join(sorted({language_name(code, ui_language) for code in codes}))


@lru_cache(maxsize=16)
def _names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale).languages)
    except (UnknownLocaleError, ValueError):
        return {}


def language_label(code: str, ui_language: str | None = None) -> str:
    """A language with its code, for a picker or a filter ("Japanisch (jpn)"); a code no
    table knows stays as it is."""
    name = language_name(code, ui_language)
    return code if name == code else f"{name} ({code})"
