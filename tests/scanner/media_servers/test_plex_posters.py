"""The Plex client's posters (clients/plex_posters.py) over real HTTP against the fake
Plex (fakes/plex/posters.py): the selected poster read byte for byte within a bound,
an upload that Plex selects and locks, the lock read and undone, and failures that say
what happened without the token."""

from __future__ import annotations

import hashlib
import socket
import traceback
from collections.abc import Callable, Iterator

import pytest

from fakes.plex import FakePlex
from scanner.http import bounds
from scanner.media_servers.clients.base import (
    ItemGone,
    MediaServerError,
    ServerAuthError,
    ServerUnreachable,
)
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_posters import ServerPoster

# Distinctive, so a leak into any message is unmistakable.
TOKEN = "plex-p0ster-5ecret-t0ken-4f3e2d"
MB = 1024 * 1024
Factory = Callable[..., PlexClient]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 800  # ~200 KB
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(255, -1, -1)) * 600


@pytest.fixture
def fake() -> Iterator[FakePlex]:
    with FakePlex(token=TOKEN) as server:
        server.state.add_section("1", "TV Shows", "show", ["/tv"])
        server.state.add_section("2", "Movies", "movie", ["/movies"])
        server.state.add_item("1", "Show", "/tv/Show", guids=["tvdb://1"], labels=["kids"])
        server.state.add_item("2", "Film", "/movies/Film/Film.mkv", guids=["tmdb://2"])
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


def key_of(fake: FakePlex, title: str) -> int:
    return next(item.rating_key for item in fake.state.items() if item.title == title)


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


# -- reading ----------------------------------------------------------------------


def test_the_selected_poster_is_read_byte_for_byte_with_its_thumb_and_type(
    fake: FakePlex, client_for: Factory
) -> None:
    film = key_of(fake, "Film")
    fake.state.add_poster(film, PNG, provider="tv.plex.agents.movie", selected=False)
    fake.state.add_poster(film, JPEG)
    client = client_for(fake.url)
    client.poster_locked(str(film))  # connected
    before = client.requests_made

    poster = client.poster(str(film), max_bytes=1 * MB)

    thumb = fake.state.poster_store.thumb(film)
    assert thumb is not None and thumb.startswith(f"/library/metadata/{film}/thumb/")
    assert poster == ServerPoster(JPEG, thumb, "image/jpeg")
    assert client.requests_made == before + 2
    assert client.requests_made == fake.state.total_requests()
    counters = fake.state.counters()
    assert counters[("GET", "/library/metadata/{id}/thumb/{n}")] == 1


def test_an_item_without_a_poster_has_none_after_one_request(
    fake: FakePlex, client_for: Factory
) -> None:
    show = key_of(fake, "Show")
    client = client_for(fake.url)
    client.poster_locked(str(show))
    before = client.requests_made

    assert client.poster(str(show), max_bytes=1 * MB) is None
    assert client.requests_made == before + 1  # the item says it has no thumb
    assert client.poster_locked(str(show)) is False


