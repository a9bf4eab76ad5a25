"""Every reason the Plex step counts an uncertain file by has its sentence
(scanner.household.track_reasons): the choice's (engine.track_choice.Doubt, and
the outcome "uncertain" it falls back to), the step's own (plex_parts.EXTERNAL_AUDIO: an
audio file beside the video chosen), the match's (stream_match.MatchDoubt) and
plex.tv's refusals (plex_people.TokenRefusal)."""

from __future__ import annotations

from typing import get_args

import pytest
from django.utils import translation

from scanner.engine.track_choice import ChoiceOutcome, Doubt
from scanner.household.plex_parts import EXTERNAL_AUDIO
from scanner.household.stream_match import MatchDoubt
from scanner.household.track_reasons import (
    OTHER,
    REASONS,
    TOKEN_ADVICE,
    reason_sentences,
    token_sentence,
)
from scanner.media_servers.clients.plex_people import TokenRefusal

# The choice's doubts, its outcome, the Plex step's own (an external audio file chosen),
# the match's.
CODES = [
    *(d.value for d in Doubt),
    ChoiceOutcome.UNCERTAIN.value,
    EXTERNAL_AUDIO,
    *get_args(MatchDoubt),
]


def test_every_code_has_its_sentence() -> None:
    assert set(CODES) == set(REASONS)
    assert set(get_args(TokenRefusal)) == set(TOKEN_ADVICE)


@pytest.mark.parametrize("language", ["de", "es", "fr", "it", "nl", "pl", "pt-br"])
def test_every_sentence_is_translated(language: str) -> None:
    english = reason_sentences(dict.fromkeys(CODES, 2))
    with translation.override(language):
        said = reason_sentences(dict.fromkeys(CODES, 2))
        advice = [token_sentence(r, person="Léa", server="plex") for r in TOKEN_ADVICE]
    assert len(said) == len(CODES) and not set(said) & set(english)
    assert all(s.startswith("2") for s in said)
    english_advice = [token_sentence(r, person="Léa", server="plex") for r in TOKEN_ADVICE]
    assert not set(advice) & set(english_advice) and all("Léa" in a for a in advice)


def test_counts_and_an_unknown_code() -> None:
    assert reason_sentences({"mislabeled": 1, "newer-code": 3, "no-candidate": 0}) == [
        OTHER[1] % {"count": "3"},
        "1 file: listening heard another language than the one marked on a track.",
    ]
    with translation.override("de"):
        assert reason_sentences({"mislabeled": 1234})[0].startswith("1.234")
