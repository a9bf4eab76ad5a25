"""Languages named in the reader's language (scanner.language_names): CLDR's everyday
names through Babel, ISO 639-3's as pycountry translates it, or the engine's English
name, where CLDR has none; a variety by CLDR's name or its localeDisplayPattern."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.engine.target_aliases import typed_target
from scanner.language_names import language_list, language_name


@pytest.mark.parametrize(
    ("ui", "code", "name"),
    [
        ("de", "deu", "Deutsch"),
        ("de", "fra", "Französisch"),
        ("de", "ja", "Japanisch"),
        ("de", "ell", "Griechisch"),  # not ISO 639's "Neugriechisch (ab 1453)"
        ("fr", "jpn", "japonais"),
        ("fr", "ger", "allemand"),  # ISO 639-2/B
        ("fr", "por", "portugais"),
        ("pt-br", "spa", "espanhol"),
        ("pl", "nld", "niderlandzki"),
        ("en", "jpn", "Japanese"),
    ],
)
def test_a_language_in_the_readers_language(ui: str, code: str, name: str) -> None:
    assert language_name(code, ui) == name
    with translation.override(ui):
        assert language_name(code) == name  # the active language by default


def test_what_cldr_does_not_name_keeps_its_english_name_and_junk_stays_as_it_is() -> None:
    assert language_name("aaa", "de") == "Ghotuo"
    assert language_name("zzz", "de") == "zzz"


def test_several_in_alphabetical_order_of_their_names() -> None:
    assert language_list(["jpn", "deu", "deu"], "fr") == "allemand et japonais"


@pytest.mark.parametrize(
    ("ui", "code", "name"),
    [
        # CLDR's own names for these locales (Babel: Locale("fr").languages["fr_CA"])
        ("fr", "fr-CA", "français canadien"),
        ("fr", "pt-BR", "portugais brésilien"),
        # ... but as its speakers name it where CLDR's is not theirs (issue 71)
        ("es", "es-419", "español latino"),
        ("es", "fr-CA", "francés canadiense"),
        ("en", "es-419", "Latin American Spanish"),
        ("fr", "zh-Hant", "chinois traditionnel"),
        # None in CLDR's German or Brazilian Portuguese: language and territory as
        # its localeDisplayPattern "{0} ({1})" joins them
        ("de", "fr-CA", "Französisch (Kanada)"),
        ("de", "es-419", "Spanisch (Lateinamerika)"),
        ("de", "fra-ca", "Französisch (Kanada)"),  # any form engine.varieties reads
        ("pt-br", "pt-BR", "português (Brasil)"),
        ("pt-br", "es-419", "espanhol (América Latina)"),
        # Individual languages of Chinese: CLDR names Cantonese; Mandarin only ISO 639-3
        ("de", "yue", "Kantonesisch"),
        ("de", "zh-yue", "Kantonesisch"),
        ("fr", "yue", "cantonais"),
        ("de", "cmn", "Mandarin-Chinesisch"),  # pycountry's German ISO 639-3 catalog
        ("en", "cmn", "Mandarin Chinese"),
        # A plain language stays itself
        ("de", "fr", "Französisch"),
    ],
)
def test_a_variety_in_the_readers_language(ui: str, code: str, name: str) -> None:
    assert language_name(code, ui) == name


def test_a_variety_named_by_its_speakers_is_read_back_by_both_names() -> None:
    """es-419 is "español latino" to a Spanish reader (the picker and the catalogs say
    it alike); CLDR's "español latinoamericano" typed by hand still means it."""
    assert typed_target("español latino", "es") == "es-419"
    assert typed_target("Español latinoamericano", "es") == "es-419"
    assert language_name("es-419", "fr") == "espagnol d\u2019Amérique latine"
