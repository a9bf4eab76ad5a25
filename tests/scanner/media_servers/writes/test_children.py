"""Issue 62: "Only dubbed for the children" (README). With per-language tags on and
German the target, Sonarr's and Radarr's scans write ``dub-de`` where each server's
parental control reads it: a Jellyfin user allowed only items tagged ``dub-de``
(*Parental control → Allow items with tags*, from 10.9) and a Plex managed user
restricted to the label ``dub-de`` (*Restrictions → Allow only labels*) list exactly
the dubbed series and films, and every episode of the dubbed series, and nothing of
the half-dubbed or undubbed ones. The fakes filter as the real servers do
(fakes/jellyfin/parental.py, fakes/plex/sharing.py), release by release: on Jellyfin
10.9 and 10.10 an episode counts only its own tags, so an episode the server adds
after the series got its tag stays hidden until the tag is written again (the
limitation the README states, and its way out: the tag removed in Jellyfin's editor,
written back by the next scan); 10.11 and 12 read the series' tags too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from plexapi.server import PlexServer

from fakes.arr import FakeArr
from fakes.jellyfin import FakeJellyfin, build_library, build_movie, build_seasons, build_series
from fakes.jellyfin.state import USER_ID
from fakes.plex import FakePlex
from scanner.models import Instance, ScanRun
from tests.factories import InstanceFactory
from tests.helpers import ARR_KEY, SERVER_TOKEN, scan_inline
from tests.library import REMOTE_MOVIES, REMOTE_TV, Library, Movie, Show, build_movies, build_tv
from tests.media import MediaFactory
from tests.scanner.media_servers.writes.server_library import HD, TV, connect

pytestmark = pytest.mark.django_db(transaction=True)

# ``expected``: the tags with target German (per-language tag in brackets).
SHOWS = (
    Show("Dubbed Cartoon", "Japanese", {1: [("jpn", "ger")] * 2, 2: [("jpn", "ger")] * 2}, "dub"),
    Show("Half Cartoon", "Japanese", {1: [("jpn", "ger")] * 2, 2: [("jpn",)] * 2}, "semi-dub"),
    Show("Original Cartoon", "Japanese", {1: [("jpn",)] * 2}, "none"),
)
MOVIES = (
    Movie("Dubbed Film", "French", ("fre", "ger"), "dub"),
    Movie("Original Film", "French", ("fre",), "none"),
)
DUBBED = ["Dubbed Cartoon", "Dubbed Film"]
KID_TOKEN = "kid-plex-token-0a1b2c3d"
# Whether a Jellyfin release shows the kid an episode added after the series' tag was
# written (parental.py: 10.10 counts an episode's own tags only).
NEW_EPISODE_SEEN = {"10.10.7": False, "10.11.11": True, "12.0.0": True}


@pytest.fixture
def tv_library(tmp_path: Path, media: MediaFactory) -> Library:
    return build_tv(tmp_path / "tv", media, SHOWS)


@pytest.fixture
def movie_library(tmp_path: Path, media: MediaFactory) -> Library:
    return build_movies(tmp_path / "movies", media, MOVIES)


def _german(kind: str, arr: FakeArr, library: Library, remote: str) -> Instance:
    return InstanceFactory(
        name=kind,
        kind=kind,
        url=arr.url,
        api_key=ARR_KEY,
        root_folders=[str(library.root)],
        path_mappings=[{"remote": remote, "local": str(library.root)}],
        target_languages=["ger"],
        language_tags=True,
        audio_source=Instance.AudioSource.FILES,
    )


@pytest.fixture
def instances(
    db: None, sonarr: FakeArr, radarr: FakeArr, tv_library: Library, movie_library: Library
) -> tuple[Instance, Instance]:
    return (
        _german(Instance.Kind.SONARR, sonarr, tv_library, REMOTE_TV),
        _german(Instance.Kind.RADARR, radarr, movie_library, REMOTE_MOVIES),
    )


def _scan(instances: tuple[Instance, ...]) -> None:
    runs = [scan_inline(instance) for instance in instances]
    assert [r.status for r in runs] == [ScanRun.Status.SUCCEEDED] * len(runs), [
        r.error for r in runs
    ]


# -- Jellyfin ---------------------------------------------------------------------


def _jellyfin_items() -> list[dict[str, Any]]:
    """The series (with as many seasons as their files, two episodes each) and films,
    with no tags yet, as Jellyfin holds them before the first scan."""
    items: list[dict[str, Any]] = []
    for number, show in enumerate(SHOWS, start=1):
        series = build_series(
            f"s{number}",
            show.title,
            f"{TV}/{show.title}",
            ProviderIds={"Tvdb": str(100000 + number)},
        )
        seasons = len(show.seasons)
        items += [series, *build_seasons(series, seasons=seasons, episodes=2)]
    for number, movie in enumerate(MOVIES, start=1):
        path = f"{HD}/{movie.title} (2020)/{movie.title} (2020).mkv"
        items.append(
            build_movie(
                f"m{number}",
                movie.title,
                path,
                library="hd",
                ProviderIds={"Tmdb": str(200000 + number)},
            )
        )
    return items


@pytest.fixture(params=sorted(NEW_EPISODE_SEEN))
def jellyfin(request: pytest.FixtureRequest) -> Iterator[FakeJellyfin]:
    libraries = (
        build_library("TV Shows", "tv", "tvshows", [TV]),
        build_library("Movies", "hd", "movies", [HD]),
    )
    items = _jellyfin_items()
    with FakeJellyfin(
        token=SERVER_TOKEN, items=items, libraries=libraries, version=request.param
    ) as fake:
        yield fake


_JELLYFIN_AUTH = {"Authorization": f'MediaBrowser Client="test", Token="{SERVER_TOKEN}"'}


def _jellyfin_get(fake: FakeJellyfin, route: str, **params: str) -> Any:
    answer = requests.get(f"{fake.url}{route}", params=params, headers=_JELLYFIN_AUTH, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _kid_sees(fake: FakeJellyfin, kid: str) -> tuple[list[str], dict[str, list[str]]]:
    """The series and films the kid lists, and each series' episodes the kid gets."""
    listed = _jellyfin_get(
        fake, "/Items", userId=kid, IncludeItemTypes="Series,Movie", Recursive="true"
    )
    names = sorted(item["Name"] for item in listed["Items"])
    episodes = {}
    for series in (item for item in fake.state.items() if item["Type"] == "Series"):
        found = _jellyfin_get(fake, f"/Shows/{series['Id']}/Episodes", userId=kid)
        episodes[series["Name"]] = [item["Name"] for item in found["Items"]]
    return names, episodes


