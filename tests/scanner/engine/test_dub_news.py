"""Dub arrivals and losses from the verdict's reasons, as tables of cases."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.engine.dub_news import (
    ARRIVED,
    LOST,
    Replacement,
    changes,
    describe,
    episode_list,
    merged,
    snapshot,
)

GERMAN = "deu"


def _file(path: str, episodes: list[int], missing: list[str], error: str | None = None) -> dict:
    return {"path": path, "episodes": episodes, "missing": missing, "error": error}


def _reasons(seasons: dict[int | None, list[dict]], targets: list[str] | None = None) -> dict:
    return {
        "targets": targets if targets is not None else [GERMAN],
        "seasons": [{"season": number, "files": files} for number, files in seasons.items()],
    }


def _episode(season: int, episode: int, *, german: bool, tag: str = "") -> dict[str, Any]:
    name = f"Season {season:02d}/Show - S{season:02d}E{episode:02d}{tag}.mkv"
    return _file(name, [episode], [] if german else [GERMAN])


def _series(**seasons: list[bool]) -> dict:
    """_series(s1=[True, False]): season 1 with E01 German, E02 not."""
    return _reasons(
        {
            int(key[1:]): [
                _episode(int(key[1:]), number, german=german)
                for number, german in enumerate(flags, start=1)
            ]
            for key, flags in seasons.items()
        }
    )


def _news(before: dict, after: dict, *, movie: bool = False) -> list:
    return changes(snapshot(before, movie=movie), snapshot(after, movie=movie))


def test_a_first_look_is_no_news() -> None:
    assert changes(None, snapshot(_series(s1=[True, True]), movie=False)) == []


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
    before = _reasons({1: [_episode(1, 1, german=True, tag=" WEBDL"), _episode(1, 2, german=True)]})
    after = _reasons(
        {1: [_episode(1, 1, german=False, tag=" Bluray"), _episode(1, 2, german=True)]}
    )
    (change,) = _news(before, after)
    assert (change.kind, change.season, change.episodes) == (LOST, 1, (1,))
    old, new = "Season 01/Show - S01E01 WEBDL.mkv", "Season 01/Show - S01E01 Bluray.mkv"
    assert change.files == (Replacement(1, old, new),)
    assert describe(change, "Show") == f"Show: German lost in S01E01: {old} replaced by {new}"


def test_a_movie_now_dubbed_and_a_movie_upgraded_without_its_dub() -> None:
    undubbed = _reasons({None: [_file("Film (2020).mkv", [], [GERMAN])]})
    dubbed = _reasons({None: [_file("Film (2020) German DL.mkv", [], [])]})
    (arrival,) = _news(undubbed, dubbed, movie=True)
    assert (arrival.kind, arrival.season, arrival.episodes) == (ARRIVED, None, ())
    assert describe(arrival, "Film") == "Film: German arrived"
    (loss,) = _news(dubbed, undubbed, movie=True)
    assert loss.files == (Replacement(None, "Film (2020) German DL.mkv", "Film (2020).mkv"),)


def test_a_deleted_episode_is_no_loss_but_its_next_file_without_the_dub_is() -> None:
    full = snapshot(_series(s1=[True, True]), movie=False)
    deleted = snapshot(_series(s1=[True]), movie=False)
    assert changes(full, deleted) == []
    kept = merged(full, deleted)
    (loss,) = changes(kept, snapshot(_series(s1=[True, False]), movie=False))
    assert (loss.kind, loss.episodes) == (LOST, (2,))


def test_unreadable_files_and_a_new_target_are_no_news() -> None:
    before = _series(s1=[True, False])
    unreadable = _reasons({1: [_episode(1, 1, german=True), _file("x.mkv", [2], [], "corrupt")]})
    assert _news(before, unreadable) == []
    french = _reasons({1: [_episode(1, 1, german=True), _episode(1, 2, german=False)]})
    french["targets"] = [GERMAN, "fra"]  # French added: every file lacks it, nothing lost
    assert _news(before, french) == []


def test_a_double_episode_file_is_named_once() -> None:
    before = _reasons({1: [_file("Season 01/Show - S01E01-E02.mkv", [1, 2], [GERMAN])]})
    after = _reasons({1: [_file("Season 01/Show - S01E01-E02.mkv", [1, 2], [])]})
    (change,) = _news(before, after)
    assert change.episodes == (1, 2)
    assert len(change.files) == 1


def test_two_languages_are_two_changes() -> None:
    targets = [GERMAN, "fra"]
    before = _reasons({1: [_file("a.mkv", [1], targets)]}, targets)
    after = _reasons({1: [_file("a.mkv", [1], [])]}, targets)
    assert [(c.kind, c.language) for c in _news(before, after)] == [
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
