"""Dub arrivals and losses from the files' tracks, as tables of cases."""

from __future__ import annotations

import pytest

from scanner.engine.dub_news import (
    ARRIVED,
    LOST,
    MOVIE_KEY,
    Comparison,
    Correction,
    Hearing,
    Replacement,
    SeenFile,
    audio_tracks,
    changes,
    compare,
    describe,
    episode_list,
    from_version_1,
    merged,
    seen_audio,
    snapshot,
)
from scanner.engine.dub_news import hearing as news_hearing
from scanner.engine.verdict import Policy

GERMAN = "deu"
JAPANESE = "jpn"


def hearing(targets: list[str], original: str | None = JAPANESE) -> Hearing:
    """The engine's judgement of a file's audio, as the pipeline asks it."""
    return news_hearing(targets, original, Policy())


GERMAN_ONLY = hearing([GERMAN])


def _file(path: str, episodes: list[int], languages: list[str | None], season: int | None = 1):
    return SeenFile(path, season, tuple(episodes), tuple((code, False) for code in languages))


def _episode(season: int, episode: int, *, german: bool, tag: str = "") -> SeenFile:
    name = f"Season {season:02d}/Show - S{season:02d}E{episode:02d}{tag}.mkv"
    return _file(name, [episode], [JAPANESE, GERMAN] if german else [JAPANESE], season)


def _series(**seasons: list[bool]) -> list[SeenFile]:
    """_series(s1=[True, False]): season 1 with E01 German, E02 not."""
    return [
        _episode(int(key[1:]), number, german=german)
        for key, flags in seasons.items()
        for number, german in enumerate(flags, start=1)
    ]


def _news(before: list[SeenFile], after: list[SeenFile], *, movie: bool = False, heard=None):
    return changes(
        snapshot(before, movie=movie), snapshot(after, movie=movie), heard or GERMAN_ONLY
    )


def test_a_first_look_is_no_news() -> None:
    assert changes(None, snapshot(_series(s1=[True, True]), movie=False), GERMAN_ONLY) == []


def test_nothing_changed_is_no_news() -> None:
    assert _news(_series(s1=[True, False]), _series(s1=[True, False])) == []


def test_the_german_files_of_a_season_arrive_as_one_change() -> None:
    (change,) = _news(
        _series(s1=[True], s2=[False, False, False]), _series(s1=[True], s2=[True] * 3)
    )
    assert (change.kind, change.language, change.season) == (ARRIVED, GERMAN, 2)
    assert change.episodes == (1, 2, 3)
    assert change.season_complete
    assert describe(change, "Show") == "Show: German arrived in S02E01-E03 (season 2 now complete)"


def test_new_episodes_with_the_target_arrive_and_without_it_are_no_news() -> None:
    before = _series(s1=[False, False])
    after = _series(s1=[False, False, True, False])
    (change,) = _news(before, after)
    assert (change.kind, change.episodes, change.season_complete) == (ARRIVED, (3,), False)
    assert change.files == (Replacement(3, None, "Season 01/Show - S01E03.mkv"),)


def test_an_upgrade_without_the_target_is_a_loss_with_both_file_names() -> None:
    before = [_episode(1, 1, german=True, tag=" WEBDL"), _episode(1, 2, german=True)]
    after = [_episode(1, 1, german=False, tag=" Bluray"), _episode(1, 2, german=True)]
    (change,) = _news(before, after)
    assert (change.kind, change.season, change.episodes) == (LOST, 1, (1,))
    old, new = "Season 01/Show - S01E01 WEBDL.mkv", "Season 01/Show - S01E01 Bluray.mkv"
    assert change.files == (Replacement(1, old, new),)
    assert describe(change, "Show") == f"Show: German lost in S01E01: {old} replaced by {new}"


def test_a_movie_now_dubbed_and_a_movie_upgraded_without_its_dub() -> None:
    undubbed = [_file("Film (2020).mkv", [], [JAPANESE], None)]
    dubbed = [_file("Film (2020) German DL.mkv", [], [JAPANESE, GERMAN], None)]
    (arrival,) = _news(undubbed, dubbed, movie=True)
    assert (arrival.kind, arrival.season, arrival.episodes) == (ARRIVED, None, ())
    assert describe(arrival, "Film") == "Film: German arrived"
    (loss,) = _news(dubbed, undubbed, movie=True)
    assert loss.files == (Replacement(None, "Film (2020) German DL.mkv", "Film (2020).mkv"),)


