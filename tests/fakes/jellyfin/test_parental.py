"""The fake Jellyfin's parental tag limits over HTTP, release by release
(fakes/jellyfin/parental.py): which tags of an episode's season, series and ancestors
count, for the allowed and the blocked tags, and in which listing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fakes.jellyfin import FakeJellyfin, build_movie, build_seasons, build_series

TOKEN = "fake-jellyfin-parental-0a1b"
HEADERS = {"Authorization": f'MediaBrowser Client="test", Token="{TOKEN}"'}


def _library(series_tags: list[str], season_tags: list[str]) -> list[dict[str, Any]]:
    """One series of one season of two episodes, the episodes without tags of their own
    (added after any tag was copied), and a film tagged ``dub-de``."""
    series = build_series("s1", "Cartoon", "/media/tv/Cartoon", Tags=series_tags)
    children = build_seasons(series, seasons=1, episodes=2)
    for child in children:
        child["Tags"] = list(season_tags) if child["Type"] == "Season" else []
    film = build_movie("m1", "Film", "/movies/Film/Film.mkv", Tags=["Dub-DE"])
    return [series, *children, film]


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[FakeJellyfin] = []

    def start(version: str, items: list[dict[str, Any]]) -> FakeJellyfin:
        fake = FakeJellyfin(token=TOKEN, items=items, version=version).start()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.stop()


def _get(fake: FakeJellyfin, route: str, **params: str) -> Any:
    answer = requests.get(f"{fake.url}{route}", params=params, headers=HEADERS, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _names(fake: FakeJellyfin, user: str, types: str) -> list[str]:
    found = _get(fake, "/Items", userId=user, IncludeItemTypes=types, Recursive="true")
    return sorted(item["Name"] for item in found["Items"])


def _series_episodes(fake: FakeJellyfin, user: str) -> list[str]:
    return [item["Name"] for item in _get(fake, "/Shows/s1/Episodes", userId=user)["Items"]]


def test_allowed_tags_are_new_in_10_9_and_emby_tag_limits_are_not_played() -> None:
    with pytest.raises(ValueError, match=r"10\.8\.13 has no AllowedTags"):
        FakeJellyfin(token=TOKEN, version="10.8.13").state.add_user("Kid", allowed_tags=["x"])
    with pytest.raises(ValueError, match="not played"):
        FakeJellyfin(token=TOKEN, version="emby-4.9.0.22").state.add_user("K", blocked_tags=["x"])


def test_the_users_route_lists_the_policy_each_release_has(serve: Any) -> None:
    old, new = serve("10.8.13", []), serve("10.10.7", [])
    old.state.add_user("Kid", blocked_tags=["semi-dub-de"])
    new.state.add_user("Kid", allowed_tags=["dub-de"])

    old_kid = _get(old, "/Users")[1]["Policy"]
    new_kid = _get(new, "/Users")[1]["Policy"]

    assert old_kid["BlockedTags"] == ["semi-dub-de"] and "AllowedTags" not in old_kid
    assert new_kid["AllowedTags"] == ["dub-de"] and new_kid["IsAdministrator"] is False


@pytest.mark.parametrize(
    ("version", "series_episodes", "episodes_alone"),
    [
        # 10.10: own tags; an Episode-only query also reads the season's (ParentId).
        ("10.10.7", [], ["Cartoon S01E01", "Cartoon S01E02"]),
        ("10.11.11", ["Cartoon S01E01", "Cartoon S01E02"], ["Cartoon S01E01", "Cartoon S01E02"]),
        ("12.0.0", ["Cartoon S01E01", "Cartoon S01E02"], ["Cartoon S01E01", "Cartoon S01E02"]),
    ],
)
def test_an_episode_without_the_tag_of_its_tagged_series(
    serve: Any, version: str, series_episodes: list[str], episodes_alone: list[str]
) -> None:
    fake = serve(version, _library(series_tags=["dub-de"], season_tags=["dub-de"]))
    kid = fake.state.add_user("Kid", allowed_tags=["DUB-DE"])  # compared by clean value

    assert _names(fake, kid, "Series,Movie") == ["Cartoon", "Film"]
    assert _series_episodes(fake, kid) == series_episodes
    assert _names(fake, kid, "Episode") == episodes_alone
    assert len(_get(fake, "/Shows/s1/Episodes")["Items"]) == 2  # an API key: no limits


@pytest.mark.parametrize(("version", "seen"), [("10.11.11", False), ("12.0.0", True)])
def test_only_12_reads_the_tags_of_every_ancestor(serve: Any, version: str, seen: bool) -> None:
    fake = serve(version, _library(series_tags=[], season_tags=["dub-de"]))
    kid = fake.state.add_user("Kid", allowed_tags=["dub-de"])

    assert (_names(fake, kid, "Episode") == ["Cartoon S01E01", "Cartoon S01E02"]) is seen


@pytest.mark.parametrize(("version", "hidden"), [("10.10.7", False), ("10.11.11", True)])
def test_a_blocked_tag_of_the_series_hides_its_untagged_episodes_from_10_11(
    serve: Any, version: str, hidden: bool
) -> None:
    fake = serve(version, _library(series_tags=["semi-dub-de"], season_tags=[]))
    kid = fake.state.add_user("Kid", blocked_tags=["semi-dub-de"])

    assert _names(fake, kid, "Series,Movie") == ["Film"]
    assert (_names(fake, kid, "Episode") == []) is hidden


def test_an_unknown_series_has_no_episodes(serve: Any) -> None:
    fake = serve("12.0.0", _library(series_tags=[], season_tags=[]))
    answer = requests.get(f"{fake.url}/Shows/nothing/Episodes", headers=HEADERS, timeout=5)
    assert answer.status_code == 404
