"""tagging-rules.md, "One file's result" and "The item's tag", as tables of cases.

The cases are plain track tables (what ``probe`` returns); that MediaInfo reads
such tracks from real files is test_probe.py's job, and an end-to-end scan of
real files is the pipeline tests'.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.engine.tracks import AudioTrack, make_subtitle, make_track
from scanner.engine.verdict import FileResult, Policy, Tag, Verdict, file_result, item_verdict
from scanner.errors import ConfigError

CORRUPT = "not a media file MediaInfo recognises"
UNREADABLE = "permission denied"
# A track: its language as the file declares it (None: no language at all), or
# (language, title).
TrackSpec = str | None | tuple[str | None, str]
FileSpec = tuple[TrackSpec, ...] | str  # the tracks, or the reason the file is unreadable
COMMENTARY_ENG = ("eng", "Commentary")


def layout(*tracks: TrackSpec) -> tuple[TrackSpec, ...]:
    return tracks


def tracks_of(spec: Sequence[TrackSpec]) -> tuple[AudioTrack, ...]:
    built = []
    for position, track in enumerate(spec, start=1):
        language, title = track if isinstance(track, tuple) else (track, None)
        built.append(make_track(position, language, title, default=position == 1))
    return tuple(built)


@dataclass(frozen=True)
class Case:
    files: tuple[FileSpec, ...]
    expected: Tag | None
    original: str | None = "jpn"
    targets: tuple[str, ...] = ("eng",)
    policy: Policy = field(default_factory=Policy)


def judge(
    files: Sequence[FileSpec],
    original: str | None,
    targets: Sequence[str],
    policy: Policy = Policy(),  # noqa: B008 - frozen, so one shared default is safe
) -> tuple[list[FileResult], Verdict]:
    """Judge the files as an item's episodes 1..n of season 1."""
    results = []
    for episode, spec in enumerate(files, start=1):
        path = f"Show - S01E{episode:02d}.mkv"
        if isinstance(spec, str):
            results.append(FileResult.failed(path, 1, (episode,), spec))
        else:
            tracks = tracks_of(spec)
            results.append(
                file_result(
                    tracks, original, targets, policy, path=path, season=1, episodes=(episode,)
                )
            )
    return results, item_verdict(results)


