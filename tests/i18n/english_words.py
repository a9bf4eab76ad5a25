"""English of Taggarr's own in a text a person reads in another language: a word (three
letters or more, case ignored) of one of the code's English msgids that no translation
into that language has (ours, or Django's own catalogs as the pages read them). The rule
of the browser walk-through (tests/browser/test_pages_in_german_and_french.py), over the
code's msgids rather than the catalog's, so that a msgid not translated yet counts as
English too; for texts made without a page: the feed, a notifier's messages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.translation import trans_real

from scripts.compile_messages import base_language, whole_catalog
from scripts.messages import DOMAINS, catalog_path, template_catalog
from tests.i18n.test_glossary import glossary_breaks

WORD = re.compile(r"[^\W\d_]{3,}")
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[a-z]|\{\w*\}")


def words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


def _all(texts: Iterable[str]) -> set[str]:
    return set().union(set(), *map(words, texts))


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    ids: list[str] = []
    for domain in DOMAINS:
        for message in template_catalog(domain):
            if message.id:
                ids += message.id if isinstance(message.id, tuple) else [message.id]
    return frozenset(_all(ids))


@lru_cache(maxsize=8)
def _translated(language: str) -> frozenset[str]:
    forms: list[str] = []
    for domain in DOMAINS:
        # The catalog as its .mo holds it: a variety's overrides over its base's entries.
        for message in whole_catalog(catalog_path(catalog_language(language), domain)):
            if message.id and message.string:
                string = message.string
                forms += list(string) if isinstance(string, tuple | list) else [string]
    merged = trans_real.translation(language)._catalog  # Django's and its admin's too
    forms += [str(text) for _, text in merged.items()]
    return frozenset(_all(forms))


def english_words(text: str, language: str, data: Iterable[str] = ()) -> list[str]:
    """The English words of ``text`` read in ``language``; ``data`` (titles, names, file
    names: written as they are in every language) is left out."""
    return sorted((words(text) & _english()) - _translated(language) - _all(data))


# A count of one (or none: French says "0 fichier") before a plural noun, the plural
# ngettext chose by another number (issue 71: "1 fichiers sur 12", "1 épisodes sur 20").
ONE_BEFORE_A_PLURAL = {
    "fr": re.compile(r"(?<![\d,.\u202f\u00a0])[01] (fichiers|épisodes|éléments|pistes|langues)\b"),
}


def catalog_language(language: str) -> str:
    """A page's language code as the catalogs and the glossary name it: pt-br -> pt_BR."""
    head, _, region = language.replace("_", "-").partition("-")
    return f"{head}_{region.upper()}" if region else head


def unwritten_words(text: str, language: str, data: Iterable[str] = ()) -> list[str]:
    """What a reader must not find in ``text`` (issue 61's walk-through, issue 71's for
    Spanish and Brazilian Portuguese): English words of Taggarr's own, words
    locale/glossary.toml forbids in ``language`` (a German "Element", "der Tag", a
    Portuguese "de os"), a French "1 fichiers"; ``data`` left out of all."""
    data = [str(written) for written in data if written]
    prose = text
    for written in sorted(data, key=len, reverse=True):
        prose = prose.replace(written, " ")
    code = catalog_language(language)
    forbidden = glossary_breaks(code, [("", prose)])
    one_before = ONE_BEFORE_A_PLURAL.get(base_language(code) or code)
    if one_before is not None:
        forbidden += [found.group() for found in one_before.finditer(prose)]
    return english_words(text, language, data) + forbidden
