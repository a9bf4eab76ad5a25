"""Languages named in the reader's language (scanner.language_names): CLDR's everyday
names through Babel, the engine's English name where CLDR has none."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.language_names import language_name, language_names


@pytest.mark.parametrize(
    ("ui", "code", "name"),
    [
        ("de", "deu", "Deutsch"),
        ("de", "fra", "Französisch"),
        ("de", "ja", "Japanisch"),
        ("de", "ell", "Griechisch"),  # not ISO 639's "Neugriechisch (ab 1453)"
        ("fr", "jpn", "japonais"),
        ("fr", "ger", "allemand"),  # ISO 639-2/B
        ("fr", "pt-BR", "portugais"),
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
    assert language_names(["jpn", "deu", "deu"], "fr") == "allemand, japonais"