# The item table, one group of cases per row, in the rules' order.
ITEM_TABLE: dict[str, Case] = {
    # Row 1: no counted file could be read -> no change (None), report why.
    "row1-no-counted-file (a show with only empty seasons)": Case((), None),
    "row1-every-file-an-error-file": Case((CORRUPT, UNREADABLE), None),
    # Row 2: targets empty (the original is the only target) -> none.
    "row2-english-original-english-target": Case((layout("eng"),), Tag.NONE, original="eng"),
    "row2-english-original-with-french-is-not-wrong": Case(
        (layout("eng", "fre"),), Tag.NONE, original="English"
    ),
    "row2-arr-name-original": Case(
        (layout("por"),), Tag.NONE, original="Portuguese (Brazil)", targets=("pt-BR",)
    ),
    # Row 3: any file is wrong -> wrong-dub.
    "row3-one-episode-french-only": Case(
        (layout("jpn", "eng"), layout("jpn", "fre")), Tag.WRONG_DUB
    ),
    "row3-movie-japanese-french": Case((layout("jpn", "fre"),), Tag.WRONG_DUB),
    "row3-unknown-first-track-then-french": Case((layout("und", "fre"),), Tag.WRONG_DUB),
    "row3-wrong-despite-an-error-file": Case((layout("jpn", "ita"), CORRUPT), Tag.WRONG_DUB),
    # Row 4: every file has all targets -> dub.
    "row4-every-episode-dubbed": Case((layout("jpn", "eng"), layout("jpn", "eng")), Tag.DUB),
    "row4-extra-language-beside-the-target": Case((layout("jpn", "eng", "spa"),), Tag.DUB),
    "row4-region-tag-en-US": Case((layout("jpn", "en-US"),), Tag.DUB),
    "row4-region-tag-pt-BR-target-pt": Case((layout("jpn", "pt-BR"),), Tag.DUB, targets=("pt",)),
    "row4-bibliographic-ger-target-de": Case((layout("jpn", "ger"),), Tag.DUB, targets=("de",)),
    "row4-bibliographic-fre-target-French": Case(
        (layout("jpn", "fre"),), Tag.DUB, targets=("French",)
    ),
    "row4-und-first-track-then-target": Case((layout("und", "eng"),), Tag.DUB),
    "row4-missing-language-first-track-then-target": Case((layout(None, "eng"),), Tag.DUB),
    "row4-error-file-left-out": Case((layout("jpn", "eng"), CORRUPT, UNREADABLE), Tag.DUB),
    "row4-two-targets-both-present": Case(
        (layout("jpn", "eng", "ger"),), Tag.DUB, targets=("en", "de")
    ),
    # Row 5: any file has some target -> semi-dub.
    "row5-one-episode-not-dubbed": Case((layout("jpn", "eng"), layout("jpn")), Tag.SEMI_DUB),
    "row5-movie-with-one-of-two-targets": Case(
        (layout("jpn", "eng"),), Tag.SEMI_DUB, targets=("en", "de")
    ),
    "row5-one-target-and-an-unexpected-language": Case(
        (layout("jpn", "eng", "fre"),), Tag.SEMI_DUB, targets=("en", "de")
    ),
    # Row 6: otherwise -> none (taggarr tags removed).
    "row6-original-audio-only": Case((layout("jpn"), layout("jpn")), Tag.NONE),
    "row6-commentary-in-the-target-language": Case((layout("jpn", COMMENTARY_ENG),), Tag.NONE),
    "row6-und-later-track-is-ignored": Case((layout("jpn", "und"),), Tag.NONE),
    "row6-missing-language-later-track-is-ignored": Case((layout("jpn", None),), Tag.NONE),
    "row6-allowed-extra-is-not-wrong": Case(
        (layout("jpn", "fre"),), Tag.NONE, policy=Policy(allowed_extras=frozenset({"fr"}))
    ),
    "row6-original-unknown-all-japanese-anime": Case((layout("jpn"),), Tag.NONE, original=None),
    "row6-original-unknown-never-wrong": Case((layout("jpn", "fre"),), Tag.NONE, original=None),
    # Macrolanguages: the *arr says "Chinese"/"Norwegian", the tracks name the individual
    # language; one side being the macrolanguage makes them the same language.
    "macro-chinese-original-mandarin-audio-only": Case(
        (layout("cmn"), layout("cmn")), Tag.NONE, original="Chinese"
    ),
    "macro-chinese-original-cantonese-and-english": Case(
        (layout("yue", "eng"),), Tag.DUB, original="Chinese"
    ),
    "macro-norwegian-original-bokmal-audio-only": Case(
        (layout("nob"),), Tag.NONE, original="Norwegian"
    ),
    "macro-norwegian-target-met-by-nynorsk": Case(
        (layout("eng", "nno"),), Tag.DUB, original="English", targets=("no",)
    ),
    "macro-chinese-target-met-by-mandarin": Case((layout("jpn", "cmn"),), Tag.DUB, targets=("zh",)),
    # Not met, and not wrong either: Mandarin is Chinese of another variety (issue 68).
    "macro-cantonese-target-not-met-by-mandarin": Case(
        (layout("jpn", "cmn"),), Tag.NONE, targets=("yue",)
    ),
    "macro-arabic-target-met-by-standard-arabic": Case(
        (layout("jpn", "arb"),), Tag.DUB, targets=("ar",)
    ),
    "filipino-audio-meets-a-tagalog-target": Case(
        (layout("jpn", "fil"),), Tag.DUB, targets=("Tagalog",)
    ),
    # Non-programme tracks in the usual translations are ignored like commentary.
    "audio-description-in-german-is-ignored": Case(
        (layout("jpn", ("ger", "Audiodeskription")),), Tag.NONE, targets=("de",)
    ),
    "dvs-track-is-ignored": Case((layout("jpn", ("eng", "DVS")),), Tag.NONE),
    "french-commentary-is-not-wrong": Case(
        (layout("jpn", ("fre", "Commentaire"), "eng"),), Tag.DUB
    ),
    # A German Blu-ray's compound commentary (issue 92): no German dub.
    "german-audiokommentar-is-no-german-dub": Case(
        (layout("jpn", ("ger", "Audiokommentar")),), Tag.NONE, targets=("de",)
    ),
}


