"""The dry run's sentences (scanner.household.dry_run_sentences) as a person reads
them: translated, the count as its noun's number, every placeholder filled."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.engine.track_choice import ChoiceOutcome, Doubt
from scanner.household.dry_run_sentences import doubt_sentence, outcome_sentence


@pytest.mark.parametrize(
    ("ui", "kind", "outcome", "count", "language", "expected"),
    [
        ("fr", "series", ChoiceOutcome.VARIETY, 214, "fr-CA",
         "214 épisodes seront lus en français canadien."),
        ("fr", "series", ChoiceOutcome.OTHER_VARIETY, 1, "fr-FR",
         "1 épisode n'existe qu'en français (France)."),
        ("fr", "movie", ChoiceOutcome.ORIGINAL_NO_SUBTITLE, 3, "jpn",
         "3 films seront lus en version originale, en japonais, sans sous-titres que "
         "puisse lire Léa."),
        ("fr", "series", ChoiceOutcome.FALLBACK, 2, "jpn",
         "2 épisodes n'ont rien de ce que demande Léa\u00a0: ils seront lus en japonais."),
        ("de", "series", ChoiceOutcome.VARIETY, 214, "fr-CA",
         "214 Folgen werden auf Französisch (Kanada) abgespielt."),
        ("de", "movie", ChoiceOutcome.UNCERTAIN, 1, None,
         "1 Film ist nicht eindeutig: Für ihn wird nichts gewählt."),
        ("de", "series", ChoiceOutcome.NONE, 1500, None,
         "1.500 Folgen haben keine Tonspur, die Léa versteht, und kein bekanntes Original: "
         "Es wird nichts gewählt."),
    ],
)  # fmt: skip
def test_outcome_sentences(
    ui: str, kind: str, outcome: ChoiceOutcome, count: int, language: str | None, expected: str
) -> None:
    with translation.override(ui):
        assert outcome_sentence(kind, outcome, count, language, "Léa") == expected


@pytest.mark.parametrize("ui", ["de", "es", "fr", "it", "nl", "pl", "pt-br"])
def test_every_sentence_is_translated_and_filled(ui: str) -> None:
    with translation.override("en"):
        english = {
            outcome_sentence(kind, outcome, 2, "fr-CA", "Léa")
            for kind in ("series", "movie")
            for outcome in ChoiceOutcome
        } | {doubt_sentence(doubt, "fr-CA") for doubt in Doubt}
    with translation.override(ui):
        said = [
            outcome_sentence(kind, outcome, count, "fr-CA", "Léa")
            for kind in ("series", "movie")
            for outcome in ChoiceOutcome
            for count in (1, 2, 5, 22)
        ] + [doubt_sentence(doubt, "fr-CA") for doubt in Doubt]
    for text in said:
        assert text not in english and "%(" not in text
    assert len(said) == 68
