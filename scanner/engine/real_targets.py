"""Which targets a person may add (scanner.validators.clean_targets): real languages and
real regions only, typed as people write them (engine.target_aliases).
``engine.targets.target_code`` reads any tag that parses, and keeps reading what was
stored before; a new target must besides be:

- a language of ISO 639 that the Unicode CLDR names (Babel's English names): ``e`` is
  the E language of ISO 639-3 (``eee``), which nobody dubs into and CLDR does not name.
  An individual language CLDR does not name is taken when its macrolanguage is named
  (``cmn``: Chinese);
- with a region that is an ISO 3166 country (pycountry) or a UN M49 area CLDR names
  (``419``, Latin America; not ``999``);
- with a script only where CLDR has a locale of that language in that script
  (``zh-Hant``, ``sr-Latn``; not ``fr-Cyrl``).
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale
from babel.localedata import locale_identifiers

from scanner.engine.language_value import parse
from scanner.engine.languages import canonical, macrolanguage, short_code
from scanner.engine.target_aliases import typed_target


def real_target(value: str, locale: str = "en") -> str | None:
    """The target ``value`` names as it is stored (``target_code``), read as people type
    it by ``locale``'s reader (engine.target_aliases: ``VFQ``, ``Latino``,
    ``Französisch``), or None when it is not a real language, region or script."""
    code = typed_target(value, locale)
    found = parse(code) if code is not None else None
    if found is None or not _named(found.language):
        return None
    script, region = found.script, found.region
    if script is not None and f"{short_code(found.language)}_{script}" not in _locales():
        return None
    if region is not None and not (
        region in _areas() if region.isdigit() else pycountry.countries.get(alpha_2=region)
    ):
        return None
    return code


def _named(language: str) -> bool:
    found = canonical(language)
    if found is None:
        return False
    names = _names()
    wider = macrolanguage(found)
    return any(
        short_code(code) in names or code in names for code in (found, wider) if code is not None
    )


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    return frozenset(Locale("en").languages)


@lru_cache(maxsize=1)
def _areas() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)  # Babel types its keys loosely
    return frozenset(code for code in codes if code.isdigit())


@lru_cache(maxsize=1)
def _locales() -> frozenset[str]:
    return frozenset(locale_identifiers())