@pytest.mark.parametrize("case", list(ITEM_TABLE.values()), ids=list(ITEM_TABLE))
def test_item_table(case: Case) -> None:
    _, verdict = judge(case.files, case.original, case.targets, case.policy)
    assert verdict.tag == case.expected
    assert verdict.reasons["summary"]
    json.dumps(verdict.reasons)  # stored as JSON


def test_row1_reports_why() -> None:
    _, nothing = judge((), "jpn", ("en",))
    _, errors = judge((CORRUPT, UNREADABLE), "jpn", ("en",))
    assert nothing.reasons["summary"] == "no change: no counted file was found"
    unread = "no change: no counted file could be read (2 files with errors)"
    assert errors.reasons["summary"] == unread
    reasons = [file["error"] for file in errors.reasons["seasons"][0]["files"]]
    assert "not a media file" in reasons[0]
    assert reasons[1] == "permission denied"


def test_original_unknown_is_said_in_the_reasons() -> None:
    _, verdict = judge((layout("jpn", "fre"),), None, ("en",))
    assert "original language unknown" in verdict.reasons["original_unknown"]
    _, known = judge((layout("jpn", "fre"),), "jpn", ("en",))
    assert "original_unknown" not in known.reasons


# "Audio tracks of one file": which tracks make `present`.
@pytest.mark.parametrize(
    ("tracks", "policy", "present"),
    [
        (layout("und", "eng"), "original", {"jpn", "eng"}),
        (layout("und", "eng"), "ignore", {"eng"}),
        (layout(None, "eng"), "original", {"jpn", "eng"}),
        (layout(None, "eng"), "ignore", {"eng"}),
        (layout("jpn", "und"), "original", {"jpn"}),
        (layout("jpn", None), "original", {"jpn"}),
        (layout("und", "fre", "und", "eng"), "original", {"jpn", "fra", "eng"}),
        (layout("jpn", COMMENTARY_ENG), "original", {"jpn"}),
        (layout(("und", "Audio Description"), "eng"), "original", {"eng"}),
    ],
    ids=[
        "und-first-is-original",
        "und-first-ignored-by-policy",
        "missing-first-is-original",
        "missing-first-ignored-by-policy",
        "und-later-ignored",
        "missing-later-ignored",
        "labelled-tracks-count-when-first-unknown",
        "commentary-in-target-language-ignored",
        "unknown-first-track-that-is-audio-description-ignored",
    ],
)
def test_present_languages(tracks: tuple[TrackSpec, ...], policy: str, present: set[str]) -> None:
    chosen = Policy(unknown_first_track="ignore" if policy == "ignore" else "original")
    (result,), _ = judge((tracks,), "jpn", ("en",), chosen)
    assert result.present == present


# "One file's result", one test per definition.
def test_targets_are_the_targets_minus_the_original() -> None:
    (result,), _ = judge((layout("eng", "ger"),), "en", ("en", "de"))
    assert result.targets == {"deu"}
    assert result.has_all


def test_has_all_and_has_some() -> None:
    (some, every, neither), _ = judge(
        (layout("jpn", "eng"), layout("jpn", "ger", "eng"), layout("jpn")),
        "jpn",
        ("en", "de"),
    )
    assert (some.has_all, some.has_some, some.missing) == (False, True, {"deu"})
    assert (every.has_all, every.has_some, every.missing) == (True, True, frozenset())
    assert (neither.has_all, neither.has_some, neither.missing) == (False, False, {"eng", "deu"})


def test_unexpected_leaves_out_targets_original_and_allowed_extras() -> None:
    policy = Policy(allowed_extras=frozenset({"ita"}))
    (result,), _ = judge((layout("jpn", "eng", "fre", "ita"),), "jpn", ("en",), policy)
    assert result.unexpected == {"fra"}


