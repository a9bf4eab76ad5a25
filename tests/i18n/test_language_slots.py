"""A language's name in a sentence (issue 84, part 2): never two levels of brackets, and
never an article French would elide or contract.

CLDR names a variety it has no word for by its language and region in brackets
("Französisch (Kanada)", "francês (Canadá)"); a note beside it joins that bracket
("Französisch (Kanada, VFQ)"), and in brackets it is named without brackets of its own
("kanadisches Französisch"): scanner.language_names, ``noted`` and ``inner_name``. So
every name of every variety Taggarr knows is rendered here in every UI language, through
the functions the pages call, and a translation may not put a language in brackets
where the English does not (the code chose the bracket-free name by the English).

French puts an article before a language ("le français canadien", "de l'espagnol"),
which a slot cannot carry: "est du %(variety)s" read "est du espagnol". A French
translation stands the name alone ("Langue : …", "en %(language)s"), so no article or
"de", "du", "que" comes right before a language's slot."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from scanner.engine.target_aliases import typed_target
from scanner.engine.varieties import known_varieties
from scanner.language_names import (
    inner_name,
    language_label,
    language_list,
    language_name,
    language_names,
    noted,
)
from scanner.reports.verdict_text import reason_sentence
from scanner.validators.languages import clean_targets
from scanner.wish_profiles.words import target_label
from scripts.messages import DOMAINS, catalog_languages, catalog_path, read_catalog
from web.admin.default_tracks import track_text

UI_LANGUAGES = [code for code, _ in settings.LANGUAGES]
# Slots that hold a language's or a variety's name (the sentences' own names for them).
LANGUAGE_SLOT = re.compile(
    r"%\((language|languages|variety|varieties|original|target|targets|others|current)\)s"
)
OPENING, CLOSING = "(\N{FULLWIDTH LEFT PARENTHESIS}", ")\N{FULLWIDTH RIGHT PARENTHESIS}"


def depth(text: str) -> int:
    """How deep brackets nest in ``text``: 0 without any, 1 for "a (b) (c)"."""
    level = deepest = 0
    for char in text:
        if char in OPENING:
            level += 1
            deepest = max(deepest, level)
        elif char in CLOSING:
            level -= 1
    return deepest


def test_depth_counts_nesting_not_brackets() -> None:
    assert (depth("Französisch"), depth("a (b) (c)"), depth("(francês (Canadá))")) == (0, 1, 2)


@pytest.mark.parametrize("ui", UI_LANGUAGES)
def test_every_known_variety_is_named_with_one_bracket_level(ui: str) -> None:
    for variety in [*known_varieties(), "es-MX", "zh-Hant-TW"]:
        name = language_name(variety, ui)
        assert depth(name) <= 1, (ui, variety, name)
        inner = inner_name(variety, ui)
        assert depth(inner) == 0, (ui, variety, inner)
        if variety in known_varieties():  # a name a page shows is one a person may type
            assert typed_target(inner, translation.to_locale(ui)) == variety, (ui, inner)
        label = language_label(variety, ui)
        assert depth(label) == 1 and label.count("(") == 1, (ui, variety, label)
        assert variety in label
        for listed in (language_names([variety, "de"], ui), language_list([variety, "ja"], ui)):
            assert depth(f"({listed})") == 1, (ui, variety, listed)
        with translation.override(ui):
            shown = target_label(variety)
            assert depth(shown) <= 1 and shown.count("(") <= 1, (ui, variety, shown)
            assert depth(track_text(2, variety, subtitle=False)) == 1


@pytest.mark.parametrize("ui", UI_LANGUAGES)
def test_a_verdict_lists_varieties_in_one_bracket(ui: str) -> None:
    row = {"path": "S01E01.mkv", "missing": True}
    for head in ("none", "semi-dub"):
        reasons = {
            "summary": f"{head}: -",
            "targets": ["fr-CA", "fr-FR", "es-419", "pt-BR"],
            "seasons": [{"files": [row]}],
        }
        with translation.override(ui):
            sentence = reason_sentence(reasons)
        assert depth(sentence) == 1, (ui, sentence)


@pytest.mark.parametrize("ui", UI_LANGUAGES)
def test_a_suggested_variety_keeps_one_bracket_level(ui: str) -> None:
    """ "VFQ (français canadien, fr-CA)": the name inside the suggestion's bracket is
    bracket-free in every language ("VFQ (kanadisches Französisch, fr-CA)")."""
    with translation.override(ui), pytest.raises(ValidationError) as refused:
        clean_targets(["VFQQ"])
    text = " ".join(refused.value.messages)
    assert "fr-CA" in text and depth(text) == 1, (ui, text)


def test_a_note_joins_the_names_own_bracket() -> None:
    assert noted("Französisch (Kanada)", "VFQ") == "Französisch (Kanada, VFQ)"
    assert noted("français canadien", "VFQ") == "français canadien (VFQ)"


def _entries(language: str) -> Iterator[tuple[str, str]]:
    """(msgid, translation) of every form of every entry of ``language``'s catalogs."""
    for domain in DOMAINS:
        for message in read_catalog(catalog_path(language, domain)):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for index, form in enumerate(forms):
                if form:
                    yield ids[min(index, len(ids) - 1)], form


def _bracketed_slots(text: str) -> set[str]:
    """The language slots ``text`` puts inside brackets."""
    return {
        match.group(0) for match in LANGUAGE_SLOT.finditer(text) if _inside(text, match.start())
    }


def _inside(text: str, position: int) -> bool:
    level = 0
    for char in text[:position]:
        level += (char in OPENING) - (char in CLOSING)
    return level > 0


@pytest.mark.parametrize("language", catalog_languages())
def test_no_translation_puts_a_language_in_brackets_the_english_does_not(language: str) -> None:
    added = [
        (msgid, form)
        for msgid, form in _entries(language)
        if _bracketed_slots(form) - _bracketed_slots(msgid)
    ]
    assert not added, added


# An article, "de" or "que" right before a language: French elides or contracts them
# with the name ("de l'espagnol", "qu'allemand"), which a slot cannot do.
FRENCH_BEFORE_NAME = re.compile(
    r"(?<![\w'\u2019])(?:du|de|des|le|la|les|au|aux|que)\s+" + LANGUAGE_SLOT.pattern,
    re.IGNORECASE,
)


def test_french_puts_no_article_before_a_language() -> None:
    found = [(msgid, form) for msgid, form in _entries("fr") if FRENCH_BEFORE_NAME.search(form)]
    assert not found, found


def test_the_french_rule_finds_what_native_readers_found() -> None:
    for wrong in ("est du %(variety)s", "le %(language)s de variante inconnue", "que %(current)s"):
        assert FRENCH_BEFORE_NAME.search(wrong), wrong
    for right in ("en %(language)s", "%(variety)s", "Langue\u00a0: %(language)s", "de %(name)s"):
        assert not FRENCH_BEFORE_NAME.search(right), right
