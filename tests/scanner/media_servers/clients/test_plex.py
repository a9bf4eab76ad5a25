"""The Plex client over real HTTP against the fake Plex: libraries, paged listings with
provider ids, paths and labels, label edits that keep the user's labels, errors whose
messages never carry the token, and how many requests each operation costs."""

from __future__ import annotations

import logging
import math
import socket
import traceback
from collections.abc import Callable, Iterator

import pytest

from fakes.plex import FakePlex, Override
from scanner.media_servers.clients.base import (
    ItemGone,
    LibraryNotFound,
    MediaServerError,
    ServerAuthError,
    ServerBusy,
    ServerErrorStatus,
    ServerInfo,
    ServerItem,
    ServerLibrary,
    ServerUnreachable,
)
from scanner.media_servers.clients.plex import PlexClient, provider_ids

# Distinctive, so a leak into any message or log line is unmistakable.
TOKEN = "plex-5ecret-t0ken-9a8b7c6d5e"
IDENTITY = 1  # GET /, once per client
CONNECT = 3  # and GET /library, GET /library/sections, once per client when needed


@pytest.fixture
def fake() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN, name="Living Room") as server:
        state = server.state
        state.add_section("1", "TV Shows", "show", ["/data/tv"])
        state.add_section("2", "Movies", "movie", ["/data/movies"])
        state.add_section("3", "Music", "artist", ["/data/music"])
        yield server


@pytest.fixture
def client_for() -> Iterator[Callable[..., PlexClient]]:
    clients: list[PlexClient] = []

    def build(url: str, token: str = TOKEN, **options: object) -> PlexClient:
        options.setdefault("timeout", 5)
        client = PlexClient(url, token, **options)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


def add_shows(fake: FakePlex, count: int) -> None:
    for number in range(1, count + 1):
        fake.state.add_item(
            "1",
            f"Show {number:02d}",
            f"/data/tv/Show {number:02d}",
            guids=[f"tvdb://{1000 + number}", f"tmdb://{2000 + number}", f"imdb://tt{number:07d}"],
            labels=["Favourite", "dub"] if number % 2 else ["semi-dub"],
            year=2000 + number,
        )


def add_movies(fake: FakePlex, count: int) -> None:
    for number in range(1, count + 1):
        fake.state.add_item(
            "2",
            f"Movie {number:02d}",
            f"/data/movies/Movie {number:02d} (2020)/Movie {number:02d}.mkv",
            guids=[f"tmdb://{3000 + number}", f"imdb://tt{9000000 + number}"],
            labels=["dub-de"] if number == 1 else [],
        )


def item_for(fake: FakePlex, title: str) -> ServerItem:
    found = next(item for item in fake.state.items() if item.title == title)
    return ServerItem(
        id=str(found.rating_key),
        kind="series" if found.section_key == "1" else "movie",
        title=found.title,
        path=found.path,
        tags=frozenset(found.labels),
        library_id=found.section_key,
    )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def assert_no_token(exc: BaseException) -> None:
    text = "".join(traceback.format_exception(exc))
    assert TOKEN not in str(exc)
    assert TOKEN not in text
    assert exc.__cause__ is None


# -- info and items ---------------------------------------------------------------


def test_info_names_the_server_and_its_libraries(fake, client_for) -> None:
    client = client_for(fake.url)

    info = client.info()

    assert info == ServerInfo(
        name="Living Room",
        version="1.41.3.9314-a0bfb8370",
        libraries=(
            ServerLibrary(id="1", name="TV Shows", kind="series", locations=("/data/tv",)),
            ServerLibrary(id="2", name="Movies", kind="movie", locations=("/data/movies",)),
            ServerLibrary(id="3", name="Music", kind=None, locations=("/data/music",)),
        ),
        product="Plex Media Server",
        auth="the X-Plex-Token header",
    )
    assert client.requests_made == CONNECT == fake.state.total_requests()
    client.info()
    assert client.requests_made == CONNECT  # the connection and sections are kept