def test_a_poster_larger_than_the_bound_is_refused_without_being_read_whole(
    fake: FakePlex, client_for: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = key_of(fake, "Film")
    big = b"\xff\xd8\xff" + bytes(3 * MB)
    fake.state.add_poster(film, big)
    read: list[int] = []
    original_read = bounds.BoundedBody.read

    def counting_read(self: bounds.BoundedBody, size: int = -1) -> bytes:
        data = original_read(self, size)
        read.append(len(data))
        return data

    monkeypatch.setattr(bounds.BoundedBody, "read", counting_read)
    client = client_for(fake.url)

    with pytest.raises(MediaServerError) as caught:
        client.poster(str(film), max_bytes=1 * MB)

    assert type(caught.value) is MediaServerError
    assert "answer larger than 1 MB" in str(caught.value)
    assert f"GET /library/metadata/{film}/thumb/" in str(caught.value)
    assert sum(read) < len(big)  # never read whole (its Content-Length said so)
    assert_no_token(caught.value)
    # The bound was this read's: the next read takes the caller's again.
    assert client.poster(str(film), max_bytes=4 * MB) == ServerPoster(
        big, fake.state.poster_store.thumb(film) or "", "image/jpeg"
    )


def test_the_posters_bound_is_the_callers_not_the_pages(
    fake: FakePlex, client_for: Factory
) -> None:
    """A poster may be larger than a page of items may (max_answer_mb), and smaller."""
    film = key_of(fake, "Film")
    big = b"\xff\xd8\xff" + bytes(int(1.5 * MB))
    fake.state.add_poster(film, big)
    client = client_for(fake.url, max_answer_mb=1)

    poster = client.poster(str(film), max_bytes=2 * MB)

    assert poster is not None and poster.data == big
    (item,) = [i for i in client.items() if i.id == str(film)]  # the pages' bound is back
    assert item.title == "Film"


def test_a_poster_that_is_not_an_image_is_a_media_server_error(
    fake: FakePlex, client_for: Factory
) -> None:
    film = key_of(fake, "Film")
    fake.state.add_poster(film, b"<html>not a poster</html>")  # sniffed: octet-stream
    client = client_for(fake.url)

    with pytest.raises(MediaServerError, match=r"not an image \(application/octet-stream\)"):
        client.poster(str(film), max_bytes=1 * MB)


# -- writing ----------------------------------------------------------------------


def test_an_upload_is_selected_and_locked_and_read_back_byte_for_byte(
    fake: FakePlex, client_for: Factory
) -> None:
    film = key_of(fake, "Film")
    fake.state.add_poster(film, JPEG)
    client = client_for(fake.url)
    original = client.poster(str(film), max_bytes=1 * MB)
    assert original is not None and client.poster_locked(str(film)) is False
    before = client.requests_made

    client.set_poster(str(film), PNG)

    assert client.requests_made == before + 1  # one POST, the bytes as its body
    upload = f"upload://posters/{hashlib.sha1(PNG).hexdigest()}"  # noqa: S324 - Plex's name
    assert [(u.item_key, u.rating_key, u.size, u.url) for u in fake.state.poster_uploads()] == [
        (film, upload, len(PNG), None)
    ]
    assert fake.state.poster(film) == PNG  # selected
    assert fake.state.poster_store.locked(film)
    read_back = client.poster(str(film), max_bytes=1 * MB)
    assert read_back == ServerPoster(PNG, fake.state.poster_store.thumb(film) or "", "image/png")
    assert read_back.path != original.path  # a new thumb for the new poster
    assert client.poster_locked(str(film)) is True


def test_unlock_leaves_the_poster_and_unlocks_the_field(
    fake: FakePlex, client_for: Factory
) -> None:
    show = key_of(fake, "Show")
    client = client_for(fake.url)
    client.set_poster(str(show), JPEG)
    assert client.poster_locked(str(show)) is True

    client.unlock_poster(str(show))

    assert client.poster_locked(str(show)) is False
    assert not fake.state.poster_store.locked(show)
    assert [edit.thumb_locked for edit in fake.state.edits()] == ["0"]
    assert fake.state.labels(show) == ["kids"]  # an unlock is no label edit
    poster = client.poster(str(show), max_bytes=1 * MB)
    assert poster is not None and poster.data == JPEG


# -- failures ---------------------------------------------------------------------


def _calls(key: str) -> list[Callable[[PlexClient], object]]:
    return [
        lambda client: client.poster(key, max_bytes=MB),
        lambda client: client.poster_locked(key),
        lambda client: client.set_poster(key, JPEG),
        lambda client: client.unlock_poster(key),
    ]


@pytest.mark.parametrize("call", range(4), ids=["poster", "locked", "set", "unlock"])
def test_a_gone_item_raises_item_gone_without_the_token(
    fake: FakePlex, client_for: Factory, call: int
) -> None:
    show = key_of(fake, "Show")
    fake.state.add_poster(show, JPEG)
    client = client_for(fake.url)
    fake.state.delete_item(show)

    with pytest.raises(ItemGone) as caught:
        _calls(str(show))[call](client)

    assert "404" in str(caught.value)
    assert_no_token(caught.value)
    assert fake.state.poster_uploads() == []


@pytest.mark.parametrize("call", range(4), ids=["poster", "locked", "set", "unlock"])
def test_an_id_that_is_no_plex_id_is_gone_without_a_request(
    fake: FakePlex, client_for: Factory, call: int
) -> None:
    client = client_for(fake.url)

    with pytest.raises(ItemGone, match="its ids are numbers"):
        _calls("../1")[call](client)

    assert fake.state.counters().get(("GET", "/library/metadata/{id}"), 0) == 0


@pytest.mark.parametrize("call", range(4), ids=["poster", "locked", "set", "unlock"])
def test_a_server_that_is_down_is_unreachable_after_one_request(
    client_for: Factory, call: int
) -> None:
    client = client_for(closed_port_url())

    with pytest.raises(ServerUnreachable) as caught:
        _calls("1")[call](client)

    assert "Connection refused" in str(caught.value)
    assert_no_token(caught.value)
    assert client.requests_made == 1  # the write step retries, not the client


@pytest.mark.parametrize("call", range(4), ids=["poster", "locked", "set", "unlock"])
def test_a_refused_token_is_never_in_the_message(
    fake: FakePlex, client_for: Factory, call: int
) -> None:
    show = key_of(fake, "Show")
    wrong = TOKEN + "-wrong"
    client = client_for(fake.url, token=wrong)

    with pytest.raises(ServerAuthError) as caught:
        _calls(str(show))[call](client)

    assert "401" in str(caught.value)
    assert_no_token(caught.value)
    assert wrong not in str(caught.value)


def test_a_users_token_reads_the_poster_and_may_not_upload(
    fake: FakePlex, client_for: Factory
) -> None:
    """A shared user's token (a managed user's) reads what it may see; Plex refuses
    its upload (401), and that token is kept out of the message too."""
    kid = "plex-kid-t0ken-1a2b3c"
    show = key_of(fake, "Show")
    fake.state.add_poster(show, JPEG)
    fake.state.add_user("Kid", kid, filter_television={"label": ["kids"]})
    client = client_for(fake.url, token=kid)

    poster = client.poster(str(show), max_bytes=MB)
    with pytest.raises(ServerAuthError) as caught:
        client.set_poster(str(show), PNG)

    assert poster is not None and poster.data == JPEG
    assert "401" in str(caught.value)
    assert kid not in "".join(traceback.format_exception(caught.value))
    assert fake.state.poster_uploads() == [] and fake.state.poster(show) == JPEG
