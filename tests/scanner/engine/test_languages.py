"""tagging-rules.md, "Languages": one row of cases per rule."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.engine.languages import (
    MAX_LANGUAGE,
    canonical,
    language_label,
    language_name,
    macrolanguage,
    same_language,
    validate_languages,
)
from scanner.errors import ConfigError

# Rule: 2-letter, 3-letter terminology and bibliographic codes, English names
# and BCP-47 tags with region or script all name one ISO 639-3 code.
ACCEPTED_FORMS = [
    ("en", "eng"),
    ("EN", "eng"),
    ("ja", "jpn"),
    ("eng", "eng"),
    ("deu", "deu"),
    ("ger", "deu"),
    ("fra", "fra"),
    ("fre", "fra"),
    ("zho", "zho"),
    ("chi", "zho"),
    ("dut", "nld"),
    ("gre", "ell"),
    ("Japanese", "jpn"),
    ("japanese", "jpn"),
    ("  German ", "deu"),
    ("en-US", "eng"),
    ("en-GB", "eng"),
    ("pt-BR", "por"),
    ("es-419", "spa"),
    ("zh-Hant", "zho"),
    ("zh-Hans-CN", "zho"),
    ("pt_BR", "por"),
    ("sr-Latn", "srp"),
]

# Rule: the *arr names pycountry does not know map through one explicit table.
ARR_NAMES = [
    ("Greek", "ell"),
    ("Flemish", "nld"),
    ("Portuguese (Brazil)", "por"),
    ("Spanish (Latino)", "spa"),
    ("Chinese", "zho"),
    ("Mandarin", "zho"),
    ("Cantonese", "yue"),
    ("Original", None),
    ("Unknown", None),
]

# Rule: und, mul, zxx, mis, qaa-qtz, empty and unparseable values are unknown.
UNKNOWN_VALUES = [
    "und",
    "mul",
    "zxx",
    "mis",
    "qaa",
    "qfx",
    "qtz",
    "",
    "   ",
    None,
    "xx-foo",
    "xx",
    "Klingonese",
    "i-klingon",
    "x-private",
    "en / fr",
    "Undetermined",
    "Multiple languages",
]


@pytest.mark.parametrize(("value", "expected"), ACCEPTED_FORMS)
def test_accepted_forms_name_one_canonical_code(value: str, expected: str) -> None:
    assert canonical(value) == expected


@pytest.mark.parametrize(("value", "expected"), ARR_NAMES)
def test_arr_names_map_through_the_table(value: str, expected: str | None) -> None:
    assert canonical(value) == expected


@pytest.mark.parametrize("value", UNKNOWN_VALUES)
def test_placeholders_and_unparseable_values_are_unknown(value: str | None) -> None:
    assert canonical(value) is None


def test_qaa_to_qtz_is_unknown_but_its_neighbours_are_languages() -> None:
    # The reserved range is cut out exactly: qua (Quapaw) is a real language.
    assert canonical("qua") == "qua"
    assert canonical("qtz") is None


@given(st.text(max_size=20))
def test_canonical_never_raises_and_returns_a_known_code(value: str) -> None:
    code = canonical(value)
    assert code is None or (len(code) == 3 and canonical(code) == code)


def test_canonical_is_cached() -> None:
    canonical.cache_clear()
    canonical("en-US")
    canonical("en-US")
    assert canonical.cache_info().hits >= 1


# Rule: unknown codes in config are a config error, reported when saved.
def test_validate_languages_returns_canonical_codes_deduplicated_in_order() -> None:
    assert validate_languages(["ger", "en", "English", "en-US", "ja", "deu"]) == [
        "deu",
        "eng",
        "jpn",
    ]


@pytest.mark.parametrize("bad", ["xx-foo", "und", "", "Original"])
def test_validate_languages_names_the_bad_value(bad: str) -> None:
    with pytest.raises(ConfigError, match=rf"unknown language {bad!r}"):
        validate_languages(["en", bad])


def test_validate_languages_accepts_nothing() -> None:
    assert validate_languages([]) == []


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("eng", "English"),
        ("en", "English"),
        ("ell", "Greek"),
        ("swa", "Swahili"),
        ("yue", "Yue Chinese"),
    ],
)
def test_language_name_for_display(code: str, name: str) -> None:
    assert language_name(code) == name


def test_language_name_of_an_unknown_code_is_the_code() -> None:
    assert language_name("xx-foo") == "xx-foo"


def test_language_label_is_the_name_with_the_code() -> None:
    assert language_label("jpn") == "Japanese (jpn)"
    assert language_label("xx-foo") == "xx-foo"


# Rule: every originalLanguage name Sonarr v4 and Radarr v5/v6 can send names one
# language, or none ("Unknown", "Original", "Any"). The names, as their
# src/NzbDrone.Core/Languages/Language.cs define them (Sonarr main, Radarr v5.9.1
# and v6.0.3).
SONARR_V4_NAMES = [
    "Unknown",
    "English",
    "French",
    "Spanish",
    "German",
    "Italian",
    "Danish",
    "Dutch",
    "Japanese",
    "Icelandic",
    "Chinese",
    "Russian",
    "Polish",
    "Vietnamese",
    "Swedish",
    "Norwegian",
    "Finnish",
    "Turkish",
    "Portuguese",
    "Flemish",
    "Greek",
    "Korean",
    "Hungarian",
    "Hebrew",
    "Lithuanian",
    "Czech",
    "Arabic",
    "Hindi",
    "Bulgarian",
    "Malayalam",
    "Ukrainian",
    "Slovak",
    "Thai",
    "Romanian",
    "Latvian",
    "Persian",
    "Catalan",
    "Croatian",
    "Serbian",
    "Bosnian",
    "Estonian",
    "Tamil",
    "Indonesian",
    "Macedonian",
    "Slovenian",
    "Azerbaijani",
    "Uzbek",
    "Malay",
    "Urdu",
    "Romansh",
    "Georgian",
    "Original",
    "Portuguese (Brazil)",
    "Spanish (Latino)",
]
RADARR_NAMES = [
    "Unknown",
    "English",
    "French",
    "Spanish",
    "German",
    "Italian",
    "Danish",
    "Dutch",
    "Japanese",
    "Icelandic",
    "Chinese",
    "Russian",
    "Polish",
    "Vietnamese",
    "Swedish",
    "Norwegian",
    "Finnish",
    "Turkish",
    "Portuguese",
    "Flemish",
    "Greek",
    "Korean",
    "Hungarian",
    "Hebrew",
    "Lithuanian",
    "Czech",
    "Hindi",
    "Romanian",
    "Thai",
    "Bulgarian",
    "Arabic",
    "Ukrainian",
    "Persian",
    "Bengali",
    "Slovak",
    "Latvian",
    "Catalan",
    "Croatian",
    "Serbian",
    "Bosnian",
    "Estonian",
    "Tamil",
    "Indonesian",
    "Telugu",
    "Macedonian",
    "Slovenian",
    "Malayalam",
    "Kannada",
    "Albanian",
    "Afrikaans",
    "Marathi",
    "Tagalog",
    "Urdu",
    "Romansh",
    "Mongolian",
    "Georgian",
    "Any",
    "Original",
    "Portuguese (Brazil)",
    "Spanish (Latino)",
]
NO_LANGUAGE = {"Unknown", "Original", "Any"}


@pytest.mark.parametrize("name", sorted(set(SONARR_V4_NAMES) | set(RADARR_NAMES)))
def test_every_arr_language_name_maps(name: str) -> None:
    code = canonical(name)
    if name in NO_LANGUAGE:
        assert code is None
    else:
        assert code is not None and len(code) == 3
        assert language_name(code)  # and it can be shown


def test_any_is_not_the_anyin_language() -> None:
    assert canonical("Any") is None
    assert canonical("any") is None  # Anyin's ISO 639-3 code is taken as Radarr's "Any"


# Rule: an individual language and its macrolanguage are the same language; two
# individual languages are not; Filipino counts as Tagalog.
@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("cmn", "zho", True),
        ("yue", "zho", True),
        ("zho", "cmn", True),
        ("cmn", "yue", False),
        ("nob", "nor", True),
        ("nno", "nor", True),
        ("nob", "nno", False),
        ("arb", "ara", True),
        ("pes", "fas", True),
        ("zsm", "msa", True),
        ("ekk", "est", True),
        ("lvs", "lav", True),
        ("swh", "swa", True),
        ("eng", "eng", True),
        ("eng", "deu", False),
        ("jpn", "zho", False),
    ],
)
def test_same_language(first: str, second: str, same: bool) -> None:
    assert same_language(first, second) is same
    assert same_language(second, first) is same


def test_macrolanguage_answers_as_python_iso639_does_for_every_code() -> None:
    # macrolanguage reads python-iso639's macrolanguage table alone (not its four
    # tables): the same answer for every code it knows, retired ones included, and for
    # codes it does not know.
    import iso639
    from iso639._data import _PART3_TO_CODES, _PART3_TO_MACROLANGUAGES, _PART3_TO_RETIREMENTS

    def through_iso639(code: str) -> str | None:
        try:
            return iso639.Language.from_part3(code).macrolanguage or None
        except iso639.LanguageNotFoundError:
            return None

    codes = {*_PART3_TO_CODES, *_PART3_TO_RETIREMENTS, *_PART3_TO_MACROLANGUAGES}
    assert len(codes) > 8000
    for code in sorted(codes | {"", "xx", "CMN", "zz-zz"}):
        assert macrolanguage(code) == through_iso639(code), code
    assert macrolanguage("cmn") == "zho"


def test_macrolanguage_leaves_python_iso639_unimported() -> None:
    # Importing it loads its four tables: seconds of a scan on a busy machine.
    code = (
        "import sys; from scanner.engine.languages import macrolanguage; "
        "assert macrolanguage('cmn') == 'zho'; "
        "print(sorted(m for m in sys.modules if 'iso639' in m))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.strip() == "[]"


def test_filipino_counts_as_tagalog() -> None:
    assert canonical("fil") == canonical("Tagalog") == canonical("tl") == "tgl"
    assert canonical("Filipino") == "tgl"


def test_chinese_and_norwegian_arr_names_meet_their_individual_languages() -> None:
    assert same_language(canonical("Chinese") or "", canonical("cmn") or "")
    assert same_language(canonical("Chinese") or "", canonical("yue") or "")
    assert same_language(canonical("Norwegian") or "", canonical("nob") or "")


@pytest.mark.parametrize("suffixes", [2, 1500])
def test_a_value_with_many_parenthesised_qualifiers_never_recurses(suffixes: int) -> None:
    """Each qualifier was a call of its own: 1,500 of them raised RecursionError. A value
    this long is unknown; a short one is read without its qualifiers, as before."""
    expected = "eng" if suffixes == 2 else None
    assert canonical("English" + " (x)" * suffixes) == expected


def test_a_value_longer_than_any_language_is_unknown() -> None:
    name = "Portuguese (Brazil)"
    assert canonical(name + " " * (MAX_LANGUAGE - len(name))) == "por"
    assert canonical(name + " " * (MAX_LANGUAGE - len(name) + 1)) is None
    assert canonical("e" * 10_000) is None