def test_items_across_pages_carry_ids_paths_and_labels(fake, client_for) -> None:
    add_shows(fake, 7)
    add_movies(fake, 5)
    client = client_for(fake.url, page_size=3)

    items = list(client.items())

    assert [item.title for item in items] == [f"Show {n:02d}" for n in range(1, 8)] + [
        f"Movie {n:02d}" for n in range(1, 6)
    ]
    show = items[0]
    assert show.kind == "series"
    assert show.library_id == "1"
    assert show.path == "/data/tv/Show 01"
    assert show.provider_ids == {"tvdb": "1001", "tmdb": "2001", "imdb": "tt0000001"}
    assert show.tags == {"Favourite", "dub"}
    assert items[1].tags == {"semi-dub"}
    assert show.id == str(next(i for i in fake.state.items() if i.title == "Show 01").rating_key)
    movie = items[7]
    assert movie.kind == "movie"
    assert movie.library_id == "2"
    assert movie.path == "/data/movies/Movie 01 (2020)/Movie 01.mkv"
    assert movie.provider_ids == {"tmdb": "3001", "imdb": "tt9000001"}
    assert movie.tags == {"dub-de"}
    assert items[8].tags == frozenset()
    # Listing pages of 3 and one bulk metadata request per page; never one per item.
    listing = [page for page in fake.state.pages() if page[0] == "/library/sections/{id}/all"]
    assert listing == [("/library/sections/{id}/all", start, 3) for start in (0, 3, 6, 0, 3)]
    pages = math.ceil(7 / 3) + math.ceil(5 / 3)
    counters = fake.state.counters()
    assert counters[("GET", "/library/sections/{id}/all")] == pages
    assert counters[("GET", "/library/metadata/{ids}")] == pages
    assert client.requests_made == CONNECT + 2 * pages == fake.state.total_requests()


def test_items_of_the_named_libraries_only(fake, client_for) -> None:
    add_shows(fake, 2)
    add_movies(fake, 2)
    client = client_for(fake.url)

    movies = list(client.items(["2"]))
    music = list(client.items(["3"]))

    assert [item.title for item in movies] == ["Movie 01", "Movie 02"]
    assert music == []  # neither series nor movies
    assert client.requests_made == CONNECT + 2  # one page, one bulk read; music: none


def test_items_of_one_kind_never_list_the_other_kinds_libraries(fake, client_for) -> None:
    add_shows(fake, 2)
    add_movies(fake, 2)
    client = client_for(fake.url)

    shows = list(client.items(kinds={"series"}))

    assert [item.title for item in shows] == ["Show 01", "Show 02"]
    assert fake.state.counters()[("GET", "/library/sections/{id}/all")] == 1  # TV alone
    assert client.requests_made == CONNECT + 2


def test_an_empty_library_costs_one_listing_request(fake, client_for) -> None:
    client = client_for(fake.url)

    assert list(client.items(["1"])) == []
    assert client.requests_made == CONNECT + 1


def test_an_unknown_library_raises_before_any_item(fake, client_for) -> None:
    add_shows(fake, 1)
    client = client_for(fake.url)

    with pytest.raises(LibraryNotFound) as caught:
        next(client.items(["1", "42"]))

    assert "42" in str(caught.value)
    assert "TV Shows" in str(caught.value)
    assert_no_token(caught.value)


def test_an_item_deleted_during_the_listing_is_left_out(fake, client_for) -> None:
    add_shows(fake, 4)
    client = client_for(fake.url, page_size=2)
    items = client.items(["1"])

    first = next(items)
    fake.state.delete_item(int(item_for(fake, "Show 04").id))
    rest = list(items)

    assert [item.title for item in [first, *rest]] == ["Show 01", "Show 02", "Show 03"]


def test_items_of_a_legacy_agent_have_provider_ids_from_the_item_guid(fake, client_for) -> None:
    fake.state.add_item(
        "1",
        "Old Show",
        "/data/tv/Old Show",
        agent_guid="com.plexapp.agents.thetvdb://81189?lang=en",
    )
    fake.state.add_item(
        "2", "Old Movie", "/data/movies/Old.mkv", agent_guid="com.plexapp.agents.imdb://tt0133093"
    )
    client = client_for(fake.url)

    show, movie = client.items()

    assert show.provider_ids == {"tvdb": "81189"}
    assert movie.provider_ids == {"imdb": "tt0133093"}


def test_a_large_library_costs_two_requests_per_page(fake, client_for) -> None:
    add_shows(fake, 250)
    client = client_for(fake.url)  # pages of 100

    items = list(client.items(["1"]))

    assert len(items) == 250
    assert len({item.id for item in items}) == 250
    assert client.requests_made == CONNECT + 2 * 3 == fake.state.total_requests()


def test_provider_ids_from_guids_or_a_legacy_agent() -> None:
    assert provider_ids(["imdb://tt1", "tvdb://2", "tmdb://3", "plex://show/x"]) == (
        {"imdb": "tt1", "tvdb": "2", "tmdb": "3"},
        "",
    )
    legacy = provider_ids([], "com.plexapp.agents.thetvdb://81189/1/2?lang=en")
    assert legacy == ({"tvdb": "81189"}, "")
    assert provider_ids([], "com.plexapp.agents.themoviedb://603?lang=en")[0] == {"tmdb": "603"}
    imdb = provider_ids([], "com.plexapp.agents.imdb://tt0133093?lang=en")
    assert imdb[0] == {"imdb": "tt0133093"}
    assert provider_ids([], "local://12") == ({}, "")


