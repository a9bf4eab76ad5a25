"""Brazilian Portuguese quotes with curly marks, “…”, one way throughout (issue 96: a
native read found "…" and “…” side by side). A straight double quote stays only where it
is code: in HTML markup, in a JSON example ({"fra": "fr-CA"}, [{"remote": …}]), or
around a value the msgid quotes too ('remote', "original", '..'), which the reader types
as it is."""

from __future__ import annotations

import re

from scripts.messages import DOMAINS, catalog_path, read_catalog

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


def _entries() -> list[tuple[str, str]]:
    entries = []
    for domain in DOMAINS:
        for message in read_catalog(catalog_path("pt_BR", domain)):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            forms = (
                message.string if isinstance(message.string, tuple | list) else (message.string,)
            )
            entries += [(" ".join(ids), form) for form in forms if form]
    return entries


def test_brazilian_portuguese_quotes_with_curly_marks() -> None:
    broken = {
        msgstr: found for msgid, msgstr in _entries() if (found := straight_quotes(msgid, msgstr))
    }
    assert broken == {}


def test_the_quote_check_tells_prose_from_code() -> None:
    assert straight_quotes("Turn on 'Analyse video files'", 'Ative "Analisar arquivos"') != []
    assert straight_quotes("e.g. 'Home Assistant'", 'p. ex. "Home Assistant"') != []
    assert straight_quotes("Turn on 'Analyse video files'", "Ative “Analisar arquivos”") == []
    assert straight_quotes("must have 'remote'", 'deve ter "remote"') == []
    assert straight_quotes('a map like {"fra": "fr-CA"}', 'um objeto como {"fra": "fr-CA"}') == []
    assert straight_quotes("a link", '<a href="%(url)s">o link</a>') == []
