"""The Plex client's side of "the right track for each person" over real HTTP, against
the fake Plex and the fake plex.tv (fakes/plex: streams.py, plex_tv.py): the accounts
of each kind, a user's token as plex.tv hands it to the admin, the parts and streams
as each account sees them, writes that change only that account's selection, and
errors that never carry a token."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Iterator

import pytest

from fakes.plex import AUDIO, SUBTITLE, FakePlex, FakePlexTv, FakeStream
from scanner.http.reasons import Code
from scanner.media_servers.clients.base import (
    ItemGone,
    MediaServerError,
    ServerAccount,
    ServerAuthError,
    ServerBusy,
    ServerUnreachable,
)
from scanner.media_servers.clients.plex import PlexClient
from scanner.media_servers.clients.plex_people import AccountTokenUnavailable
from scanner.media_servers.clients.plex_streams import SUBTITLES_OFF, PlexStream

TOKEN = "plex-adm1n-5ecret-t0ken-77aa"
FILM = "/movies/Film (2020)/Film.mkv"


@pytest.fixture
def fakes() -> Iterator[tuple[FakePlex, FakePlexTv]]:
    with FakePlex(token=TOKEN, name="Living Room") as plex, FakePlexTv(plex.state) as tv:
        plex.state.add_section("1", "TV Shows", "show", ["/tv"])
        plex.state.add_section("2", "Movies", "movie", ["/movies"])
        film = plex.state.add_item("2", "Film", FILM)
        plex.state.streams.add_part(
            film.rating_key,
            FILM,
            [
                FakeStream(11, AUDIO, 1, "eac3", "fre", "fr", "Français", "VFF", default=True),
                FakeStream(12, AUDIO, 2, "ac3", "fre", "fr", "Français", "VFQ"),
                FakeStream(13, AUDIO, 3, "aac", "jpn", "ja", "日本語"),
                FakeStream(14, SUBTITLE, 4, "ass", "fre", "fr", "Français", "Full"),
            ],
        )
        yield plex, tv


@pytest.fixture
def client(fakes: tuple[FakePlex, FakePlexTv]) -> Iterator[PlexClient]:
    plex, tv = fakes
    with PlexClient(plex.url, TOKEN, timeout=5, plex_tv_url=tv.url) as built:
        yield built


def film_id(plex: FakePlex) -> str:
    return str(plex.state.items("2")[0].rating_key)


def assert_no_secret(exc: BaseException, *secrets: str) -> None:
    text = "".join(traceback.format_exception(exc))
    for secret in (TOKEN, *secrets):
        assert secret not in str(exc)
        assert secret not in text
        assert secret not in repr(exc.__dict__)
    assert exc.__cause__ is None


def test_accounts_of_each_kind(fakes, client) -> None:
    _, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home")
    guest = tv.state.add_user("Guest", "shared")
    tv.state.add_user("Elsewhere", "shared", shared=False)  # a friend of another server

    accounts = client.accounts()

    assert accounts == [
        ServerAccount(str(tv.state.admin_id), "Admin", "plex-admin"),
        ServerAccount(str(kid.id), "Léa", "plex-managed"),
        ServerAccount(str(parent.id), "Paul", "plex-home"),
        ServerAccount(str(guest.id), "Guest", "plex-shared"),
    ]
    assert tv.state.counters() == {("GET", "/api/v2/user"): 1, ("GET", "/api/users/"): 1}
    assert client.requests_made == 3  # and the server's identity (GET /)


def test_tokens_as_plex_tv_hands_them_to_the_admin(fakes, client) -> None:
    _, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    guest = tv.state.add_user("Guest", "shared")
    parent = tv.state.add_user("Paul", "home")
    admin, *others = client.accounts()
    by_name = {account.name: account for account in others}

    assert client.account_token(admin) == TOKEN
    assert client.account_token(by_name["Léa"]) == kid.server_token
    assert client.account_token(by_name["Guest"]) == guest.server_token
    assert client.account_token(by_name["Paul"]) == parent.home_token  # by switching
    client.account_token(by_name["Léa"])

    assert tv.state.counters()[("GET", "/api/servers/{machineId}/shared_servers")] == 1
    assert tv.state.counters()[("POST", "/api/home/users/{id}/switch")] == 1


def test_a_protected_home_user_without_its_pin_gets_no_token(fakes, client) -> None:
    _, tv = fakes
    parent = tv.state.add_user("Paul", "home", pin="1234")
    account = ServerAccount(str(parent.id), "Paul", "plex-home")

    with pytest.raises(AccountTokenUnavailable) as refused:
        client.account_token(account)

    assert refused.value.reason == "pin-required"
    assert_no_secret(refused.value, parent.home_token)
    assert client.account_token(account, pin="1234") == parent.home_token


def test_a_friend_the_server_is_not_shared_with_gets_no_token(fakes, client) -> None:
    _, tv = fakes
    friend = tv.state.add_user("Far", "shared", shared=False)

    with pytest.raises(AccountTokenUnavailable) as refused:
        client.account_token(ServerAccount(str(friend.id), "Far", "plex-shared"))

    assert refused.value.reason == "not-shared"


def test_plex_tv_of_2026_gives_no_token_for_an_invited_friend_and_says_so(fakes, client) -> None:
    """From March 2026 plex.tv lists a friend's share without its ``accessToken``
    (arabcoders/watchstate#793, #794; fakes/plex/plex_tv.py): the friend is told apart
    from a server not shared at all; Home members and managed users still get theirs."""
    _, tv = fakes
    tv.state.withhold_friend_tokens()
    guest = tv.state.add_user("Guest", "shared")
    far = tv.state.add_user("Far", "shared", shared=False)
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home")
    listed = {a.name: a for a in client.accounts()}
    assert listed["Guest"].kind == "plex-shared"  # still listed: the server is shared

    with pytest.raises(AccountTokenUnavailable) as withheld:
        client.account_token(listed["Guest"])
    with pytest.raises(AccountTokenUnavailable) as not_shared:
        client.account_token(ServerAccount(str(far.id), "Far", "plex-shared"))

    assert withheld.value.reason == "friend-no-token"
    assert withheld.value.source == "plex.tv"
    assert not_shared.value.reason == "not-shared"
    assert client.account_token(listed["Léa"]) == kid.server_token
    assert client.account_token(listed["Paul"]) == parent.home_token  # by switching
    assert_no_secret(withheld.value, guest.server_token)


def test_streams_as_each_account_sees_them(fakes, client) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    plex.state.streams.select(
        str(kid.id), plex.state.streams.parts_of(int(film_id(plex)))[0].id, 12, 14
    )

    (admins,) = client.parts([film_id(plex)])
    (kids,) = client.parts([film_id(plex)], token=kid.server_token)

    assert admins.file == FILM and admins.item_id == film_id(plex)
    assert (admins.selected_audio(), admins.selected_subtitle()) == (11, SUBTITLES_OFF)
    assert (kids.selected_audio(), kids.selected_subtitle()) == (12, 14)
    assert kids.audio()[1] == PlexStream(
        id=12,
        kind="audio",
        index=2,
        codec="ac3",
        language_code="fre",
        language_tag="fr",
        title="VFQ",
        display_title="VFQ (Français AC3)",
        selected=True,
        default=False,
    )
    assert [s.kind for s in kids.streams] == ["video", "audio", "audio", "audio", "subtitle"]


def test_a_write_changes_only_that_accounts_selection(fakes, client) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home")
    (part,) = client.parts([film_id(plex)])
    before = client.requests_made

    client.select_streams(part.id, token=kid.server_token, audio=12)
    client.select_streams(part.id, token=parent.home_token, audio=13, subtitle=14)
    client.select_streams(part.id, token=kid.server_token)  # nothing to set: nothing sent

    assert client.requests_made == before + 2
    assert plex.state.streams.selected(str(kid.id), part.id) == (12, 0)
    assert plex.state.streams.selected(str(parent.id), part.id) == (13, 14)
    assert plex.state.streams.selected("owner", part.id) == (11, 0)
    client.select_streams(part.id, token=parent.home_token, subtitle=SUBTITLES_OFF)
    assert plex.state.streams.selected(str(parent.id), part.id) == (13, 0)
    assert [w.all_parts for w in plex.state.streams.writes()] == [True, True, True]


def test_episodes_by_file(fakes, client) -> None:
    plex, _ = fakes
    show = plex.state.add_item("1", "Show", "/tv/Show")
    episodes = [plex.state.add_episode(show.rating_key, 1, n) for n in (1, 2)]
    for episode in episodes:
        plex.state.streams.add_part(episode.rating_key, f"/tv/Show/S01E0{episode.index}.mkv")

    files = client.episode_files(str(show.rating_key))

    assert files == {f"/tv/Show/S01E0{e.index}.mkv": str(e.rating_key) for e in episodes}
    assert [p.file for p in client.parts(list(files.values()))] == list(files)


def test_a_refused_user_token_raises_auth_error_without_any_token(fakes, client) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    (part,) = client.parts([film_id(plex)])
    client.account_token(client.accounts()[1])
    stale = "stale-user-t0ken-123456"

    with pytest.raises(ServerAuthError) as refused:
        client.select_streams(part.id, token=stale, audio=12)

    assert_no_secret(refused.value, stale, kid.server_token)
    with pytest.raises(MediaServerError) as bad:
        client.select_streams(part.id, token=kid.server_token, audio=14)  # a subtitle's id
    assert_no_secret(bad.value, kid.server_token)
    with pytest.raises(ItemGone):
        client.select_streams(99999, token=kid.server_token, audio=12)


def test_plex_tv_refusing_the_admins_token_is_an_auth_error(fakes) -> None:
    plex, _ = fakes
    other = "0ther-admin-t0ken-9988"  # the server takes it; this plex.tv does not
    with (
        FakePlex(token=other) as second,
        FakePlexTv(plex.state) as tv,
        PlexClient(second.url, other, timeout=5, plex_tv_url=tv.url) as client,
    ):
        with pytest.raises(ServerAuthError) as refused:
            client.accounts()
        said = refused.value.said
        where = tv.url

    assert_no_secret(refused.value, other)
    assert said is not None and said.params["url"] == where  # plex.tv's, not the server's
    # The server accepted the token (the accounts' first request): plex.tv refused it,
    # and every word says so (finding 6 of issue 79: it read "the server refused the key").
    assert refused.value.source == "plex.tv"
    assert said.code == Code.PLEX_TV_TOKEN_REFUSED and said.params["status"] == 401
    assert str(refused.value).startswith(f"plex.tv at {where}: refused the server's token (401)")


def test_an_unreachable_plex_tv_is_transient_and_scrubbed(fakes) -> None:
    plex, _ = fakes
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    client = PlexClient(plex.url, TOKEN, timeout=5, plex_tv_url=closed)
    with client, pytest.raises(ServerUnreachable) as unreachable:
        client.accounts()
    assert_no_secret(unreachable.value)
    said = unreachable.value.said  # plex.tv's silence says whose it is
    assert unreachable.value.source == "plex.tv" and str(unreachable.value).startswith("plex.tv")
    assert said is not None and str(said) == f"plex.tv at {closed} did not answer"


def test_a_busy_plex_tv_is_transient_and_each_request_is_sent_once(fakes, client) -> None:
    _, tv = fakes
    tv.state.fail_with(503, times=1)

    with pytest.raises(ServerBusy) as busy:
        client.accounts()

    assert_no_secret(busy.value)
    assert tv.state.counters() == {("GET", "failed"): 1}
    # plex.tv's 503, named plex.tv's (it read "Plex at <plex.tv's URL>").
    assert busy.value.source == "plex.tv"
    assert str(busy.value).startswith(f"plex.tv at {tv.url}: answered 503")
    said = busy.value.said
    assert said is not None and (said.params["server"], said.params["url"]) == ("plex.tv", tv.url)
    assert [a.kind for a in client.accounts()] == ["plex-admin"]  # the caller's retry


def test_no_log_line_carries_a_token(fakes, client, caplog) -> None:
    plex, tv = fakes
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="plexapi")
    kid = tv.state.add_user("Léa", "managed")
    token = client.account_token(client.accounts()[1])
    (part,) = client.parts([film_id(plex)], token=token)
    client.select_streams(part.id, token=token, audio=12)

    assert caplog.records
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert kid.server_token not in record.getMessage()
