"""Why a tag rests on a guess, said again at display time from the facts the engine
recorded (scanner/engine/guesses.py ``review_reasons``): in English the engine's own
sentence, in German and French theirs; a reason recorded without its facts as it was."""

from __future__ import annotations

from django.utils import translation

from scanner.engine.guesses import GuessedFile, review_reasons
from scanner.reports.review_text import review_sentence


def _track(position: int, language: str | None, title: str | None = None) -> dict:
    return {"position": position, "language": language, "raw_language": language,
            "title": title, "is_commentary": False}  # fmt: skip


FILES = [
    GuessedFile("a.mkv", [_track(1, None), _track(2, "eng")], from_arr=False),
    GuessedFile("b.mkv", [_track(1, None), _track(2, "deu", "English")], from_arr=False),
    GuessedFile("c.mkv", [_track(1, "jpn")], from_arr=True),
]


def _reasons() -> list[dict]:
    return review_reasons(
        FILES, original="jpn", unknown_first_track="original", original_suggestion="fra"
    )


def test_in_english_each_reason_is_the_engines_sentence() -> None:
    reasons = _reasons()
    assert {r["code"] for r in reasons} >= {"unknown_first_track", "original_doubtful"}
    with translation.override("en"):
        for reason in reasons:
            assert review_sentence(reason) == reason["reason"]


def test_in_german_and_french_with_the_languages_named_so() -> None:
    unknown, *_ = (r for r in _reasons() if r["code"] == "unknown_first_track")
    with translation.override("de"):
        assert review_sentence(unknown) == (
            "2 Dateien: Die erste Tonspur hat keine Sprache und gilt als Original (Japanisch)"
        )
    with translation.override("fr"):
        assert "(japonais)" in review_sentence(unknown)


def test_a_reason_recorded_without_its_facts_stays_as_recorded() -> None:
    with translation.override("de"):
        assert review_sentence({"code": "unknown_first_track", "reason": "as it was"}) == (
            "as it was"
        )
