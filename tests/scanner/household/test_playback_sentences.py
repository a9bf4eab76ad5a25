"""The advice's sentences: one for every code, in every catalog, naming the settings
with jellyfin-web's own words in that language (src/strings/<lang>.json)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from scanner.household.playback_advice import Advice, AdviceCode
from scanner.household.playback_sentences import advice_sentence

SAMPLES = {
    AdviceCode.AUDIO_LANGUAGE: {"language": "fra"},
    AdviceCode.AUDIO_REGIONAL: {"language": "fra", "current": "fr-CA"},
    AdviceCode.AUDIO_ORIGINAL: {},
    AdviceCode.NO_ORIGINAL_CHOICE: {},
    AdviceCode.DEFAULT_TRACK_OFF: {"count": 7},
    AdviceCode.DEFAULT_TRACK_ON: {},
    AdviceCode.SUBTITLE_LANGUAGE: {"language": "fra"},
    AdviceCode.SUBTITLE_MODE: {},
    AdviceCode.CANNOT_TELL_VARIETY: {"variety": "fr-CA", "code": "fre", "count": 12},
    AdviceCode.ALREADY_RIGHT: {},
}
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def _say(code: AdviceCode, language: str) -> str:
    with translation.override(language):
        return advice_sentence(Advice(code, SAMPLES[code]), "Jellyfin")


def test_every_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(AdviceCode)


@pytest.mark.parametrize("code", list(AdviceCode))
def test_every_code_is_one_translated_sentence_in_every_catalog(code: AdviceCode) -> None:
    english = _say(code, "en")
    assert "Jellyfin" in english and "%(" not in english
    for language in LANGUAGES:
        said = _say(code, language)
        assert said != english, (language, code)
        assert "%(" not in said and "Jellyfin" in said


@pytest.mark.parametrize(
    ("code", "language", "words"),
    [
        (AdviceCode.AUDIO_LANGUAGE, "fr", ["« Langue audio préférée »", "français (fra)"]),
        (AdviceCode.AUDIO_LANGUAGE, "de", ["„Bevorzugte Audiosprache“", "Französisch (fra)"]),
        (AdviceCode.AUDIO_REGIONAL, "fr", ["« Langue audio préférée »", "français canadien"]),
        (
            AdviceCode.DEFAULT_TRACK_OFF,
            "fr",
            ["« Utiliser le flux audio par défaut quelle que soit la langue »", "7 fichiers"],
        ),
        (
            AdviceCode.DEFAULT_TRACK_OFF,
            "de",
            ["„Standardtonspur unabhängig von der Sprache abspielen“", "7 Dateien"],
        ),
        (AdviceCode.AUDIO_ORIGINAL, "fr", ["« Langue d'origine »"]),
        (AdviceCode.AUDIO_ORIGINAL, "de", ["„Originalsprache“"]),
        (AdviceCode.SUBTITLE_MODE, "fr", ["« Mode des sous-titres »", "« Intelligent »"]),
        (AdviceCode.SUBTITLE_MODE, "de", ["„Untertitelmodus“", "„Smart“"]),
        (AdviceCode.SUBTITLE_LANGUAGE, "de", ["„Bevorzugte Untertitelsprache“"]),
        (AdviceCode.CANNOT_TELL_VARIETY, "fr", ["12 fichiers", "« fre »", "français canadien"]),
        (AdviceCode.CANNOT_TELL_VARIETY, "de", ["12 Dateien", "„fre“", "Französisch (Kanada)"]),
    ],
)
def test_sentences_use_jellyfins_own_words(
    code: AdviceCode, language: str, words: list[str]
) -> None:
    said = _say(code, language).replace("\u00a0", " ").replace("\u202f", " ")
    for word in words:
        assert word in said, said


def test_the_count_picks_the_singular() -> None:
    with translation.override("de"):
        said = advice_sentence(Advice(AdviceCode.DEFAULT_TRACK_OFF, {"count": 1}), "Emby")
    assert "In 1 Datei ist" in said and "Emby" in said
