"""The fake Plex's parts, streams and per-account selections, and the fake plex.tv,
checked with python-plexapi itself (the pinned 4.18): ``MyPlexAccount.users()``,
``MyPlexUser.get_token``, ``switchHomeUser``, ``PlexServer.switchUser`` and
``MediaPart.setSelectedAudioStream`` / ``setSelectedSubtitleStream`` /
``resetSelectedSubtitleStream`` work against them: the contract check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from plexapi.exceptions import BadRequest, Unauthorized
from plexapi.myplex import MyPlexAccount
from plexapi.server import PlexServer

from fakes.plex import AUDIO, SUBTITLE, FakePlex, FakePlexTv, FakeStream

TOKEN = "fake-plex-admin-token-5e6f"


class _ToFakePlexTv(requests.Session):
    """plexapi's plex.tv URLs are absolute (``https://plex.tv/...``): sent to the fake."""

    def __init__(self, plex_tv: str) -> None:
        super().__init__()
        self.plex_tv = plex_tv

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        text = str(url)
        if text.startswith("https://plex.tv/"):
            text = self.plex_tv + text[len("https://plex.tv") :]
        return super().request(method, text, *args, **kwargs)


@pytest.fixture
def fakes() -> Iterator[tuple[FakePlex, FakePlexTv]]:
    with FakePlex(token=TOKEN) as plex, FakePlexTv(plex.state) as tv:
        plex.state.add_section("2", "Movies", "movie", ["/movies"])
        film = plex.state.add_item("2", "Film", "/movies/Film/Film.mkv")
        plex.state.streams.add_part(
            film.rating_key,
            "/movies/Film/Film.mkv",
            [
                FakeStream(11, AUDIO, 1, "eac3", "fre", "fr", "Français", "VFF", default=True),
                FakeStream(12, AUDIO, 2, "ac3", "fre", "fr", "Français", "VFQ"),
                FakeStream(13, AUDIO, 3, "aac", "eng", "en", "English"),
                FakeStream(14, SUBTITLE, 4, "srt", "fre", "fr", "Français", forced=True),
                FakeStream(15, SUBTITLE, -1, "srt", "eng", "en", "English", external=True),
            ],
        )
        yield plex, tv


def _session(tv: FakePlexTv) -> requests.Session:
    return _ToFakePlexTv(tv.url)


