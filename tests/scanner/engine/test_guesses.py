"""What a verdict guessed: the review reasons, as tables of cases."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.engine.guesses import (
    ARR_UNTAGGED_STREAMS,
    ORIGINAL_DOUBTFUL,
    TITLE_NAMES_OTHER_LANGUAGE,
    UNKNOWN_FIRST_TRACK,
    GuessedFile,
    review_reasons,
    title_language,
    with_unknown_as,
)
from scanner.engine.tracks import make_track


def _tracks(*specs: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    return [make_track(n, lang, title).to_dict() for n, (lang, title) in enumerate(specs, 1)]


def _codes(files: list[GuessedFile], **options: Any) -> list[str]:
    options.setdefault("original", "jpn")
    options.setdefault("unknown_first_track", "original")
    return [reason["code"] for reason in review_reasons(files, **options)]


def test_a_plain_file_guesses_nothing() -> None:
    files = [GuessedFile("a.mkv", _tracks(("jpn", None), ("eng", "English")), from_arr=False)]
    assert review_reasons(files, original="jpn", unknown_first_track="original") == []


def test_an_unknown_first_track_taken_as_the_original() -> None:
    files = [
        GuessedFile("S01E01.mkv", _tracks((None, None), ("eng", None)), from_arr=False),
        GuessedFile("S01E02.mkv", _tracks(("jpn", None), ("eng", None)), from_arr=False),
    ]
    (reason,) = review_reasons(files, original="jpn", unknown_first_track="original")
    assert reason["code"] == UNKNOWN_FIRST_TRACK
    assert reason["files"] == ["S01E01.mkv"]
    assert reason["reason"].startswith("1 file: the first audio track has no language")
    assert "Japanese" in reason["reason"]
    # Not a guess when the policy ignores it, the original is unknown, or a person said
    assert _codes(files, unknown_first_track="ignore") == []
    assert _codes(files, original=None) == []
    assert _codes(files, unknown_as="jpn") == []


def test_the_arr_seeing_fewer_languages_than_streams() -> None:
    # What tracks_from_arr makes of "eng" with two streams: the untagged one first.
    files = [GuessedFile("S01E01.mkv", _tracks((None, None), ("eng", None)), from_arr=True)]
    assert _codes(files) == [UNKNOWN_FIRST_TRACK, ARR_UNTAGGED_STREAMS]
    assert _codes(files, unknown_as="jpn") == []


def test_an_original_in_doubt() -> None:
    files = [GuessedFile("a.mkv", _tracks(("jpn", None)), from_arr=False)]
    (reason,) = review_reasons(
        files, original="eng", unknown_first_track="original", original_suggestion="jpn"
    )
    assert reason["code"] == ORIGINAL_DOUBTFUL
    assert reason["reason"] == "the *arr says English, but every file starts with Japanese"
    assert reason["files"] == []


def test_a_track_titled_in_another_language_than_its_tag() -> None:
    files = [GuessedFile("a.mkv", _tracks(("jpn", None), ("ger", "English")), from_arr=False)]
    (reason,) = review_reasons(files, original="jpn", unknown_first_track="original")
    assert reason["code"] == TITLE_NAMES_OTHER_LANGUAGE
    assert 'track 2 tagged German, titled "English"' in reason["reason"]


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("English", "eng"),
        ("Deutsch 5.1", "deu"),
        ("German DTS-HD MA", "deu"),
        ("Brazilian Portuguese", "por"),
        ("Latin American Spanish", "spa"),
        ("日本語", "jpn"),
        ("Français (VFF)", "fra"),
        ("Mandarin", "zho"),
        ("Stereo", None),
        ("Mono", None),  # a language of ISO 639-3, not a title's word for one
        ("AAC 2.0", None),  # codes are not read: "aac" is also a language code
        ("English / German", None),  # two languages: no one language named
        ("Director's Cut Commentary", None),
    ],
)
def test_what_a_title_names(title: str, language: str | None) -> None:
    assert title_language(title) == language


def test_titles_that_agree_with_their_tag_are_no_guess() -> None:
    agreeing = _tracks(("cmn", "Mandarin"), ("ger", "Deutsch"), ("eng", "Commentary English"))
    files = [GuessedFile("a.mkv", agreeing, from_arr=False)]
    assert _codes(files, original="zho") == []


def test_with_unknown_as_fills_only_the_unknown_tracks() -> None:
    tracks = [make_track(1, None, None), make_track(2, "eng", None)]
    assert [t.language for t in with_unknown_as(tracks, "jpn")] == ["jpn", "eng"]
    assert with_unknown_as(tracks, "") == tuple(tracks)
