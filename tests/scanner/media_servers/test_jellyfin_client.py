"""The Jellyfin client against the fake Jellyfin over HTTP: paging, the token, a server
that is down, an item deleted meanwhile, and the full-item update contract."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from scanner.media_servers.base import (
    ItemGone,
    ServerAuthError,
    ServerErrorStatus,
    ServerUnreachable,
)
from scanner.media_servers.jellyfin import JellyfinClient, ServerConfig, updated_tags
from tests.helpers import SERVER_TOKEN

ITEMS = [
    build_series(f"s{n}", f"Show {n:02d}", f"/media/tv/Show {n:02d}", ProviderIds={"Tvdb": str(n)})
    for n in range(1, 8)
] + [build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "55"})]


@pytest.fixture
def fake() -> Iterator[FakeJellyfin]:
    with FakeJellyfin(token=SERVER_TOKEN, items=ITEMS) as server:
        yield server


def _client(url: str, token: str = SERVER_TOKEN, **options: object) -> JellyfinClient:
    config = ServerConfig(name="jf", url=url, token=token, page_size=3)
    return JellyfinClient(config, attempts=1, **options)  # type: ignore[arg-type]


def test_info_names_the_version_and_the_libraries(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        info = client.info()
    assert info.version == "12.0.0"
    assert [(lib.name, lib.id, lib.kind) for lib in info.libraries] == [
        ("TV Shows", "tv", "series"),
        ("Movies", "movies", "movie"),
    ]


def test_items_are_read_page_by_page(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        items = list(client.items())
        assert client.requests_made == 3  # 8 items, 3 a page
    assert len(items) == 8
    show = next(item for item in items if item.id == "s1")
    assert show.kind == "series" and show.provider_ids == {"tvdb": "1"}
    assert show.path == "/media/tv/Show 01"
    film = next(item for item in items if item.id == "m1")
    assert film.kind == "movie" and film.provider_ids == {"tmdb": "55"}


def test_items_of_one_library(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        assert [item.id for item in client.items(["movies"])] == ["m1"]


def test_items_of_one_kind_are_asked_for_by_type(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        assert [item.id for item in client.items(kinds={"movie"})] == ["m1"]
        assert client.requests_made == 1  # the movie alone: one page of 3
        assert list(client.items(kinds=())) == []
        assert client.requests_made == 1  # nothing asked for: nothing sent


def test_a_wrong_token_is_an_auth_error_without_the_token(fake: FakeJellyfin) -> None:
    with (
        _client(fake.url, token="wrong-token-123456") as client,
        pytest.raises(ServerAuthError) as caught,
    ):
        client.info()
    assert "401" in str(caught.value) and "wrong-token" not in str(caught.value)


def test_emby_urls_with_the_emby_prefix_work(fake: FakeJellyfin) -> None:
    config = ServerConfig(name="emby", url=f"{fake.url}/emby/", token=SERVER_TOKEN, kind="emby")
    with JellyfinClient(config, attempts=1) as client:
        assert client.info().version == "12.0.0"
        assert len(list(client.items(["tv"]))) == 7


def test_a_server_that_is_down_is_unreachable() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = _client(f"http://127.0.0.1:{port}")
    with pytest.raises(ServerUnreachable, match="refused"):
        client.info()


def test_a_ca_bundle_that_is_not_there_is_the_requests_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "no-such-ca.pem"))
    client = _client("https://jellyfin.invalid:8920")
    with pytest.raises(ServerUnreachable, match=r"no-such-ca\.pem") as caught:
        client.info()
    assert SERVER_TOKEN not in str(caught.value)


def test_transient_failures_are_retried_with_backoff_recorded() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits: list[float] = []
    config = ServerConfig(name="jf", url=f"http://127.0.0.1:{port}", token=SERVER_TOKEN)
    client = JellyfinClient(config, attempts=3, sleep=waits.append)
    with pytest.raises(ServerUnreachable):
        client.info()
    assert client.requests_made == 3 and len(waits) == 2


def test_set_tags_keeps_every_other_field_and_the_users_tags(fake: FakeJellyfin) -> None:
    item_id = "s2"
    before = fake.state.item(item_id)
    fake.state.update(item_id, Tags=["favourite", "dub"])
    with _client(fake.url) as client:
        item = next(i for i in client.items() if i.id == item_id)
        assert client.set_tags(item, {"semi-dub", "dub-de"}, {"dub"}) is True
    after = fake.state.item(item_id)
    assert after["Tags"] == ["favourite", "dub-de", "semi-dub"]
    for field in ("Name", "Overview", "CommunityRating", "ProductionYear", "Genres", "ProviderIds"):
        assert after[field] == before[field], field


def test_set_tags_on_a_deleted_item_is_item_gone(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        item = next(i for i in client.items() if i.id == "s4")
        fake.state.delete("s4")
        with pytest.raises(ItemGone, match="404"):
            client.set_tags(item, {"dub"}, set())


def test_a_5xx_on_one_item_is_a_server_error_status_and_the_others_are_written(
    fake: FakeJellyfin,
) -> None:
    """The server answered: a failure of that item (the pipeline goes on), not a server
    that is down (it stops); a refused token is still the server's."""
    fake.state.fail_item("s4", 500)
    fake.state.fail_item("s6", 401)
    with _client(fake.url) as client:
        items = {i.id: i for i in client.items()}
        with pytest.raises(ServerErrorStatus, match="answered 500"):
            client.set_tags(items["s4"], {"dub"}, set())
        with pytest.raises(ServerErrorStatus, match="answered 500"):
            client.refresh(items["s4"])
        with pytest.raises(ServerAuthError, match="401"):
            client.set_tags(items["s6"], {"dub"}, set())
        assert client.set_tags(items["s5"], {"dub"}, set()) is True
    fake.state.fail_item("s4", None)
    assert fake.state.item("s5")["Tags"] == ["dub"]
    assert fake.state.item("s4")["Tags"] == []


def test_set_tags_sends_nothing_when_the_server_has_them(fake: FakeJellyfin) -> None:
    fake.state.update("s5", Tags=["dub"])
    with _client(fake.url) as client:
        item = next(i for i in client.items() if i.id == "s5")
        fake.state.reset_counters()
        assert client.set_tags(item, {"DUB"}, set()) is False
    assert fake.state.writes() == 0


@pytest.mark.parametrize(
    ("current", "add", "remove", "expected"),
    [
        (["mine", "dub"], {"semi-dub"}, {"dub"}, ["mine", "semi-dub"]),
        (["Dub"], {"dub"}, set(), ["Dub"]),
        ([], {"b", "a"}, set(), ["a", "b"]),
        (["mine"], set(), {"dub"}, ["mine"]),
    ],
)
def test_updated_tags(
    current: list[str], add: set[str], remove: set[str], expected: list[str]
) -> None:
    assert updated_tags(current, add, remove) == expected


def test_refresh_queues_a_refresh_that_rereads_changed_local_metadata(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        first, second = list(client.items())[:2]
        client.refresh(first)
        fake.state.vanish(second.id)
        with pytest.raises(ItemGone, match="is gone"):
            client.refresh(second)
    # Jellyfin's default mode (None) would re-read nothing.
    assert fake.state.refreshed() == [(first.id, "Default")]
    assert fake.state.writes() == 0
