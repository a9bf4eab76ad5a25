"""The Jellyfin client against the fake Jellyfin over HTTP, release by release: paging,
the token header every release reads, a server that is down, an item deleted
meanwhile, and a write-back that keeps the item whole on each release's update
contract (trickplay, folder limits, a series' seasons and episodes)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from fakes.jellyfin import FakeJellyfin, build_movie, build_seasons, build_series
from scanner.media_servers.clients.base import (
    ItemGone,
    ServerAuthError,
    ServerBusy,
    ServerErrorStatus,
    ServerItem,
    ServerUnreachable,
)
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.media_servers.clients.jellyfin_items import updated_tags
from tests.helpers import SERVER_TOKEN

JELLYFIN_RELEASES = ("10.8.13", "10.10.7", "10.11.11", "12.0.0")
ITEMS = [
    build_series(f"s{n}", f"Show {n:02d}", f"/media/tv/Show {n:02d}", ProviderIds={"Tvdb": str(n)})
    for n in range(1, 8)
] + [
    build_movie(
        "m1", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "55"}, trickplay=True
    )
]
KEPT = (
    "Name", "Overview", "CommunityRating", "ProductionYear", "Genres", "ProviderIds",
    "People", "Studios", "LockedFields", "LockData", "Path",
)  # fmt: skip


@pytest.fixture(params=JELLYFIN_RELEASES)
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJellyfin]:
    series = ITEMS[1]
    items = [*ITEMS, *build_seasons(series, seasons=2, episodes=3)]
    with FakeJellyfin(token=SERVER_TOKEN, items=items, version=request.param) as server:
        yield server


def _client(url: str, token: str = SERVER_TOKEN) -> JellyfinClient:
    return JellyfinClient(ServerConfig(name="jf", url=url, token=token, page_size=3))


def _item(client: JellyfinClient, item_id: str) -> ServerItem:
    return next(item for item in client.items() if item.id == item_id)


def test_info_names_the_release_the_libraries_and_the_key_header(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        info = client.info()
    assert (info.product, info.version) == ("Jellyfin Server", fake.state.version)
    assert info.auth.startswith("the Authorization header")
    expected_legacy = {"10.11.11": True, "12.0.0": False}.get(fake.state.release.key)
    assert info.legacy_auth is expected_legacy  # no such setting before 10.11
    assert [(lib.name, lib.id, lib.kind, lib.nfo_saver) for lib in info.libraries] == [
        ("TV Shows", "tv", "series", False),
        ("Movies", "movies", "movie", False),
    ]


def test_every_request_carries_the_token_in_the_header_every_release_reads(
    fake: FakeJellyfin,
) -> None:
    """Jellyfin 12 turns the legacy headers off: the client never relies on them."""
    with _client(fake.url) as client:
        client.info()
        client.set_tags(_item(client, "s2"), {"dub"}, set())
        sent = client.requests_made
    assert fake.state.auth_modes() == {"Authorization header": sent}


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


def test_items_of_one_library_or_one_kind(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        assert [item.id for item in client.items(["movies"])] == ["m1"]
        sent = client.requests_made
        assert [item.id for item in client.items(kinds={"movie"})] == ["m1"]
        assert client.requests_made == sent + 1  # the movie alone: one page of 3
        assert list(client.items(kinds=())) == []
        assert client.requests_made == sent + 1  # nothing asked for: nothing sent


def test_a_wrong_token_is_an_auth_error_without_the_token(fake: FakeJellyfin) -> None:
    with (
        _client(fake.url, token="wrong-token-123456") as client,
        pytest.raises(ServerAuthError) as caught,
    ):
        client.info()
    assert "401" in str(caught.value) and "wrong-token" not in str(caught.value)


def test_a_server_that_is_down_is_unreachable_after_one_request() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = _client(f"http://127.0.0.1:{port}")
    with pytest.raises(ServerUnreachable, match="refused"):
        client.info()
    assert client.requests_made == 1  # the write step retries, not the client


def test_a_ca_bundle_that_is_not_there_is_the_requests_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "no-such-ca.pem"))
    client = _client("https://jellyfin.invalid:8920")
    with pytest.raises(ServerUnreachable, match=r"no-such-ca\.pem") as caught:
        client.info()
    assert SERVER_TOKEN not in str(caught.value)


def test_set_tags_keeps_every_other_field_and_the_users_tags(fake: FakeJellyfin) -> None:
    """10.9 to 10.11 clear what the body leaves out: the item is read with every
    editable field, by id and without a user."""
    before = fake.state.item("s2")
    fake.state.update("s2", Tags=["favourite", "dub"])
    with _client(fake.url) as client:
        assert client.set_tags(_item(client, "s2"), {"semi-dub", "dub-de"}, {"dub"}) is True
    after = fake.state.item("s2")
    assert after["Tags"] == ["favourite", "dub-de", "semi-dub"]
    assert {name: after.get(name) for name in KEPT} == {name: before[name] for name in KEPT}


def test_a_movie_with_trickplay_images_is_written(fake: FakeJellyfin) -> None:
    """10.11 and 12 answer 500 to a body that carries Trickplay: the client leaves it out."""
    with _client(fake.url) as client:
        assert client.set_tags(_item(client, "m1"), {"dub"}, set()) is True
    movie = fake.state.item("m1")
    assert movie["Tags"] == ["dub"] and "Trickplay" in movie  # the server's own, kept


def test_an_administrator_with_folder_limits_changes_nothing(fake: FakeJellyfin) -> None:
    """Items are read with the key alone: a user's folder limits are no 404 "gone"."""
    fake.state.limit_user_folders(["tv"])
    with _client(fake.url) as client:
        assert client.set_tags(_item(client, "m1"), {"dub"}, set()) is True
    assert fake.state.item("m1")["Tags"] == ["dub"]


