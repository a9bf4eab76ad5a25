"""The fake Plex's share filters (fakes/plex/sharing.py): a managed user's token lists
what its label restrictions let through, in the form python-plexapi writes them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from plexapi.exceptions import NotFound
from plexapi.myplex import MyPlexAccount
from plexapi.server import PlexServer

from fakes.plex import FakePlex
from fakes.plex.sharing import filter_string, passes

TOKEN = "fake-plex-owner-7e6d5c"
KID = "fake-plex-kid-1a2b3c"


@pytest.fixture
def fake() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as server:
        state = server.state
        state.add_section("1", "TV Shows", "show", ["/tv"])
        state.add_section("2", "Movies", "movie", ["/movies"])
        dubbed = state.add_item("1", "Dubbed", "/tv/Dubbed", labels=["DUB-DE", "favourite"])
        half = state.add_item("1", "Half", "/tv/Half", labels=["semi-dub-de"])
        for show in (dubbed, half):
            for index in (1, 2):
                state.add_episode(show.rating_key, 1, index)
        state.add_item("2", "Film", "/movies/Film/Film.mkv", labels=["dub-de"])
        state.add_item("2", "Other Film", "/movies/Other/Other.mkv")
        yield server


@pytest.mark.parametrize(
    "filters",
    [{"label": ["dub-de"]}, {"label": ["dub-de", "dub-fr"], "label!": ["scary"]}, {}],
)
def test_the_filter_is_written_as_plexapi_writes_it(filters: dict[str, list[str]]) -> None:
    assert filter_string(filters) == MyPlexAccount._filterDictToStr(None, filters)  # type: ignore[arg-type]


def test_allow_only_and_exclude_labels_ignore_case() -> None:
    assert passes("label=dub-de%2Cdub-fr", ["Dub-FR"])
    assert not passes("label=dub-de", ["semi-dub-de"])
    assert not passes("label=dub-de|label!=scary", ["dub-de", "SCARY"])
    assert passes("", [])
    with pytest.raises(ValueError, match="not played"):
        passes("contentRating=G", [])


def test_a_managed_user_lists_only_the_shows_and_films_its_labels_allow(fake: FakePlex) -> None:
    fake.state.add_user(
        "Kid", KID, filter_movies={"label": ["dub-de"]}, filter_television={"label": ["dub-de"]}
    )
    kid = PlexServer(fake.url, KID, timeout=5)
    owner = PlexServer(fake.url, TOKEN, timeout=5)

    shows = kid.library.section("TV Shows").all()

    assert [show.title for show in shows] == ["Dubbed"]
    assert [film.title for film in kid.library.section("Movies").all()] == ["Film"]
    assert [e.title for e in shows[0].episodes()] == ["Dubbed S01E01", "Dubbed S01E02"]
    half = next(item for item in fake.state.items() if item.title == "Half")
    assert len(owner.fetchItem(half.rating_key).episodes()) == 2
    with pytest.raises(NotFound):
        kid.fetchItem(half.rating_key)
    with pytest.raises(NotFound):
        kid.fetchItems(f"/library/metadata/{half.rating_key}/allLeaves")


def test_an_exclude_filter_hides_only_what_it_names(fake: FakePlex) -> None:
    fake.state.add_user("Teen", KID, filter_television={"label!": ["semi-dub-de"]})
    kid = PlexServer(fake.url, KID, timeout=5)

    assert [show.title for show in kid.library.section("TV Shows").all()] == ["Dubbed"]
    assert len(kid.library.section("Movies").all()) == 2  # no movie filter


def test_a_user_token_changes_nothing(fake: FakePlex) -> None:
    fake.state.add_user("Kid", KID, filter_television={"label": ["dub-de"]})
    key = fake.state.items("1")[0].rating_key

    answer = requests.put(
        f"{fake.url}/library/sections/1/all",
        params={"type": 2, "id": key, "label[0].tag.tag": "dub-de"},
        headers={"X-Plex-Token": KID},
        timeout=5,
    )

    assert answer.status_code == 401
    assert fake.state.edits() == []
