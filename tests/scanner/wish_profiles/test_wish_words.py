"""The wishes and the judgements in the reader's language (scanner.wish_profiles.words):
a variety named as the pages name it, with the word its releases carry; one sentence per
judgement code, every value it names in it, in English, German and French."""

from __future__ import annotations

import pytest
from django.utils import translation

from scanner.wish_profiles import judge
from scanner.wish_profiles.judge import Judgement
from scanner.wish_profiles.words import judgement_text, wish_label

VALUES: dict[str, str | int] = {
    "wanted": "Movie.2019.MULTi.VFQ.1080p.WEB.H264-GRP",
    "wanted_score": 1100,
    "other": "Movie.2019.MULTi.VFF.1080p.WEB.H264-GRP",
    "other_score": 100,
    "minimum": 2000,
    "language": "German",
}


def test_wish_labels_in_english() -> None:
    with translation.override("en"):
        assert wish_label("original") == "The original only"
        assert wish_label("deu") == "German"
        assert wish_label("fr-CA") == "Canadian French (VFQ)"
        assert wish_label("es-419") == "Latin American Spanish (Latino)"
        assert wish_label("original+fr-CA") == "The original and Canadian French (VFQ)"
        assert wish_label("no wish!") == "no wish!"


def test_wish_labels_speak_german_and_french() -> None:
    with translation.override("de"):
        assert wish_label("original") == "Nur das Original"
        assert wish_label("original+deu") == "Das Original und Deutsch"
    with translation.override("fr"):
        assert wish_label("fr-CA") == "Français canadien (VFQ)"
        assert wish_label("original") == "La version originale seule"
    with translation.override("es"):
        assert wish_label("es-419") == "Español latino"  # its word said once, capitalised


@pytest.mark.parametrize("code", judge.CODES)
@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "nl", "pl", "pt-br"])
def test_every_code_has_its_sentence_naming_its_values(code: str, language: str) -> None:
    with translation.override(language):
        text = judgement_text(Judgement(ok=False, code=code, values=VALUES))
    assert text and "%(" not in text
    if code not in (judge.UNKNOWN_WISH,):
        assert VALUES["wanted"] in text
    if code in (judge.OK, judge.OTHER_FIRST, judge.TIE, judge.NO_SCORES):
        assert VALUES["other"] in text
    if code == judge.BELOW_MINIMUM:
        assert "2000" in text
    if code == judge.LANGUAGE_OTHER and language == "de":
        assert "Deutsch" in text


def test_a_judgement_in_french() -> None:
    with translation.override("fr"):
        text = judgement_text(Judgement(ok=True, code=judge.OK, values=VALUES))
    assert text.startswith("À qualité égale, ce profil")
    assert "\u00a0:" not in text or text.count(":") == text.count("\u00a0:")