def test_a_series_write_reaches_its_seasons_and_episodes_from_10_9(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        client.set_tags(_item(client, "s2"), {"dub"}, set())
        fake.state.reset_counters()
        client.set_tags(_item(client, "s2"), set(), {"dub"})
    children = fake.state.children("s2")
    saves = fake.state.saves()
    if fake.state.release.key == "10.8.13":
        assert saves == {"s2": 1}
        return
    assert len(saves) == 1 + len(children) == 9  # the series, 2 seasons, 6 episodes
    assert all(child["Tags"] == [] for child in children)


def test_set_tags_on_a_deleted_item_is_item_gone(fake: FakeJellyfin) -> None:
    with _client(fake.url) as client:
        item = _item(client, "s4")
        fake.state.delete("s4")
        with pytest.raises(ItemGone, match="is gone"):
            client.set_tags(item, {"dub"}, set())


def test_an_answer_that_refuses_one_item_is_a_server_error_status(fake: FakeJellyfin) -> None:
    """The server answered: a failure of that item, not of the server (a 500), a server
    that is starting (a 502/503/504: ServerBusy, retried by the write step), or the
    key refused (the server's)."""
    fake.state.fail_item("s4", 500)
    fake.state.fail_item("s5", 503)
    fake.state.fail_item("s6", 401)
    with _client(fake.url) as client:
        items = {i.id: i for i in client.items()}
        with pytest.raises(ServerErrorStatus, match="answered 500") as caught:
            client.set_tags(items["s4"], {"dub"}, set())
        assert not isinstance(caught.value, ServerBusy)
        with pytest.raises(ServerErrorStatus, match="answered 500"):
            client.refresh(items["s4"])
        with pytest.raises(ServerBusy, match="answered 503"):
            client.set_tags(items["s5"], {"dub"}, set())
        with pytest.raises(ServerAuthError, match="401"):
            client.set_tags(items["s6"], {"dub"}, set())
        assert client.set_tags(items["s7"], {"dub"}, set()) is True
    assert fake.state.item("s7")["Tags"] == ["dub"]
    assert fake.state.item("s4")["Tags"] == []


def test_set_tags_sends_nothing_when_the_server_has_them(fake: FakeJellyfin) -> None:
    fake.state.update("s5", Tags=["dub"])
    with _client(fake.url) as client:
        item = _item(client, "s5")
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
