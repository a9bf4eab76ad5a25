"""Issue 68, item 6: a track of a regional target's language whose variety is unknown
is a guess to settle, and its language is never offered as the original."""

from __future__ import annotations

import pytest

from scanner.engine.guesses import VARIETY_UNKNOWN, GuessedFile, review_reasons
from scanner.engine.originals import doubtful_english
from scanner.engine.tracks import make_track


@pytest.mark.parametrize(
    ("firsts", "targets", "offered"),
    [
        (["fra", "fra"], ["fr-CA"], None),  # a FRENCH release for Quebec: a variety
        (["fra"], ["deu", "fr-CA"], None),
        (["spa"], ["es-419"], None),
        (["por"], ["pt-BR"], None),
        (["yue"], ["yue"], None),  # Cantonese: Chinese, its macrolanguage, settled
        (["fra"], ["fra"], "fra"),  # a plain target: no variety to settle
        (["fra"], [], "fra"),
        (["jpn"], ["fr-CA"], "jpn"),  # another language: still offered
        (["fra", "jpn"], ["fr-CA"], None),  # no doubt at all
    ],
)
def test_the_language_of_a_regional_target_is_never_offered_as_the_original(
    firsts: list[str], targets: list[str], offered: str | None
) -> None:
    assert doubtful_english("eng", firsts, targets) == offered


def test_a_track_of_unknown_variety_is_a_guess_naming_the_target() -> None:
    french = [make_track(1, "fre", None).to_dict()]
    files = [
        GuessedFile("S01E01.mkv", french, from_arr=True, unsure=frozenset({"fr-CA"})),
        GuessedFile("S01E02.mkv", french, from_arr=True),  # settled, or a known variety
    ]
    (reason,) = review_reasons(files, original="eng", unknown_first_track="original")
    assert reason["code"] == VARIETY_UNKNOWN
    assert reason["files"] == ["S01E01.mkv"]
    assert reason["values"]["language"] == "fra"
    assert reason["values"]["example"] == "fr-CA"
    assert reason["reason"] == (
        "1 file: French of unknown variety (no source names it); undecided target: French (fr-CA)"
    )
    plain = [GuessedFile("a.mkv", french, from_arr=True)]
    assert review_reasons(plain, original="eng", unknown_first_track="original") == []
