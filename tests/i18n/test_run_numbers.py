"""A run's number is written one way in each language (issue 96: Spanish read "#3" beside
"n.º 3"): in every msgstr whose msgid says "#%(...)", the number's mark is the same one
("#", or the language's own abbreviation of "number": "n.º", "nº", "Nr.")."""

from __future__ import annotations

import re

import pytest

from scripts.messages import DOMAINS, catalog_languages, catalog_path, read_catalog

NUMBERED = re.compile(r"#%\(\w+\)")
# The mark just before a number's placeholder in a translation.
MARK = re.compile(r"(#|n\.\s?º|nº|n°|Nr\.|nr)\s?(?=%\(\w+\))", re.IGNORECASE)


def _marks(language: str) -> dict[str, list[str]]:
    marks: dict[str, list[str]] = {}
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):
            ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
            if not message.id or not any(NUMBERED.search(str(each)) for each in ids):
                continue
            strings = (
                message.string if isinstance(message.string, list | tuple) else (message.string,)
            )
            for string in strings:
                for mark in MARK.findall(str(string)):
                    marks.setdefault(re.sub(r"\s", "", mark.lower()), []).append(str(ids[0]))
    return marks


@pytest.mark.parametrize("language", catalog_languages())
def test_a_runs_number_is_marked_one_way(language: str) -> None:
    marks = _marks(language)
    assert len(marks) <= 1, {mark: found[:3] for mark, found in marks.items()}


def test_the_check_sees_two_ways() -> None:
    """Spanish as it was: "(#%(number)s)" in one sentence, "n.º %(number)s" in the others."""
    found = MARK.findall("En el último escaneo (#%(number)s) y el escaneo n.º %(number)s")
    assert {re.sub(r"\s", "", mark.lower()) for mark in found} == {"#", "n.º"}
