"""One count per plural (issue 84, finding 1): ``ngettext`` picks a plural form by one
number, so a form that carries a second number says it in the first one's grammar
("1 fichier sur 2 ... 1 en manquent", "a 1 les falta"). Each count governs its own
message, or the sentence is rewritten so one number governs it.

The rule, as this test reads a message: a placeholder is a number when

- its conversion is numeric: ``%d``, ``%i``, ``%(name)d``, ``%(name)i`` (the Python code
  formats every count so), or
- it is ``%(name)s`` and ``name`` is one of ``COUNT_NAMES``: a template's
  ``blocktranslate`` renders every variable as ``%(name)s``, and a few views pass a count
  already formatted; their names say they are counts.

A plural entry fails when one of its msgid forms holds two or more numbers, and a
catalog fails when a plural msgstr form holds two or more numbers (a translation that
adds one), or moves the count the English puts before its noun to the end of the
sentence behind a colon, as a log line does ("mudanças de tags escritas: 12"), dodging
the plural the language has (GNU gettext manual, "Additional functions for plural
forms": the count chooses the form of the sentence around it)."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog

from scripts.messages import (
    DOMAINS,
    catalog_languages,
    catalog_path,
    read_catalog,
    template_catalog,
)

NUMERIC = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*([di])")
NAMED_TEXT = re.compile(r"%\((\w+)\)s")
# The names the templates, views and the connection tests' facts (scanner.connect.sentences)
# give counts they pass as text. Not "files" nor "episodes": those are lists of names.
COUNT_NAMES = frozenset(
    {
        "ambiguous",
        "asked",
        "by_folder",
        "by_id",
        "changes",
        "count",
        "counted",
        "counter",
        "done",
        "errors",
        "failed",
        "folders",
        "having",
        "heard",
        "items",
        "kept",
        "known",
        "limit",
        "matched",
        "missing",
        "n",
        "not_written",
        "rest",
        "scanned",
        "searched",
        "total",
        "uncertain",
        "unchanged",
        "undone",
    }
)
# A count standing alone behind a colon at the end: "escritos: %(count)d".
LOG_STYLE = re.compile(r":\s*%\(\w+\)d\W*$")
LEADING_COUNT = re.compile(r"^\W*%\(\w+\)d ")


def numbers(text: str) -> list[str]:
    """The number placeholders of ``text`` by the rule above, in order."""
    found = [name or "%" + kind for name, kind in NUMERIC.findall(text)]
    return found + [name for name in NAMED_TEXT.findall(text) if name in COUNT_NAMES]


def _two_counts(forms: tuple[str, ...]) -> bool:
    return any(len(numbers(form)) >= 2 for form in forms)


def test_the_rule_catches_the_issues_examples() -> None:
    assert _two_counts(
        (
            "%(count)d of %(total)d files has some of the targets (%(targets)s), "
            "%(missing)d miss at least one",
        )
    )
    assert _two_counts(("%(count)d fichier sur %(known)d",))
    assert _two_counts(("%(having)s of %(total)s file with every target",))  # a template's
    assert _two_counts(("%d of %d",))
    assert not _two_counts(("%(count)d file of %(title)s: %(files)s",))
    assert not _two_counts(("%(rate)s items/s",))
    assert _two_counts(("%(instance)s: %(matched)s of %(count)s items matched",))
    assert _two_counts(("NFO files: %(count)s of the %(folders)s item folders looked at",))
    assert LOG_STYLE.search("mudanças de tags escritas: %(count)d")
    assert not LOG_STYLE.search("%(count)d mudanças de tags escritas")


@pytest.fixture(scope="module")
def code() -> dict[str, Catalog]:
    return {domain: template_catalog(domain) for domain in DOMAINS}


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_plural_message_of_the_code_carries_two_counts(
    domain: str, code: dict[str, Catalog]
) -> None:
    offenders = [
        (message.id, [location for location, _ in message.locations])
        for message in code[domain]
        if isinstance(message.id, tuple) and _two_counts(message.id)
    ]
    assert offenders == [], "one count per plural: give each count its own ngettext"


CATALOGS = [(language, domain) for domain in DOMAINS for language in catalog_languages()]


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_no_translation_adds_a_count_to_a_plural(language: str, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    offenders = [
        (message.id, message.string)
        for message in catalog
        if isinstance(message.id, tuple)
        and isinstance(message.string, tuple)
        and _two_counts(message.string)
    ]
    assert offenders == []


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_no_translation_dodges_a_plural_as_a_log_line(language: str, domain: str) -> None:
    catalog = read_catalog(catalog_path(language, domain))
    offenders = [
        (message.id[0], form)
        for message in catalog
        if isinstance(message.id, tuple) and isinstance(message.string, tuple)
        if LEADING_COUNT.match(message.id[0]) and not LOG_STYLE.search(message.id[0])
        for form in message.string
        if LOG_STYLE.search(form)
    ]
    assert offenders == []
