"""The Emby client against the fake Emby (the fake Jellyfin playing Emby 4.9): tags read
from TagItems (Tags is null), changed through /Tags/Add and /Tags/Delete and never by
posting the item back, the token in X-Emby-Token, URLs with or without /emby."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from scanner.media_servers.clients.base import ItemGone, ServerItem
from scanner.media_servers.clients.emby import EmbyClient
from scanner.media_servers.clients.jellyfin import ServerConfig
from tests.helpers import SERVER_TOKEN

EMBY = "emby-4.9.0.22"
ITEMS = [
    build_series("s1", "Show", "/media/tv/Show", ProviderIds={"Tvdb": "1"}, Tags=["mine", "dub"]),
    build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "55"}),
]


@pytest.fixture
def emby() -> Iterator[FakeJellyfin]:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version=EMBY) as server:
        yield server


def _client(url: str) -> EmbyClient:
    return EmbyClient(ServerConfig(name="emby", url=url, token=SERVER_TOKEN, kind="emby"))


def _item(client: EmbyClient, item_id: str) -> ServerItem:
    return next(item for item in client.items() if item.id == item_id)


@pytest.mark.parametrize("suffix", ["", "/emby/"])
def test_info_and_items_with_or_without_the_emby_prefix(emby: FakeJellyfin, suffix: str) -> None:
    with _client(emby.url + suffix) as client:
        info = client.info()
        assert (info.product, info.version) == ("Emby Server", "4.9.0.22")
        assert info.auth == "the X-Emby-Token header" and info.legacy_auth is None
        show = _item(client, "s1")
        sent = client.requests_made
    assert show.tags == {"mine", "dub"}  # from TagItems: Emby's Tags is null
    assert emby.state.auth_modes() == {"X-Emby-Token header": sent}


def test_set_tags_adds_and_deletes_through_the_tag_endpoints(emby: FakeJellyfin) -> None:
    with _client(emby.url) as client:
        show = _item(client, "s1")
        emby.state.reset_counters()
        assert client.set_tags(show, {"semi-dub", "DUB-de"}, {"dub"}) is True
    assert emby.state.item("s1")["Tags"] == ["mine", "DUB-de", "semi-dub"]
    counters = emby.state.counters()
    assert counters[("POST", "/items/{itemId}/tags/add")] == 1
    assert counters[("POST", "/items/{itemId}/tags/delete")] == 1
    assert ("POST", "/items/{itemId}") not in counters  # the item is never posted back


def test_set_tags_reads_the_tags_now_and_sends_nothing_when_they_are_right(
    emby: FakeJellyfin,
) -> None:
    with _client(emby.url) as client:
        film = _item(client, "m1")
        emby.state.update("m1", Tags=["Dub"])  # set meanwhile, in another case
        emby.state.reset_counters()
        assert client.set_tags(film, {"dub"}, set()) is False
        assert client.set_tags(film, set(), {"dub"}) is True
    assert emby.state.item("m1")["Tags"] == []
    assert emby.state.writes() == 1


def test_set_tags_on_an_item_deleted_meanwhile_is_item_gone(emby: FakeJellyfin) -> None:
    with _client(emby.url) as client:
        film = _item(client, "m1")
        emby.state.vanish("m1")
        with pytest.raises(ItemGone, match="'Film' is gone"):
            client.set_tags(film, {"dub"}, set())