def test_a_jellyfin_user_allowed_only_dub_de_sees_exactly_the_dubbed_items_and_their_episodes(
    jellyfin: FakeJellyfin,
    instances: tuple[Instance, Instance],
    tv_library: Library,
    movie_library: Library,
) -> None:
    kid = jellyfin.state.add_user("Kid", allowed_tags=["dub-de"])
    connect(jellyfin.url, "jellyfin", tv_library, movie_library, movie_library, *instances)

    _scan(instances)

    tags = jellyfin.state.tags()
    assert "dub-de" in tags["Dubbed Cartoon"] and "dub-de" in tags["Dubbed Film"]
    assert "semi-dub-de" in tags["Half Cartoon"] and "dub-de" not in tags["Half Cartoon"]
    names, episodes = _kid_sees(jellyfin, kid)
    assert names == DUBBED
    every = [c["Name"] for c in jellyfin.state.children("s1") if c["Type"] == "Episode"]
    assert episodes == {"Dubbed Cartoon": every, "Half Cartoon": [], "Original Cartoon": []}

    # The server imports a new episode of the dubbed series; the series' tags are the
    # same, so the next scan writes nothing, and 10.10 hides the new episode.
    season = jellyfin.state.item("s1-s2")
    jellyfin.state.add(
        {
            "Id": "s1-s2e3", "Name": "Dubbed Cartoon S02E03", "Type": "Episode",
            "Path": f"{season['Path']}/Dubbed Cartoon S02E03.mkv", "ParentId": "s1-s2",
            "SeasonId": "s1-s2", "SeriesId": "s1", "SeriesName": "Dubbed Cartoon",
            "IndexNumber": 3, "ParentIndexNumber": 2, "Tags": [], "LockedFields": [],
        }
    )  # fmt: skip
    jellyfin.state.reset_counters()
    _scan(instances)
    assert jellyfin.state.writes() == 0
    _, later = _kid_sees(jellyfin, kid)
    seen = "Dubbed Cartoon S02E03" in later["Dubbed Cartoon"]
    assert seen is NEW_EPISODE_SEEN[jellyfin.state.version]

    # The README's way on 10.10: the tag removed from the series in Jellyfin's editor
    # (the same POST, which takes it off the episodes too); the next scan writes it back
    # and Jellyfin copies it to every episode it has now.
    series = _jellyfin_get(jellyfin, f"/Users/{USER_ID}/Items/s1")
    series["Tags"] = [tag for tag in series["Tags"] if tag != "dub-de"]
    series.pop("Trickplay", None)
    edited = requests.post(
        f"{jellyfin.url}/Items/s1", json=series, headers=_JELLYFIN_AUTH, timeout=5
    )
    assert edited.status_code == 204
    _scan(instances)
    _, after = _kid_sees(jellyfin, kid)
    assert "Dubbed Cartoon S02E03" in after["Dubbed Cartoon"]