# -- set_tags and refresh ---------------------------------------------------------


def test_set_tags_changes_only_the_given_labels(fake, client_for) -> None:
    add_shows(fake, 1)
    client = client_for(fake.url)
    show = item_for(fake, "Show 01")  # labels: Favourite, dub

    assert client.set_tags(show, add={"semi-dub"}, remove={"dub", "wrong-dub"}) is True

    assert fake.state.labels(int(show.id)) == ["Favourite", "semi-dub"]
    added, removed = fake.state.edits()
    assert added.set_to == ("Favourite", "dub", "semi-dub")  # Plex replaces the list
    assert added.locked == "1"
    assert removed.set_to is None
    assert removed.removed == ("dub",)
    assert added.type == removed.type == "2"
    counters = fake.state.counters()
    assert counters[("GET", "/library/metadata/{ids}")] == 1
    assert counters[("PUT", "/library/sections/{id}/all")] == 2
    assert client.requests_made == CONNECT + 3  # plexapi edits through the section
    client.set_tags(show, add={"dub"}, remove=set())
    assert client.requests_made == CONNECT + 3 + 2  # the sections are kept


def test_set_tags_on_a_movie_with_a_label_of_many_words(fake, client_for) -> None:
    add_movies(fake, 2)
    client = client_for(fake.url)
    movie = item_for(fake, "Movie 01")  # labels: dub-de
    fake.state.set_labels(int(movie.id), ["dub-de", "Watch, later & 100%"])

    client.set_tags(movie, add={"dub"}, remove={"dub-de", "Watch, later & 100%"})

    assert fake.state.labels(int(movie.id)) == ["dub"]
    assert fake.state.edits()[0].type == "1"


def test_set_tags_keeps_a_label_the_user_added_after_the_listing(fake, client_for) -> None:
    add_shows(fake, 1)
    client = client_for(fake.url)
    (show,) = client.items(["1"])
    fake.state.set_labels(int(show.id), ["Favourite", "dub", "Kids"])

    client.set_tags(show, add={"dub-en"}, remove=set())

    assert fake.state.labels(int(show.id)) == ["Favourite", "dub", "Kids", "dub-en"]


def test_set_tags_sends_nothing_when_the_labels_are_already_right(fake, client_for) -> None:
    add_shows(fake, 1)
    client = client_for(fake.url)
    show = item_for(fake, "Show 01")
    fake.state.set_labels(int(show.id), ["Favourite", "DUB"])

    assert client.set_tags(show, add={"dub"}, remove={"semi-dub"}) is False
    before = client.requests_made
    assert client.set_tags(show, add=set(), remove=set()) is False

    assert fake.state.labels(int(show.id)) == ["Favourite", "DUB"]  # Plex matches any case
    assert fake.state.edits() == []
    assert before == IDENTITY + 1  # only the read
    assert client.requests_made == before  # nothing asked: nothing sent


def test_set_tags_on_a_deleted_item_raises_item_gone(fake, client_for) -> None:
    add_shows(fake, 2)
    client = client_for(fake.url)
    first, second = client.items(["1"])
    fake.state.delete_item(int(first.id))

    with pytest.raises(ItemGone) as caught:
        client.set_tags(first, add={"dub"}, remove=set())
    assert "Show 01" in str(caught.value)
    assert_no_token(caught.value)
    with pytest.raises(ItemGone):
        client.refresh(first)

    client.set_tags(second, add={"dub"}, remove=set())  # the client carries on
    assert "dub" in fake.state.labels(int(second.id))


def test_refresh_asks_plex_to_refresh_the_item(fake, client_for) -> None:
    add_movies(fake, 1)
    client = client_for(fake.url)
    movie = item_for(fake, "Movie 01")

    client.refresh(movie)

    assert fake.state.refreshed() == [int(movie.id)]
    assert fake.state.counters()[("PUT", "/library/metadata/{id}/refresh")] == 1
    assert client.requests_made == IDENTITY + 1


# -- failures ---------------------------------------------------------------------


def test_a_wrong_token_raises_server_auth_error_without_the_token(fake, client_for) -> None:
    client = client_for(fake.url, token=TOKEN + "-wrong")

    with pytest.raises(ServerAuthError) as caught:
        client.info()

    assert "401" in str(caught.value)
    assert fake.url in str(caught.value)
    assert_no_token(caught.value)
    assert TOKEN + "-wrong" not in str(caught.value)
    assert client.requests_made == 1


def test_a_closed_port_raises_server_unreachable_after_one_request(client_for) -> None:
    client = client_for(closed_port_url())

    with pytest.raises(ServerUnreachable) as caught:
        client.info()

    assert "Connection refused" in str(caught.value)
    assert_no_token(caught.value)
    assert client.requests_made == 1  # the write step retries, not the client