def test_a_deleted_episode_is_no_loss_but_its_next_file_without_the_dub_is() -> None:
    full = snapshot(_series(s1=[True, True]), movie=False)
    deleted = snapshot(_series(s1=[True]), movie=False)
    assert changes(full, deleted, GERMAN_ONLY) == []
    kept = merged(full, deleted)
    (loss,) = changes(kept, snapshot(_series(s1=[True, False]), movie=False), GERMAN_ONLY)
    assert (loss.kind, loss.episodes) == (LOST, (2,))


def test_a_new_target_is_no_news_and_an_unreadable_file_is_not_in_a_snapshot() -> None:
    before = _series(s1=[True, False])
    # French added: both sides judged against it, every file lacks it, nothing lost.
    assert _news(before, before, heard=hearing([GERMAN, "fra"])) == []
    assert snapshot([], movie=False) is None  # no readable file: nothing known


def test_a_decision_judges_both_sides_alike() -> None:
    """A person naming the unknown tracks' language (or the original) changes what both
    the last news and today's files are taken to say: no news, none swallowed."""
    unlabelled = [_file("Season 01/Show - S01E01.mkv", [1], [JAPANESE, None])]
    as_german = hearing([GERMAN])
    german_for_unknown = lambda audio: as_german(  # noqa: E731
        tuple((code or GERMAN, *rest) for code, *rest in audio)
    )
    assert _news(unlabelled, unlabelled, heard=german_for_unknown) == []
    french_too = [_file("Season 01/Show - S01E01.mkv", [1], [JAPANESE, None, "fra"])]
    (arrival,) = _news(unlabelled, french_too, heard=hearing([GERMAN, "fra"]))
    assert (arrival.kind, arrival.language) == (ARRIVED, "fra")


def test_the_original_as_first_unknown_track_and_commentary_follow_the_rules() -> None:
    """tagging-rules.md, "Audio tracks of one file": an unlabelled first track is the
    original; a commentary track is not programme audio."""
    tracks = audio_tracks(((None, False), (GERMAN, True)))
    assert seen_audio(tracks) == ((None, False, None), (GERMAN, True, None))
    # The unlabelled first track is the original, Japanese, which is no target of a
    # Japanese item (the rules' targets are the target languages minus the original);
    # the German commentary is no German.
    assert hearing([GERMAN, JAPANESE])(seen_audio(tracks)) == frozenset()
    assert hearing([GERMAN, JAPANESE])(((None, False), (GERMAN, False))) == {GERMAN}


def test_an_original_among_the_targets_is_no_news() -> None:
    """A German series, targets German and French: German is no target of the item
    (tagging-rules.md: the targets minus the original), so a new episode with only
    Japanese audio is no "German arrived"; a French one is French news."""
    before = [_file(f"Show - S01E{n:02d}.mkv", [n], [GERMAN]) for n in (1, 2)]
    after = [
        *before,
        _file("Show - S01E03.mkv", [3], [GERMAN, "fra"]),
        _file("Show - S01E04.mkv", [4], [JAPANESE]),
    ]
    (change,) = _news(before, after, heard=hearing(["de", "fr"], original="de"))
    assert describe(change, "Show") == "Show: French arrived in S01E03"


def test_a_version_1_snapshot_is_judged_as_it_was() -> None:
    old = {"targets": [GERMAN], "files": {"1:1": ["a.mkv", [GERMAN]], "1:2": ["b.mkv", []]}}
    converted = from_version_1(old)
    after = snapshot(
        [_file("a.mkv", [1], [JAPANESE, GERMAN]), _file("b.mkv", [2], [GERMAN])], movie=False
    )
    (arrival,) = changes(converted, after, GERMAN_ONLY)
    assert (arrival.kind, arrival.episodes) == (ARRIVED, (2,))