@pytest.mark.parametrize(
    ("files", "targets", "wrong"),
    [
        (layout("jpn", "eng", "spa"), ("en",), False),  # a dubbed release, not a wrong one
        (layout("jpn", "fre"), ("en",), True),  # French and no English: wrong
        (layout("jpn", "eng", "fre"), ("en", "de"), False),  # one target: towards semi-dub
    ],
    ids=["jpn-eng-spa", "jpn-fre", "jpn-eng-fre-targets-en-de"],
)
def test_wrong_file(files: tuple[TrackSpec, ...], targets: tuple[str, ...], wrong: bool) -> None:
    (result,), _ = judge((files,), "jpn", targets)
    assert result.wrong is wrong


@pytest.mark.parametrize(
    ("files", "targets", "wrong"),
    [
        # The original is a target and the file has it: watchable as made, never wrong.
        (layout("eng", "spa"), ("en", "de"), False),
        (layout("spa", "eng"), ("en", "de"), False),
        # The original is a target but the file lacks it, and every other target: wrong.
        (layout("ita"), ("en", "de"), True),
        # The original is no target: other languages only are wrong, as before.
        (layout("eng", "spa"), ("de",), True),
    ],
    ids=["eng-spa", "spa-eng", "ita-only", "original-not-a-target"],
)
def test_the_original_as_a_target_is_never_wrong(
    files: tuple[TrackSpec, ...], targets: tuple[str, ...], wrong: bool
) -> None:
    """tagging-rules.md: an English film with English and Spanish audio, targets English
    and German, gets no tag (not wrong-dub); with only Italian audio it is wrong."""
    (result,), verdict = judge((files,), "eng", targets)
    assert result.wrong is wrong
    assert (verdict.tag == Tag.WRONG_DUB) is wrong


def test_bad_target_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="xx-foo"):
        file_result((), "jpn", ["en", "xx-foo"], Policy())


def test_reasons_per_season_and_episode() -> None:
    tracks = tracks_of(layout("jpn", "eng"))
    japanese = tracks_of(layout("jpn", "fre"))
    results = [
        file_result(
            japanese, "jpn", ["en"], Policy(), path="Season 2/S02E01.mkv", season=2, episodes=(1,)
        ),
        FileResult.failed("S01E03.mkv", 1, (3,), "permission denied"),
        file_result(
            tracks,
            "jpn",
            ["en"],
            Policy(),
            path="Season 1/S01E01E02.mkv",
            season=1,
            episodes=(1, 2),
        ),
        file_result(tracks, "jpn", ["en"], Policy(), path="Extra.mkv"),
    ]
    verdict = item_verdict(results)
    assert verdict.tag is Tag.WRONG_DUB
    assert "\n" not in verdict.reasons["summary"]
    assert "French" in verdict.reasons["summary"]
    assert verdict.reasons["counted_files"] == 3
    assert verdict.reasons["error_files"] == 1
    assert verdict.reasons["original"] == "jpn"
    assert verdict.reasons["targets"] == ["eng"]
    seasons = verdict.reasons["seasons"]
    assert [season["season"] for season in seasons] == [1, 2, None]
    assert seasons[0]["files"] == [
        {
            "path": "Season 1/S01E01E02.mkv",
            "episodes": [1, 2],
            "languages": ["eng", "jpn"],
            "missing": [],
            "unexpected": [],
            "subtitles": [],
            "wrong": False,
            "error": None,
        },
        {
            "path": "S01E03.mkv",
            "episodes": [3],
            "languages": [],
            "missing": [],
            "unexpected": [],
            "subtitles": [],
            "wrong": False,
            "error": "permission denied",
        },
    ]
    assert seasons[1]["files"][0]["unexpected"] == ["fra"]
    assert seasons[1]["files"][0]["missing"] == ["eng"]
    assert json.loads(json.dumps(verdict.reasons)) == verdict.reasons


# Property tests, on tracks as probe() builds them.
LANGUAGES = ["jpn", "eng", "deu", "fra", "spa", "und", None]
track_specs = st.tuples(st.sampled_from(LANGUAGES), st.booleans())  # (language, commentary)
file_specs = st.lists(track_specs, max_size=4)


