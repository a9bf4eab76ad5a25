"""The targets of one item (engine.targets): the one definition the verdict, the
coverage and the dub news judge with, so the original is left out of all three alike."""

from __future__ import annotations

import itertools

import pytest

from scanner.engine.dub_news import SeenFile, audio_tracks, changes, hearing, snapshot
from scanner.engine.languages import same_language
from scanner.engine.per_language import coverage, language_tags, season_coverage
from scanner.engine.targets import item_targets
from scanner.engine.verdict import Policy, file_result, item_verdict
from scanner.errors import ConfigError

# Originals in the forms they come in (a code, a 639-2/B code, an *arr's English name),
# macrolanguage pairs both ways (tagging-rules.md, "Macrolanguages"), and unknown.
ORIGINALS = [None, "deu", "ger", "German", "zho", "cmn", "yue", "nor", "jpn"]
TARGET_SETS = [["de", "fr"], ["deu"], ["cmn", "fra"], ["zho"], ["yue", "en"], ["nob", "fr"]]
# One file's audio per episode: labelled, unlabelled first tracks (taken as the original),
# macrolanguage and individual languages, commentary-free.
AUDIO = [
    (),
    ("deu",),
    ("jpn",),
    ("cmn",),
    ("zho", "fra"),
    (None, "fra"),
    (None,),
    ("yue", "eng"),
    ("nor", "deu"),
    ("fra", "eng", "nob"),
]


def _as_audio(languages: tuple[str | None, ...]) -> tuple[tuple[str | None, bool], ...]:
    return tuple((code, False) for code in languages)


@pytest.mark.parametrize(("original", "targets"), list(itertools.product(ORIGINALS, TARGET_SETS)))
def test_the_original_is_left_out_alike_by_verdict_coverage_and_news(
    original: str | None, targets: list[str]
) -> None:
    policy = Policy()
    item = item_targets(targets, original)
    files = [
        SeenFile(f"Season 01/Show - S01E{n:02d}.mkv", 1, (n,), _as_audio(audio))
        for n, audio in enumerate(AUDIO, start=1)
    ]
    results = [
        file_result(
            audio_tracks(file.audio), original, targets, policy,
            path=file.path, season=file.season, episodes=file.episodes,
        )
        for file in files
    ]  # fmt: skip
    heard = hearing(targets, original, policy)

    # The item's targets: none is the original, whatever form either is written in.
    assert item.original is None or not any(
        same_language(code, item.original) for code in item.wanted
    )
    # The verdict's targets, the coverage's and the per-language tags' are the same.
    assert item_verdict(results).reasons["targets"] == sorted(item.wanted)
    assert set(coverage(results)) == set(language_tags(results)) == item.wanted
    assert season_coverage(results) == {1: coverage(results)}
    # News hears, per file, exactly the targets the verdict found in it.
    for file, result in zip(files, results, strict=True):
        assert heard(file.audio) == result.targets - result.missing
    # A season's news, from no file to these: an arrival per target the coverage counts,
    # complete when the coverage is full; nothing else.
    news = changes({"files": {}}, snapshot(files, movie=False), heard)
    assert {change.language: change.season_complete for change in news} == {
        code: having == total for code, (having, total) in coverage(results).items() if having
    }


@pytest.mark.parametrize(
    ("targets", "original", "wanted", "original_is_target"),
    [
        (["de", "fr"], "German", {"fra"}, True),
        (["de", "fr"], None, {"deu", "fra"}, False),
        (["de", "fr"], "und", {"deu", "fra"}, False),  # unknown: every target stays
        (["cmn", "fr"], "zho", {"fra"}, True),  # Mandarin is Chinese
        (["yue"], "cmn", {"yue"}, False),  # Cantonese is not Mandarin
        (["en", "eng", "English"], "jpn", {"eng"}, False),
    ],
)
def test_the_targets_of_an_item(
    targets: list[str], original: str | None, wanted: set[str], original_is_target: bool
) -> None:
    item = item_targets(targets, original)
    assert (item.wanted, item.original_is_target) == (wanted, original_is_target)


def test_a_target_that_names_no_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        item_targets(["de", "xx-nonsense"], "jpn")