def test_a_double_episode_file_is_named_once() -> None:
    before = [_file("Season 01/Show - S01E01-E02.mkv", [1, 2], [JAPANESE])]
    after = [_file("Season 01/Show - S01E01-E02.mkv", [1, 2], [JAPANESE, GERMAN])]
    (change,) = _news(before, after)
    assert change.episodes == (1, 2)
    assert len(change.files) == 1


def test_two_languages_are_two_changes() -> None:
    targets = [GERMAN, "fra"]
    before = [_file("a.mkv", [1], [JAPANESE])]
    after = [_file("a.mkv", [1], [JAPANESE, *targets])]
    assert [(c.kind, c.language) for c in _news(before, after, heard=hearing(targets))] == [
        (ARRIVED, GERMAN),
        (ARRIVED, "fra"),
    ]


@pytest.mark.parametrize(
    ("season", "episodes", "shown"),
    [
        (1, [1, 2, 3, 5], "S01E01-E03, S01E05"),
        (12, [7], "S12E07"),
        (2, [], "season 2"),
        (None, [], ""),
    ],
)
def test_episode_lists(season: int | None, episodes: list[int], shown: str) -> None:
    assert episode_list(season, episodes) == shown


# Regional targets (issue 60): a snapshot keeps each track's variety (version 3).
ENGLISH = "eng"
QUEBEC = hearing(["fr-CA"], original=ENGLISH)


def _film(*tracks: tuple[str | None, bool, str | None]) -> SeenFile:
    return SeenFile("Film (2020)/Film.mkv", None, (), tuple(tracks))


VFF = ("fra", False, "fr-FR")
VFQ = ("fra", False, "fr-CA")
ORIGINAL = (ENGLISH, False, None)


def test_a_vfq_track_arriving_on_a_vff_only_film_is_news_of_its_variety() -> None:
    """tagging-rules.md, "Regional targets": a fr-CA target is met only by a track known
    to be Quebec French; a VFF-only film has French but not fr-CA."""
    before = snapshot([_film(ORIGINAL, VFF)], movie=True)
    after = snapshot([_film(ORIGINAL, VFF, VFQ)], movie=True)
    (arrival,) = changes(before, after, QUEBEC)
    assert (arrival.kind, arrival.language) == (ARRIVED, "fr-CA")
    assert describe(arrival, "Film") == "Film: French (fr-CA) arrived"
    # And its loss, when the file is replaced by a VFF-only one.
    (loss,) = changes(after, before, QUEBEC)
    assert (loss.kind, loss.language) == (LOST, "fr-CA")


def test_a_snapshot_without_varieties_makes_no_regional_news() -> None:
    """A version 2 snapshot kept no variety: its French track was of unknown variety,
    not VFF, so the first look with varieties tells nothing of fr-CA; a plain target's
    news is told as before, and the variety is news from then on."""
    old = {
        "v": 2,
        "files": {MOVIE_KEY: ["Film (2020)/Film.mkv", [[ENGLISH, False], ["fra", False]]]},
    }
    now = snapshot([_film(ORIGINAL, VFQ, ("deu", False, None))], movie=True)
    both = hearing(["fr-CA", GERMAN], original=ENGLISH)
    assert [(c.kind, c.language) for c in changes(old, now, both)] == [(ARRIVED, GERMAN)]
    kept = merged(old, now)
    assert kept["v"] == 3
    assert changes(kept, snapshot([_film(ORIGINAL, VFF)], movie=True), QUEBEC)[0].kind == LOST


def test_lat_is_latino_in_the_news_as_in_the_verdict() -> None:
    """The instance's option (tagging-rules.md, "Varieties"): a track coded lat is
    Latin-American Spanish, so it meets an es-419 target in the news too."""
    before = snapshot([_film(ORIGINAL)], movie=True)
    after = snapshot([_film(ORIGINAL, ("lat", False, None))], movie=True)
    latino = news_hearing(["es-419"], ENGLISH, Policy(), lat_is_latino=True)
    assert [(c.kind, c.language) for c in changes(before, after, latino)] == [(ARRIVED, "es-419")]
    assert changes(before, after, news_hearing(["es-419"], ENGLISH, Policy())) == []