def build_tracks(specs: Sequence[tuple[str | None, bool]]) -> tuple[AudioTrack, ...]:
    return tuple(
        make_track(position, language, "Commentary" if commentary else None)
        for position, (language, commentary) in enumerate(specs, start=1)
    )


def verdict_of(
    files: Sequence[Sequence[tuple[str | None, bool]]],
    original: str | None,
    targets: Sequence[str],
    policy: Policy,
) -> Verdict:
    return item_verdict(
        file_result(
            build_tracks(specs),
            original,
            targets,
            policy,
            path=f"E{index:02d}.mkv",
            season=1,
            episodes=(index,),
        )
        for index, specs in enumerate(files, start=1)
    )


# Ranking of tags from worst to best for someone who wants the targets: a
# wrong dub is worse than no dub (it hides that something is off), no dub is
# worse than a partial one, a partial one worse than a full dub. None ("keep
# the current tags") only happens without readable files and is unranked.
RANK = {Tag.WRONG_DUB: 0, Tag.NONE: 1, Tag.SEMI_DUB: 2, Tag.DUB: 3}

originals = st.sampled_from(["jpn", "eng", "fra", None])
target_sets = st.lists(st.sampled_from(["eng", "deu", "spa"]), min_size=1, max_size=2, unique=True)
policies = st.builds(
    Policy,
    unknown_first_track=st.sampled_from(["original", "ignore"]),
    allowed_extras=st.frozensets(st.sampled_from(["fra", "spa"]), max_size=1),
)


@given(
    files=st.lists(file_specs, min_size=1, max_size=5),
    original=originals,
    targets=target_sets,
    policy=policies,
    data=st.data(),
)
def test_adding_a_target_track_never_makes_the_tag_worse(
    files: list[list[tuple[str | None, bool]]],
    original: str | None,
    targets: list[str],
    policy: Policy,
    data: st.DataObject,
) -> None:
    before = verdict_of(files, original, targets, policy).tag
    which = data.draw(st.integers(0, len(files) - 1), label="file")
    where = data.draw(st.integers(0, len(files[which])), label="position")
    language = data.draw(st.sampled_from(targets), label="target")
    changed = [list(specs) for specs in files]
    changed[which].insert(where, (language, False))
    after = verdict_of(changed, original, targets, policy).tag
    assert before is not None and after is not None
    assert RANK[after] >= RANK[before]


@given(
    files=st.lists(st.one_of(file_specs, st.just("error")), min_size=0, max_size=6),
    original=originals,
    targets=target_sets,
    policy=policies,
    seed=st.randoms(use_true_random=False),
)
def test_verdict_does_not_depend_on_file_order(
    files: list[list[tuple[str | None, bool]] | str],
    original: str | None,
    targets: list[str],
    policy: Policy,
    seed: random.Random,
) -> None:
    results = [
        FileResult.failed(f"E{index:02d}.mkv", 1, (index,), "corrupt")
        if specs == "error"
        else file_result(
            build_tracks(specs),
            original,
            targets,
            policy,
            path=f"E{index:02d}.mkv",
            season=1 + index % 2,
            episodes=(index,),
        )
        for index, specs in enumerate(files, start=1)
    ]
    shuffled = list(results)
    seed.shuffle(shuffled)
    assert item_verdict(shuffled) == item_verdict(results)


def test_a_result_for_another_file_is_that_files_own_judgment() -> None:
    tracks = (make_track(1, "eng", None), make_track(2, "ger", None))
    subtitles = (make_subtitle(1, "fre"),)

    def judged(path: str, season: int | None, episodes: tuple[int, ...]) -> FileResult:
        return file_result(
            tracks, "eng", ["de", "fr"], Policy(), path=path, season=season,
            episodes=episodes, subtitles=subtitles,
        )  # fmt: skip

    assert judged("a", 1, (1,)).for_file("b", 2, (3, 4)) == judged("b", 2, (3, 4))
    failed = FileResult.failed("a", 1, (1,), "unreadable")
    assert failed.for_file("b", None, ()) == FileResult.failed("b", None, (), "unreadable")
