"""Plex items of every agent: the ids Taggarr reads from new agents' Guid elements and
from the one guid of legacy, HAMA and XBMCnfo items, and the ids it cannot read (kept
on the item, so that a connection test says why it matches by folder only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.plex import FakePlex, agent_guid
from fakes.plex.agents import HAMA, THETVDB, XBMCNFO, XBMCNFO_TV
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_guids import provider_ids

TOKEN = "plex-5ecret-t0ken-9a8b7c6d5e"


@pytest.mark.parametrize(
    ("guid", "ids", "unread"),
    [
        ("com.plexapp.agents.thetvdb://81189/1/2?lang=en", {"tvdb": "81189"}, ""),
        ("com.plexapp.agents.hama://tvdb-81189?lang=en", {"tvdb": "81189"}, ""),
        ("com.plexapp.agents.hama://tvdb3-81189/1/1?lang=en", {"tvdb": "81189"}, ""),
        ("com.plexapp.agents.hama://tmdb-603?lang=en", {"tmdb": "603"}, ""),
        ("com.plexapp.agents.hama://imdb-tt0133093?lang=en", {"imdb": "tt0133093"}, ""),
        ("com.plexapp.agents.hama://anidb-345?lang=en", {}, "com.plexapp.agents.hama://anidb-345"),
        ("com.plexapp.agents.xbmcnfo://tt0133093?lang=xn", {"imdb": "tt0133093"}, ""),
        (
            "com.plexapp.agents.xbmcnfotv://81189?lang=xn",
            {},
            "com.plexapp.agents.xbmcnfotv://81189",
        ),
        ("com.plexapp.agents.none://12", {}, ""),
        ("plex://movie/5d776825880197001ec967c9", {}, ""),
    ],
)
def test_ids_of_an_agent_guid(guid: str, ids: dict[str, str], unread: str) -> None:
    assert provider_ids([], guid) == (ids, unread)


@pytest.fixture
def plex() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as fake:
        state = fake.state
        state.add_section("1", "TV", "show", ["/tv"])
        state.add_section("2", "Old TV", "show", ["/old"], agent=THETVDB)
        state.add_section("3", "Anime", "show", ["/anime"], agent=HAMA)
        state.add_section("4", "NFO TV", "show", ["/nfotv"], agent=XBMCNFO_TV)
        state.add_section("5", "NFO Films", "movie", ["/nfo"], agent=XBMCNFO)
        state.add_item("1", "New", "/tv/New", guids=["tvdb://1", "imdb://tt1"])
        state.add_item("2", "Legacy", "/old/Legacy", agent_guid=agent_guid(THETVDB, "2"))
        state.add_item("3", "Hama", "/anime/Hama", agent_guid=agent_guid(HAMA, "tvdb-3"))
        state.add_item("3", "AniDB", "/anime/AniDB", agent_guid=agent_guid(HAMA, "anidb-4"))
        state.add_item("4", "Nfo", "/nfotv/Nfo", agent_guid=agent_guid(XBMCNFO_TV, "5", "xn"))
        film = agent_guid(XBMCNFO, "tt6", "xn")
        state.add_item("5", "Film", "/nfo/Film (2020)/Film.mkv", agent_guid=film)
        yield fake


def test_items_of_every_agent(plex: FakePlex) -> None:
    with PlexClient(plex.url, TOKEN, timeout=5) as client:
        items = {item.title: item for item in client.items()}
    assert {title: item.provider_ids for title, item in items.items()} == {
        "New": {"tvdb": "1", "imdb": "tt1"},
        "Legacy": {"tvdb": "2"},
        "Hama": {"tvdb": "3"},
        "AniDB": {},
        "Nfo": {},
        "Film": {"imdb": "tt6"},
    }
    assert items["AniDB"].unread_id == "com.plexapp.agents.hama://anidb-4"
    assert items["Nfo"].unread_id == "com.plexapp.agents.xbmcnfotv://5"
    assert items["AniDB"].path == "/anime/AniDB"  # it can still match by folder


def test_the_sections_say_their_agent(plex: FakePlex) -> None:
    with PlexClient(plex.url, TOKEN, timeout=5) as client:
        client.info()
        sections = client._sections()  # plexapi's LibrarySection objects
    assert [section.agent for section in sections] == [
        "tv.plex.agents.series", THETVDB, HAMA, XBMCNFO_TV, XBMCNFO,
    ]  # fmt: skip