# -- Plex -------------------------------------------------------------------------


@pytest.fixture
def plex() -> Iterator[FakePlex]:
    with FakePlex(token=SERVER_TOKEN) as fake:
        state = fake.state
        state.add_section("1", "TV Shows", "show", [TV])
        state.add_section("2", "Movies", "movie", [HD])
        for number, show in enumerate(SHOWS, start=1):
            item = state.add_item(
                "1", show.title, f"{TV}/{show.title}", guids=[f"tvdb://{100000 + number}"]
            )
            for season, episodes in show.seasons.items():
                for index in range(1, len(episodes) + 1):
                    state.add_episode(item.rating_key, season, index)
        for number, movie in enumerate(MOVIES, start=1):
            path = f"{HD}/{movie.title} (2020)/{movie.title} (2020).mkv"
            state.add_item("2", movie.title, path, guids=[f"tmdb://{200000 + number}"])
        state.add_user(
            "Kid",
            KID_TOKEN,
            filter_movies={"label": ["dub-de"]},
            filter_television={"label": ["dub-de"]},
        )
        yield fake


def test_a_plex_managed_user_allowed_only_the_label_dub_de_sees_exactly_the_dubbed_items(
    plex: FakePlex,
    instances: tuple[Instance, Instance],
    tv_library: Library,
    movie_library: Library,
) -> None:
    connect(plex.url, "plex", tv_library, movie_library, movie_library, *instances)

    _scan(instances)

    # Read as the kid, through python-plexapi, as a Plex app would list them.
    kid = PlexServer(plex.url, KID_TOKEN, timeout=5)
    shows = kid.library.section("TV Shows").all()
    films = kid.library.section("Movies").all()
    assert sorted(item.title for item in [*shows, *films]) == DUBBED
    dubbed = {item.title: item for item in plex.state.items()}["Dubbed Cartoon"]
    assert [e.title for e in shows[0].episodes()] == [
        e.title for e in plex.state.episodes(dubbed.rating_key)
    ]
    assert len(plex.state.episodes(dubbed.rating_key)) == 4
    owner = PlexServer(plex.url, SERVER_TOKEN, timeout=5)
    assert len(owner.library.section("TV Shows").all()) == len(SHOWS)  # the filter is the kid's
