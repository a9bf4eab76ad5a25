"""A run's figures in the reader's language (issue 61): rates with the locale's decimal
separator, the reasons an item was not handled as sentences of the catalog (the
summary keeps the pipeline's English reason as a key)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import ngettext

from scanner.reports.apply_steps import rate_number
from scanner.reports.progress import not_listed_text


def test_a_rate_is_written_as_the_language_writes_numbers() -> None:
    with translation.override("de"):
        assert (rate_number(0.94), rate_number(126.7)) == ("0,9", "127")
    with translation.override("fr"):
        assert rate_number(2.25) == "2,2"
    with translation.override("en"):
        assert rate_number(2.25) == "2.2"


def test_the_reasons_an_item_was_not_handled_are_sentences() -> None:
    reasons = {"genre filter": 3, "outside the root folders": 1, "later reason": 2, "x": "y"}
    with translation.override("de"):
        text = not_listed_text(reasons)
        genre = ngettext(
            "%(count)d item left out by the genre filter",
            "%(count)d items left out by the genre filter",
            3,
        ) % {"count": 3}
        roots = ngettext(
            "%(count)d item outside the root folders",
            "%(count)d items outside the root folders",
            1,
        ) % {"count": 1}
    assert text == f"{genre}, {roots}, later reason: 2"
    assert "genre filter: 3" not in text