def test_a_ca_bundle_that_is_not_there_is_the_requests_error(
    client_for, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "no-such-ca.pem"))
    client = client_for("https://plex.invalid:32400")

    with pytest.raises(MediaServerError, match=r"no-such-ca\.pem") as caught:
        client.info()

    assert_no_token(caught.value)


@pytest.mark.parametrize(("status", "busy"), [(503, True), (502, True), (500, False)])
def test_a_server_error_is_sent_once_and_says_whether_it_is_transient(
    fake, client_for, status: int, busy: bool
) -> None:
    """502/503/504 (a proxy, a Plex that starts): ServerBusy, which the write step
    retries; a 500 is the answer to that request (an item's failure in a scan)."""
    add_shows(fake, 1)
    client = client_for(fake.url)
    client.info()
    fake.state.fail_with(status)

    with pytest.raises(ServerErrorStatus) as caught:
        list(client.items())

    assert f"answered {status} while listing library 'TV Shows' (1)" in str(caught.value)
    assert isinstance(caught.value, ServerBusy) is busy
    assert not isinstance(caught.value, ServerUnreachable)  # it answered
    assert_no_token(caught.value)
    assert client.requests_made == CONNECT + 1 == fake.state.total_requests()


def test_a_failed_label_edit_is_not_retried(fake, client_for) -> None:
    add_shows(fake, 1)
    client = client_for(fake.url)
    (show,) = client.items()
    fake.state.fail_with(503)

    with pytest.raises(ServerErrorStatus):  # that item's failure in a scan
        client.set_tags(show, add=set(), remove={"dub"})
    fake.state.fail_with(None)
    before = client.requests_made
    fake.state.answer_with(Override(503), times=1)  # the read fails once
    with pytest.raises(ServerBusy):
        client.set_tags(show, add=set(), remove={"dub"})
    client.set_tags(show, add=set(), remove={"dub"})

    assert client.requests_made == before + 3  # the GET twice, the PUT once
    assert fake.state.labels(int(show.id)) == ["Favourite"]


def test_a_client_error_raises_media_server_error(fake, client_for) -> None:
    client = client_for(fake.url)
    fake.state.fail_with(400)

    with pytest.raises(MediaServerError) as caught:
        client.info()

    assert type(caught.value) is MediaServerError
    assert "400" in str(caught.value)


def test_a_silent_server_raises_server_unreachable_after_the_timeout(client_for) -> None:
    with socket.socket() as sock:  # listens, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        client = client_for(f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=0.2)

        with pytest.raises(ServerUnreachable) as caught:
            client.info()

    assert "no answer within 0.2 s" in str(caught.value)
    assert_no_token(caught.value)


def test_a_redirect_is_reported_not_followed(fake, client_for) -> None:
    with FakePlex(token=TOKEN) as elsewhere:
        target = f"{elsewhere.url}/"
        fake.state.answer_with(Override(301, location=f"{target}?X-Plex-Token={TOKEN}"))
        client = client_for(fake.url)

        with pytest.raises(MediaServerError) as caught:
            client.info()

        assert elsewhere.state.total_requests() == 0  # the token never went there
    assert f"redirected (301) to {target} while connecting; use that URL" in str(caught.value)
    assert_no_token(caught.value)


@pytest.mark.parametrize(
    ("body", "what"),
    [(b'{"MediaContainer": {}}', "not Plex XML"), (b"", "without a server identity")],
)
def test_a_server_that_is_not_plex_raises_media_server_error(
    fake, client_for, body: bytes, what: str
) -> None:
    fake.state.answer_with(Override(200, body=body or b" ", content_type="application/json"))
    client = client_for(fake.url)

    with pytest.raises(MediaServerError) as caught:
        client.info()

    assert type(caught.value) is MediaServerError
    assert what in str(caught.value)


def test_secrets_in_the_url_are_kept_out_of_messages(client_for) -> None:
    closed = closed_port_url().replace("http://", f"http://plex:{TOKEN}@")
    client = client_for(f"{closed}/?X-Plex-Token={TOKEN}")

    with pytest.raises(ServerUnreachable) as caught:
        client.info()

    assert_no_token(caught.value)
    assert "http://127.0.0.1:" in str(caught.value)


def test_no_log_line_carries_the_token(fake, client_for, caplog) -> None:
    add_shows(fake, 2)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="plexapi")
    client = client_for(fake.url)

    (show, _) = client.items()
    client.set_tags(show, add={"wrong-dub"}, remove={"dub"})
    client.refresh(show)
    with pytest.raises(ServerAuthError):
        client_for(fake.url, token=TOKEN[::-1]).info()

    assert caplog.records
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN[::-1] not in record.getMessage()
