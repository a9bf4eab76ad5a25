"""Each catalog quotes with its language's marks, one way throughout (issue 96: a native
read found "…" and “…” side by side in pt-BR, and Dutch mixed four kinds). A straight
double quote stays only where it is code: in HTML markup, in a JSON example
({"fra": "fr-CA"}, [{"remote": …}]), or around a value the msgid quotes too ('remote',
"original", '..'), which the reader types as it is.

The marks, as each language's references set them: German „…“ (Duden, "Anführungszeichen"),
French « … » (Lexique des règles typographiques en usage à l'Imprimerie nationale; the
OQLF's Banque de dépannage linguistique for Quebec), Spanish «…» (RAE, Ortografía de la
lengua española, 2010: the angular marks first), Brazilian Portuguese “…” (the usage of
Brazil's publishers and of Sonarr's pt_BR catalog), Italian «…» (Treccani, "virgolette":
the caporali), Dutch ‘…’ (Onze Taal, "aanhalingstekens": single marks for a name or a
quoted term), Polish „…” (Wydawnictwo Naukowe PWN, "cudzysłów"). An apostrophe is no
quote mark and is not checked."""

from __future__ import annotations

import re

import pytest

from scripts.messages import DOMAINS, catalog_languages, catalog_path, read_catalog

MARKS = {
    "de": "„“",
    "fr": "«»",
    "fr_CA": "«»",
    "es": "«»",
    "es_419": "«»",
    "pt_BR": "“”",
    "it": "«»",
    "nl": "‘’",
    "pl": "„”",
}
CURLY = "„“”«»‘‚‹›"  # "’" is also the apostrophe: a stray one is seen by its opening mark
CODE = re.compile(r'<[^>]+>|\{[^{}]*\}|\[[^\]]*"[^\]]*\]')
STRAIGHT = re.compile(r'"([^"]*)"?')
VALUE = re.compile(r"[\w.*/-]+")


def straight_quotes(msgid: str, msgstr: str) -> list[str]:
    """The straight double quotes of a translation that are prose, not code."""
    code = [m.span() for m in CODE.finditer(msgstr)]
    found = []
    for m in STRAIGHT.finditer(msgstr):
        if any(start <= m.start() < end for start, end in code):
            continue
        value = m.group(1)
        if VALUE.fullmatch(value) and (f'"{value}"' in msgid or f"'{value}'" in msgid):
            continue
        found.append(m.group())
    return found


def other_marks(language: str, msgstr: str) -> set[str]:
    """The curly marks of a translation that are not its language's."""
    return {mark for mark in msgstr if mark in CURLY and mark not in MARKS[language]}


def _entries(language: str) -> list[tuple[str, str]]:
    entries = []
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            forms = (
                message.string if isinstance(message.string, tuple | list) else (message.string,)
            )
            entries += [(" ".join(ids), form) for form in forms if form]
    return entries


def test_every_catalog_has_its_marks() -> None:
    assert sorted(MARKS) == sorted(catalog_languages())


@pytest.mark.parametrize("language", sorted(MARKS))
def test_a_catalog_quotes_with_its_languages_marks_only(language: str) -> None:
    broken = {}
    for msgid, msgstr in _entries(language):
        found = sorted(other_marks(language, msgstr)) + straight_quotes(msgid, msgstr)
        if found:
            broken[msgstr] = found
    assert broken == {}


def test_the_quote_check_tells_prose_from_code() -> None:
    assert straight_quotes("Turn on 'Analyse video files'", 'Ative "Analisar arquivos"') != []
    assert straight_quotes("e.g. 'Home Assistant'", 'p. ex. "Home Assistant"') != []
    assert straight_quotes("Turn on 'Analyse video files'", "Ative “Analisar arquivos”") == []
    assert straight_quotes("must have 'remote'", 'deve ter "remote"') == []
    assert straight_quotes('a map like {"fra": "fr-CA"}', 'um objeto como {"fra": "fr-CA"}') == []
    assert straight_quotes("a link", '<a href="%(url)s">o link</a>') == []
    assert other_marks("nl", "onbekende taal “%(value)s”") == {"“", "”"}
    assert other_marks("nl", "de actie ‘Toepassen’, zo’n keer") == set()
    assert other_marks("de", "die Aktion „Anwenden“") == set()
    assert other_marks("pl", "akcja „Zastosuj“") == {"“"}
