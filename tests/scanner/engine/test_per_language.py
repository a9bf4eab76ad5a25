"""tagging-rules.md, "Per-language tags and subtitles", as tables of cases."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from scanner.engine.languages import short_code
from scanner.engine.per_language import (
    SubtitleTag,
    coverage,
    language_tags,
    render_label,
    season_coverage,
    subtitle_tags,
)
from scanner.engine.tracks import make_subtitle, make_track
from scanner.engine.verdict import FileResult, Policy, Tag, file_result, item_verdict

DE, FR = "deu", "fra"


def _file(
    audio: Sequence[str],
    subs: Sequence[str | tuple[str, str | None, bool]] = (),
    *,
    original: str = "jpn",
    targets: Sequence[str] = ("de", "fr"),
    season: int = 1,
    episode: int = 1,
) -> FileResult:
    tracks = tuple(make_track(i, lang, None) for i, lang in enumerate(audio, start=1))
    subtitles = []
    for i, sub in enumerate(subs, start=1):
        language, title, forced = sub if isinstance(sub, tuple) else (sub, None, False)
        subtitles.append(make_subtitle(i, language, title, forced=forced))
    return file_result(
        tracks, original, targets, Policy(), path=f"S{season:02d}E{episode:02d}.mkv",
        season=season, episodes=(episode,), subtitles=subtitles,
    )  # fmt: skip


def test_the_rules_example_targets_de_and_fr() -> None:
    """A Japanese show with German in every episode and French in some."""
    files = [_file(["jpn", "ger", "fre"], episode=1), _file(["jpn", "ger"], episode=2)]
    assert language_tags(files) == {DE: Tag.DUB, FR: Tag.SEMI_DUB}
    assert item_verdict(files).tag == Tag.SEMI_DUB  # the summary: not every target everywhere


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([["jpn", "ger"], ["jpn", "ger"]], {DE: Tag.DUB, FR: Tag.NONE}),
        ([["jpn"], ["jpn", "fre"]], {DE: Tag.NONE, FR: Tag.SEMI_DUB}),
        ([["jpn", "ita"]], {DE: Tag.NONE, FR: Tag.NONE}),  # wrong-dub is the summary's
        ([["jpn", "deu", ("fre")], ["jpn", "ger", "fra"]], {DE: Tag.DUB, FR: Tag.DUB}),
    ],
)
def test_each_target_on_its_own(files: list[list[str]], expected: dict[str, Tag]) -> None:
    results = [_file(audio, episode=n) for n, audio in enumerate(files, start=1)]
    assert language_tags(results) == expected


def test_the_original_among_the_targets_is_no_per_language_tag() -> None:
    results = [_file(["ger", "fre"], original="German", episode=1)]
    assert language_tags(results) == {FR: Tag.DUB}  # German: the original, never "dubbed"


def test_error_files_are_left_out_and_no_readable_file_means_no_tags() -> None:
    readable = _file(["jpn", "ger"])
    failed = FileResult.failed("S01E02.mkv", 1, (2,), "corrupt")
    assert language_tags([readable, failed]) == {DE: Tag.DUB, FR: Tag.NONE}
    assert language_tags([failed]) == {}
    assert subtitle_tags([failed], [DE]) == {}


def test_macrolanguages_count_for_their_members() -> None:
    results = [_file(["jpn", "cmn"], targets=("zh",))]
    assert language_tags(results) == {"zho": Tag.DUB}


# Rule: forced-only tracks and tracks titled forced, signs or songs do not count.
@pytest.mark.parametrize(
    ("subs", "expected"),
    [
        (["ger"], SubtitleTag.SUB),
        ([("ger", None, True)], SubtitleTag.NONE),  # forced flag
        ([("ger", "Forced", False)], SubtitleTag.NONE),
        ([("ger", "Signs & Songs", False)], SubtitleTag.NONE),
        ([("ger", "Deutsch (erzwungen)", False)], SubtitleTag.NONE),
        ([("ger", "SDH", False)], SubtitleTag.SUB),  # for the deaf: a full track
        ([("ger", "Signs", False), ("ger", "Full", False)], SubtitleTag.SUB),
        (["und"], SubtitleTag.NONE),
        ([], SubtitleTag.NONE),
    ],
)
def test_subtitle_tracks_that_count(subs: list, expected: SubtitleTag) -> None:
    assert subtitle_tags([_file(["jpn"], subs)], [DE]) == {DE: expected}


def test_subtitles_per_target_over_the_files_and_the_original_counts() -> None:
    files = [_file(["jpn"], ["ger", "jpn"], episode=1), _file(["jpn"], ["jpn"], episode=2)]
    assert subtitle_tags(files, [DE, "jpn"]) == {DE: SubtitleTag.SEMI_SUB, "jpn": SubtitleTag.SUB}


def test_a_files_audio_verdict_never_depends_on_its_subtitles() -> None:
    with_subs = _file(["jpn"], ["ger", "fre"])
    without = _file(["jpn"])
    assert (with_subs.has_some, with_subs.missing) == (without.has_some, without.missing)
    assert item_verdict([with_subs]).tag == item_verdict([without]).tag == Tag.NONE


def test_season_coverage() -> None:
    files = [
        _file(["jpn", "ger"], season=1, episode=1),
        _file(["jpn"], season=1, episode=2),
        _file(["jpn", "ger", "fre"], season=2, episode=1),
        FileResult.failed("S02E02.mkv", 2, (2,), "corrupt"),
    ]
    assert coverage(files) == {DE: (2, 3), FR: (1, 3)}
    assert season_coverage(files) == {1: {DE: (1, 2), FR: (0, 2)}, 2: {DE: (1, 1), FR: (1, 1)}}


@pytest.mark.parametrize(
    ("code", "short"), [("deu", "de"), ("fra", "fr"), ("zho", "zh"), ("yue", "yue"), ("fil", "fil")]
)
def test_labels_use_the_two_letter_code_when_there_is_one(code: str, short: str) -> None:
    assert short_code(code) == short
    assert render_label("dub-{lang}", code) == f"dub-{short}"


def test_subtitles_in_the_original_language_count() -> None:
    """A French film with full French subtitles, targets fr and de: ``sub-fr`` (they
    serve the hard of hearing), though French audio is no dub of it."""
    files = [_file(["fre"], ["fre"], original="fra", episode=n) for n in (1, 2)]
    assert subtitle_tags(files, [DE, FR]) == {DE: SubtitleTag.NONE, FR: SubtitleTag.SUB}
    assert language_tags(files) == {DE: Tag.NONE}  # the original is no audio target
    assert coverage(files) == {DE: (0, 2)}  # nor has it coverage


def test_the_rules_example_two_tags_at_once() -> None:
    """A Japanese show with German in two episodes and only Italian in a third gets
    ``wrong-dub`` and ``semi-dub-de`` (decided independently)."""
    files = [
        _file(["jpn", "ger"], targets=["de"], episode=1),
        _file(["jpn", "ger"], targets=["de"], episode=2),
        _file(["ita"], targets=["de"], episode=3),
    ]
    assert item_verdict(files).tag == Tag.WRONG_DUB
    assert language_tags(files) == {DE: Tag.SEMI_DUB}