def test_plexapi_lists_the_users_of_each_kind(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, tv = fakes
    tv.state.add_user("Léa", "managed")
    tv.state.add_user("Paul", "home")
    tv.state.add_user("Guest", "shared")

    account = MyPlexAccount(token=TOKEN, session=_session(tv), timeout=5)
    users = {user.title: user for user in account.users()}

    assert account.id == tv.state.admin_id
    assert (users["Léa"].home, users["Léa"].restricted, users["Léa"].username) == (True, "1", "")
    assert (users["Paul"].home, users["Paul"].restricted) == (True, "0")
    assert users["Guest"].home is False
    assert [s.machineIdentifier for s in users["Guest"].servers] == [plex.state.machine_identifier]


def test_plexapi_gets_a_shared_users_token_and_switches_to_a_home_user(
    fakes: tuple[FakePlex, FakePlexTv],
) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home", pin="1234")
    session = _session(tv)
    account = MyPlexAccount(token=TOKEN, session=session, timeout=5)

    assert account.user("Léa").get_token(plex.state.machine_identifier) == kid.server_token
    assert account.user("Paul").get_token(plex.state.machine_identifier) is None  # not shared
    switched = account.switchHomeUser("Paul", pin="1234")
    assert switched.authToken == parent.home_token
    with pytest.raises(BadRequest):
        account.switchHomeUser("Paul", pin="0000")
    admin = PlexServer(plex.url, TOKEN, session=session, timeout=5)
    assert admin.switchUser("Léa")._token == kid.server_token


def test_each_account_has_its_own_selection(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, tv = fakes
    kid = tv.state.add_user("Léa", "managed")
    parent = tv.state.add_user("Paul", "home")
    admin = PlexServer(plex.url, TOKEN, session=_session(tv), timeout=5)
    as_kid = PlexServer(plex.url, kid.server_token, timeout=5)
    as_parent = PlexServer(plex.url, parent.home_token, timeout=5)
    key = plex.state.items("2")[0].rating_key

    part = as_kid.fetchItem(key).media[0].parts[0]
    assert [(s.id, s.selected) for s in part.audioStreams()] == [
        (11, True),
        (12, False),
        (13, False),
    ]  # a new account sees the server's default choice
    assert not any(s.selected for s in part.subtitleStreams())
    part.setSelectedAudioStream(12)
    part.setSelectedSubtitleStream(15)

    seen = as_kid.fetchItem(key).media[0].parts[0]
    assert [s.id for s in seen.streams if s.selected] == [12, 15]
    assert [s.id for s in admin.fetchItem(key).media[0].parts[0].streams if s.selected] == [11]
    parents = as_parent.fetchItem(key).media[0].parts[0]
    assert [s.id for s in parents.streams if s.selected] == [11]
    seen.resetSelectedSubtitleStream()
    assert plex.state.streams.selected(str(kid.id), part.id) == (12, 0)
    assert all(write.all_parts for write in plex.state.streams.writes())


def test_stream_attributes_reach_plexapi(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, _ = fakes
    key = plex.state.items("2")[0].rating_key
    part = PlexServer(plex.url, TOKEN, timeout=5).fetchItem(key).media[0].parts[0]

    vff, vfq, english = part.audioStreams()
    forced, sidecar = part.subtitleStreams()

    assert (vff.index, vff.codec, vff.languageCode, vff.languageTag, vff.title) == (
        1,
        "eac3",
        "fre",
        "fr",
        "VFF",
    )
    assert vff.default and not vfq.default
    assert (forced.forced, forced.index, forced.key) == (True, 4, None)
    assert (sidecar.index, sidecar.key) == (-1, "/library/streams/15")
    assert part.file == "/movies/Film/Film.mkv"
    assert english.languageCode == "eng"


def test_unknown_tokens_and_streams_are_refused(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, tv = fakes
    key = plex.state.items("2")[0].rating_key
    part = PlexServer(plex.url, TOKEN, timeout=5).fetchItem(key).media[0].parts[0]

    with pytest.raises(BadRequest):
        part.setSelectedAudioStream(14)  # a subtitle stream's id
    with pytest.raises(BadRequest):
        part.setSelectedSubtitleStream(999)
    answer = requests.put(
        f"{plex.url}/library/parts/{part.id}",
        params={"audioStreamID": 12, "allParts": 1},
        headers={"X-Plex-Token": "nobody"},
        timeout=5,
    )
    assert answer.status_code == 401
    with pytest.raises(Unauthorized):
        MyPlexAccount(token="nobody", session=_session(tv), timeout=5)
    assert plex.state.streams.writes() == []


def test_episodes_carry_their_parts_and_streams(fakes: tuple[FakePlex, FakePlexTv]) -> None:
    plex, _ = fakes
    plex.state.add_section("1", "TV Shows", "show", ["/tv"])
    show = plex.state.add_item("1", "Show", "/tv/Show")
    episode = plex.state.add_episode(show.rating_key, 1, 1)
    plex.state.streams.add_part(
        episode.rating_key,
        "/tv/Show/S01E01.mkv",
        [FakeStream(31, AUDIO, 1, "aac", "jpn", "ja", "日本語")],
    )
    server = PlexServer(plex.url, TOKEN, timeout=5)

    listed = server.fetchItem(show.rating_key).episodes()[0]
    detail = server.fetchItem(episode.rating_key)

    assert listed.media[0].parts[0].file == "/tv/Show/S01E01.mkv"
    assert [s.id for s in detail.media[0].parts[0].audioStreams()] == [31]