def test_a_file_replaced_under_the_same_name_is_a_new_file_with_both_sizes() -> None:
    """Issue 61: not "X.mkv replaced by X.mkv": the snapshot keeps each file's size, so a
    loss under the same name tells the new file's size against the old one's."""
    name = "Season 01/Show - S01E01.mkv"
    before = [SeenFile(name, 1, (1,), ((JAPANESE, False), (GERMAN, False)), 2_254_857_830)]
    after = [SeenFile(name, 1, (1,), ((JAPANESE, False),), 1_503_238_553)]
    (change,) = _news(before, after)
    assert change.files == (Replacement(1, name, name, 2_254_857_830, 1_503_238_553),)
    assert change.to_data()["files"][0]["old_size"] == 2_254_857_830
    assert (
        describe(change, "Show")
        == f"Show: German lost in S01E01: {name}: a new file (2.1 GB -> 1.4 GB)"
    )


# Issue 68: only a change on disk is news; the same file judged otherwise is a correction.
NAME = "Season 01/Show - S01E01.mkv"
SIZE = 1_503_238_553
UNKNOWN_FRENCH = ("fra", False, None)


def _quebec(audio: tuple, size: int | None = SIZE, modified: int | None = None) -> SeenFile:
    return SeenFile(NAME, 1, (1,), (ORIGINAL, *audio), size, modified)


@pytest.mark.parametrize(
    ("before", "after", "news", "read"),
    [
        # The *arr's word (no time of the file's), then the file read: learned, no news.
        (_quebec((UNKNOWN_FRENCH,)), _quebec((VFQ,), modified=7), [], True),
        # Both read from the file, the same time: judged again (rules, a re-read).
        (_quebec((UNKNOWN_FRENCH,), modified=7), _quebec((VFQ,), modified=7), [], False),
        # The *arr's word both times (its media info analysed again): judged again.
        (_quebec((VFQ,)), _quebec((VFF,)), [], False),
        # Read from the file both times, another time: changed on disk (same size).
        (_quebec((UNKNOWN_FRENCH,), modified=7), _quebec((VFQ,), modified=9), [ARRIVED], None),
        # Another size: another file under the same name.
        (_quebec((VFQ,)), _quebec((), size=SIZE + 1), [LOST], None),
        # No sizes kept (before issue 61): it cannot tell, so it tells.
        (_quebec((UNKNOWN_FRENCH,), size=None), _quebec((VFQ,), size=None), [ARRIVED], None),
    ],
)
def test_only_a_file_changed_on_disk_is_news(
    before: SeenFile, after: SeenFile, news: list[str], read: bool | None
) -> None:
    found = compare(snapshot([before], movie=False), snapshot([after], movie=False), QUEBEC)
    assert [change.kind for change in found.changes] == news
    assert [each.read for each in found.corrections] == ([] if read is None else [read])
    if found.corrections:
        assert found.corrections[0] == Correction(NAME, ("fr-CA",), read)


def test_a_corrected_snapshot_is_what_the_next_change_is_told_against() -> None:
    """The correction is kept: the file later replaced by a VFF-only one is a loss of
    the fr-CA it was corrected to, and a correction back is no news either way."""
    told = snapshot([_quebec((UNKNOWN_FRENCH,))], movie=False)
    read = snapshot([_quebec((VFQ,), modified=7)], movie=False)
    assert compare(told, read, QUEBEC).changes == ()
    kept = merged(told, read)
    assert kept["files"]["1:1"] == [NAME, [list(ORIGINAL), list(VFQ)], SIZE, 7]
    replaced = snapshot([_quebec((VFF,), size=SIZE - 10, modified=9)], movie=False)
    (loss,) = changes(kept, replaced, QUEBEC)
    assert (loss.kind, loss.language) == (LOST, "fr-CA")


def test_a_snapshot_without_times_is_read_as_before() -> None:
    """Entries of two and three elements (before issues 61 and 68) stay readable."""
    old = {"v": 3, "files": {"1:1": [NAME, [list(ORIGINAL)], SIZE]}}
    now = snapshot([_quebec((VFQ,), modified=7)], movie=False)
    assert compare(old, now, QUEBEC) == Comparison((), (Correction(NAME, ("fr-CA",), True),))
    older = {"v": 3, "files": {"1:1": [NAME, [list(ORIGINAL)]]}}
    assert [c.kind for c in changes(older, now, QUEBEC)] == [ARRIVED]
