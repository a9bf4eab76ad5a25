"""The one language reader (scanner.engine.target_aliases over engine.language_words,
issue 79, finding 5): what the forms and the pickers call a language, in each language
Taggarr speaks, is read back as that language; a whole name is read before the letters
of a code it starts with; a code stays a code."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from scanner.engine.language_words import own_names
from scanner.engine.languages import canonical
from scanner.engine.target_aliases import nearest, read_language, typed_target
from scanner.engine.targets import target_code
from scanner.engine.varieties import known_varieties
from scanner.language_names import language_name

# Languages a household dubs into, and every variety Taggarr knows.
COMMON = ("de", "fr", "es", "it", "nl", "pl", "pt", "en", "ja", "ko", "zh", "ru", "ar",
          "hi", "sv", "da", "fi", "nb", "tr", "el", "he", "uk", "cs", "hu", "th", "cmn",
          "yue")  # fmt: skip


@pytest.mark.parametrize("ui", [code for code, _name in settings.LANGUAGES])
def test_every_name_the_pickers_show_is_read_back(ui: str) -> None:
    """language_name names a target for the forms; the reader takes that name back (the
    pickers' names are what people copy into the API)."""
    locale = translation.to_locale(ui)
    for code in [*map(target_code, COMMON), *known_varieties()]:
        assert code is not None
        name = language_name(code, ui)
        assert typed_target(name, locale) == code, (ui, code, name)
        assert read_language(name, locale) == canonical(code), (ui, code, name)


@pytest.mark.parametrize(
    ("typed", "locale", "code"),
    [
        ("bas-allemand", "fr", "nds"),  # Low German, not the Basa language (bas)
        ("mongol", "fr", "mon"),  # Mongolian, not ISO 639's Mongol of Papua New Guinea
        ("Mandarin-Chinesisch", "de", "cmn"),  # pycountry's German name (CLDR has none)
        ("Vlaams", "nl", "nl-BE"),  # CLDR's Dutch name of Belgian Dutch
        ("日本語", "pl", "jpn"),  # its own name, to any reader
        ("Nederlands", "pt_BR", "nld"),
        ("ga", "fr", "gle"),  # a code stays a code: Irish (Ga, French "ga", is gaa)
        ("jju", "fr", "kaj"),  # letters that are no code are a name: Jju
        ("Luo (Kenia y Tanzania)", "es", "luo"),  # ISO's whole name, parentheses and all
    ],
)
def test_a_whole_name_before_a_codes_letters(typed: str, locale: str, code: str) -> None:
    assert typed_target(typed, locale) == code


def test_a_language_field_reads_a_varietys_word_as_its_language_and_lat_as_latin() -> None:
    assert read_language("VFQ", "de") == "fra" and read_language("Latino", "fr") == "spa"
    assert read_language("lat") == "lat"  # a code first: a language field's Latin
    assert typed_target("lat") == "es-419"  # a target is Latino (nobody dubs into Latin)
    assert read_language("French (Atlantis)") == "fra"  # as canonical always read it


def test_a_misspelt_name_offers_the_readers_name() -> None:
    """In German, "Deutsh" is near the English "Dutch": offered as German names it."""
    assert nearest("Deutsh", "de")[:2] == [("Deutsch", "deu"), ("Niederländisch", "nld")]
    assert nearest("Deutch", "en")[0] == ("German", "deu")


def test_codes_tags_and_english_names_never_read_every_locales_file() -> None:
    """The languages' own names are read from each of Babel's 300 locale files, once per
    process, and only when a value is none of the usual forms (a form's stored targets
    are read on every page)."""
    own_names.cache_clear()
    for typed in ("de", "deu", "fr-CA", "es-419", "zh-Hant", "pt_BR", "VFQ", "Japanese",
                  "Spanish (Latino)", "Französisch"):  # fmt: skip
        assert typed_target(typed, "de") is not None
    assert own_names.cache_info().currsize == 0
    assert typed_target("Nederlands", "de") == "nld"
    assert own_names.cache_info().currsize == 1
