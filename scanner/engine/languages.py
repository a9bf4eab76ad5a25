"""One canonical code per language: ISO 639-3 via pycountry (tagging-rules.md, "Languages").

``canonical`` runs once per audio track of every scanned file, so it is cached: the
values it sees repeat endlessly ("en", "jpn", "en-US"). Languages are then compared
with ``same_language``: an individual language and the macrolanguage it belongs to are
the same language (Mandarin ``cmn`` audio is "Chinese" ``zho``), from ISO 639-3's
macrolanguage mappings as python-iso639 carries them.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

import pycountry

from scanner.errors import UnknownLanguageError

# Sonarr/Radarr language names that pycountry does not know (or knows under
# another name). None means "unknown": it names no language.
_ARR_NAMES: dict[str, str | None] = {
    "greek": "ell",
    "flemish": "nld",
    "portuguese (brazil)": "por",
    "spanish (latino)": "spa",
    "chinese": "zho",
    "mandarin": "zho",
    "cantonese": "yue",
    "original": None,
    "unknown": None,
    "any": None,  # Radarr's "Any" language, not the Anyin language (ISO 639-3 "any")
}

# Filipino is the standardised form of Tagalog; releases and Radarr use either name.
_SAME_AS: dict[str, str] = {"fil": "tgl"}

# Codes that exist in ISO 639 but name no language a viewer hears:
# undetermined, multiple, no linguistic content, uncoded.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})

# A code, or a BCP-47 tag whose primary subtag is a code: "en", "ger",
# "en-US", "es-419", "zh-Hant", "pt_BR". Grandfathered "i-..." and private
# "x-..." tags do not match and end up unknown.
_CODE_OR_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")

# "Swahili (macrolanguage)", "Sign languages (Other)": the qualifier in
# parentheses is dropped when the whole name is not found.
_PARENTHESISED_SUFFIX = re.compile(r"\s*\([^()]*\)$")

# The longest value read as a language. A real one is a few words at most ("Portuguese
# (Brazil)", "Swahili (macrolanguage)", "zh-Hant-TW"); a longer one names no language
# (unknown, not an error), and no table lookup or cache entry is made for it.
MAX_LANGUAGE = 100

# Display names for codes whose pycountry name is awkward on a dashboard.
_DISPLAY_NAMES: dict[str, str] = {"ell": "Greek"}


@lru_cache(maxsize=4096)
def canonical(value: str | None) -> str | None:
    """The ISO 639-3 code ``value`` names, or None when it names no known language.

    Accepts ISO 639-1 (``en``), 639-2/T and /B (``deu``, ``ger``), English
    names in any case (``Japanese``), BCP-47 tags (``pt-BR``: the primary
    subtag decides) and the *arr names of ``_ARR_NAMES``.
    """
    if value is None or len(value) > MAX_LANGUAGE:
        return None
    key = " ".join(value.split()).casefold()
    # A name not found is read again without its last parenthesised qualifier, in a
    # loop: never a call per qualifier, however many a value has.
    while key:
        if key in _ARR_NAMES:
            code = _ARR_NAMES[key]
            break
        match = _CODE_OR_TAG.fullmatch(key)
        code = _code_from_code(match.group(1)) if match else _code_from_name(key)
        shorter = "" if match or code else _PARENTHESISED_SUFFIX.sub("", key)
        if code is not None or not shorter or shorter == key:
            break
        key = " ".join(shorter.split())
    else:
        return None
    if code is None or code in _NOT_A_LANGUAGE:
        return None
    return _SAME_AS.get(code, code)


@lru_cache(maxsize=4096)
def macrolanguage(code: str) -> str | None:
    """The ISO 639-3 macrolanguage an individual language belongs to: ``cmn`` -> ``zho``,
    ``nob`` -> ``nor``, ``arb`` -> ``ara``; None for any other code."""
    return _macrolanguages().get(code)


@cache
def _macrolanguages() -> dict[str, str]:
    """Individual language -> its macrolanguage: SIL's macrolanguage mappings as
    python-iso639 carries them (``iso-639-3-macrolanguages.tab``, 460 rows), read alone.
    ``iso639.Language.from_part3(code).macrolanguage`` gives the same answers, but
    importing ``iso639`` loads its four tables (400 KB of text, a quarter of a second on
    a quiet machine, two under load), and every scan asks at least once (its targets'
    labels): a twelfth of an unchanged rescan's time at 400 series + 100 movies
    (bench/RESULTS.md, "The default path"). A retired individual code keeps its
    mapping, as python-iso639 keeps it; the last row of a code wins, as in its table."""
    # Found, not imported: importing the package would load its tables.
    spec = importlib.util.find_spec("iso639")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("python-iso639 is not installed", name="iso639")
    folder = Path(next(iter(spec.submodule_search_locations)))
    table = (folder / "_data" / "iso-639-3-macrolanguages.tab").read_text(encoding="utf-8")
    rows = csv.DictReader(table.splitlines(), delimiter="\t")
    return {row["I_Id"]: row["M_Id"] for row in rows}


def load_tables() -> None:
    """Load the tables ``canonical`` and ``macrolanguage`` read (pycountry's and
    python-iso639's) now, not on first use. A process that forks workers calls it once,
    and each worker starts with the tables loaded."""
    canonical("English")
    macrolanguage("cmn")


def same_language(first: str, second: str) -> bool:
    """Canonical codes naming the same language: equal, or one is the macrolanguage of
    the other. Two individual languages stay apart (Cantonese is not Mandarin)."""
    return first == second or macrolanguage(first) == second or macrolanguage(second) == first


def among(code: str, codes: Iterable[str]) -> bool:
    """Whether ``codes`` holds ``code``, as ``same_language`` compares."""
    return any(same_language(code, other) for other in codes)


def _code_from_code(code: str) -> str | None:
    # qaa-qtz are reserved for local use: they could mean anything.
    if len(code) == 3 and "qaa" <= code <= "qtz":
        return None
    if len(code) == 2:
        language = pycountry.languages.get(alpha_2=code)
    else:
        language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(
            bibliographic=code
        )
    return str(language.alpha_3) if language is not None else None


def _code_from_name(name: str) -> str | None:
    language = pycountry.languages.get(name=name)
    if language is not None:
        return str(language.alpha_3)
    return _macrolanguages_by_short_name().get(name)


@lru_cache(maxsize=1)
def _macrolanguages_by_short_name() -> dict[str, str]:
    """pycountry calls some languages "Swahili (macrolanguage)"; users say "Swahili"."""
    suffix = " (macrolanguage)"
    return {
        language.name[: -len(suffix)].casefold(): language.alpha_3
        for language in pycountry.languages
        if language.name.endswith(suffix)
    }


def validate_languages(
    values: Iterable[object], code_of: Callable[[str], str | None] = canonical
) -> list[str]:
    """Canonical codes of ``values``, duplicates dropped, order kept.

    For settings, checked when they are saved: a value that names no known
    language (``und`` included) raises ConfigError naming that value.
    """
    codes: list[str] = []
    for value in values:
        code = code_of(value) if isinstance(value, str) else None
        if code is None:
            raise UnknownLanguageError(value)
        if code not in codes:
            codes.append(code)
    return codes


def short_code(code: str) -> str:
    """The code tag labels use: ISO 639-1 when the language has one (``deu`` -> ``de``),
    else the ISO 639-3 code."""
    language = pycountry.languages.get(alpha_3=code)
    alpha_2 = getattr(language, "alpha_2", None) if language is not None else None
    return str(alpha_2) if alpha_2 else code


def language_name(code: str) -> str:
    """An English name for display ("eng" -> "English"); the input itself if unknown."""
    canonical_code = canonical(code)
    if canonical_code is None:
        return code
    if canonical_code in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[canonical_code]
    language = pycountry.languages.get(alpha_3=canonical_code)
    if language is None:
        return code
    return str(language.name).removesuffix(" (macrolanguage)")


def language_label(code: str) -> str:
    """A language for people: its name with its code ("jpn" -> "Japanese (jpn)"); a code
    no table knows stays as it is."""
    name = language_name(code)
    return code if name == code else f"{name} ({code})"
