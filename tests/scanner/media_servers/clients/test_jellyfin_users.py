"""The accounts and a user's playback settings, read by the Jellyfin and Emby clients
from the fake's ``GET /Users`` and ``GET /Users/{userId}`` (UserController; the
Configuration members of UserConfiguration.cs, fakes/jellyfin/users.py), and the
original language set on Jellyfin 12 only when it differs (ItemUpdateController)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from fakes.jellyfin.state import USER_ID
from fakes.jellyfin.users import PLAYBACK_MEMBERS, configuration
from scanner.media_servers.clients.base import MediaServerError, ServerAccount, ServerInfo
from scanner.media_servers.clients.emby import EmbyClient
from scanner.media_servers.clients.jellyfin import JellyfinClient, ServerConfig
from scanner.media_servers.clients.jellyfin_original import (
    original_language_settable,
    original_language_value,
)
from scanner.media_servers.clients.jellyfin_users import UserPlayback, parse_account, parse_playback
from tests.helpers import SERVER_TOKEN

EMBY = "emby-4.9.0.22"
ITEMS = [
    build_series("s1", "Anime", "/tv/Anime", ProviderIds={"Tvdb": "1"}, Tags=["mine"]),
    build_movie("m1", "Film", "/movies/Film (2020)/Film.mkv", ProviderIds={"Tmdb": "55"}),
]
QUEBEC = {
    "AudioLanguagePreference": "frc",
    "PlayDefaultAudioTrack": True,
    "SubtitleMode": "None",
    "RememberAudioSelections": False,
}
PARENT = {
    "AudioLanguagePreference": "OriginalLanguage",
    "PlayDefaultAudioTrack": False,
    "SubtitleLanguagePreference": "fra",
    "SubtitleMode": "Smart",
    "RememberSubtitleSelections": False,
}


def _fake(version: str) -> FakeJellyfin:
    return FakeJellyfin(token=SERVER_TOKEN, items=ITEMS, version=version)


def _client(fake: FakeJellyfin) -> JellyfinClient:
    emby = fake.state.release.is_emby
    config = ServerConfig(
        name="srv", url=fake.url, token=SERVER_TOKEN, kind="emby" if emby else "jellyfin"
    )
    return EmbyClient(config) if emby else JellyfinClient(config)


@pytest.fixture(params=["10.8.13", "10.11.11", "12.0.0", EMBY])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJellyfin]:
    with _fake(request.param) as server:
        yield server


def test_accounts_list_every_user_but_the_disabled_ones(fake: FakeJellyfin) -> None:
    kid = fake.state.add_user("Léa", playback=QUEBEC)
    parent = fake.state.add_user("Marc", playback=PARENT)
    fake.state.add_user("Gone", disabled=True)
    with _client(fake) as client:
        accounts = client.accounts()
    kind = "emby" if fake.state.release.is_emby else "jellyfin"
    assert accounts == [
        ServerAccount(USER_ID, "admin", kind),
        ServerAccount(kid, "Léa", kind),
        ServerAccount(parent, "Marc", kind),
    ]


def test_user_playback_reads_the_configuration_as_the_fake_serializes_it(
    fake: FakeJellyfin,
) -> None:
    kid = fake.state.add_user("Léa", playback=QUEBEC)
    parent = fake.state.add_user("Marc", playback=PARENT)
    with _client(fake) as client:
        assert client.user_playback(kid) == UserPlayback(
            audio_language="frc", play_default_audio=True, subtitle_language=None,
            subtitle_mode="None", remember_audio=False, remember_subtitles=True,
        )  # fmt: skip
        assert client.user_playback(parent) == UserPlayback(
            audio_language="OriginalLanguage", play_default_audio=False,
            subtitle_language="fra", subtitle_mode="Smart", remember_audio=True,
            remember_subtitles=False,
        )  # fmt: skip
        # A new user: UserConfiguration's defaults.
        assert client.user_playback(USER_ID) == UserPlayback(
            None, True, None, "Default", True, True
        )
        with pytest.raises(MediaServerError, match="no user"):
            client.user_playback("0" * 32)


def test_every_playback_member_the_client_reads_is_one_the_fake_serializes() -> None:
    """The fake's Configuration and the client's reading agree member by member: a
    member renamed on either side makes its value fall back to the default here."""
    flipped = {
        "AudioLanguagePreference": "jpn", "PlayDefaultAudioTrack": False,
        "SubtitleLanguagePreference": "fra", "SubtitleMode": "Always",
        "RememberAudioSelections": False, "RememberSubtitleSelections": False,
    }  # fmt: skip
    assert set(flipped) == set(PLAYBACK_MEMBERS)
    read = parse_playback({"Configuration": configuration(flipped)})
    assert read == UserPlayback("jpn", False, "fra", "Always", False, False)


@pytest.mark.parametrize(
    "row",
    [
        None,
        [],
        {"Name": "no id"},
        {"Id": 5},
        {"Id": "x" * 65},
        {"Id": "a", "Policy": {"IsDisabled": True}},
    ],
)
def test_rows_that_are_not_usable_users_are_left_out(row: object) -> None:
    assert parse_account(row, "jellyfin") is None


def test_a_configuration_of_another_shape_reads_as_the_defaults() -> None:
    odd = {
        "Configuration": {
            "AudioLanguagePreference": 3, "PlayDefaultAudioTrack": "no",
            "SubtitleMode": "Sometimes", "SubtitleLanguagePreference": "  ",
        }
    }  # fmt: skip
    assert parse_playback(odd) == UserPlayback(None, True, None, "Default", True, True)
    assert parse_playback({"Configuration": []}) == UserPlayback(
        None, True, None, "Default", True, True
    )


def test_original_language_is_set_on_jellyfin_12_only_when_it_differs() -> None:
    with _fake("12.0.0") as fake, _client(fake) as client:
        assert original_language_settable(client.info())
        show = next(item for item in client.items() if item.id == "s1")
        fake.state.reset_counters()

        def posts() -> int:
            return fake.state.counters()[("POST", "/items/{itemId}")]

        assert client.set_original_language(show, "jpn") is True  # none yet
        assert fake.state.item("s1")["OriginalLanguage"] == "ja"
        assert fake.state.item("s1")["Tags"] == ["mine"]  # the rest of the item kept
        assert posts() == 1
        assert client.set_original_language(show, "ja", ours="ja") is False  # the same
        assert client.set_original_language(show, "fr-CA") is False  # not known as ours
        assert (posts(), fake.state.item("s1")["OriginalLanguage"]) == (1, "ja")
        assert client.set_original_language(show, "fr-CA", ours="ja") is True  # ours changed
        assert (posts(), fake.state.item("s1")["OriginalLanguage"]) == (2, "fr")
        # A tag write afterwards keeps it (the item is read and sent back whole).
        assert client.set_tags(show, {"dub-fr"}, set()) is True
        assert fake.state.item("s1")["OriginalLanguage"] == "fr"
        # A person's own value (set in the server's editor) is kept.
        fake.state.update("s1", OriginalLanguage="en")
        assert client.set_original_language(show, "jpn", ours="fr") is False
        assert fake.state.item("s1")["OriginalLanguage"] == "en"


@pytest.mark.parametrize(
    ("product", "version", "settable"),
    [
        ("Jellyfin Server", "12.0.0", True), ("Jellyfin Server", "12.1.3", True),
        ("Jellyfin Server", "10.11.11", False), ("Jellyfin Server", "?", False),
        ("Emby Server", "4.9.0.22", False),
    ],
)  # fmt: skip
def test_only_jellyfin_12_takes_an_original_language(
    product: str, version: str, settable: bool
) -> None:
    assert original_language_settable(ServerInfo("s", version, (), product=product)) is settable


def test_emby_refuses_to_set_an_original_language() -> None:
    with _fake(EMBY) as fake, _client(fake) as client:
        show = next(item for item in client.items() if item.id == "s1")
        with pytest.raises(MediaServerError, match="no original language"):
            client.set_original_language(show, "jpn")
    assert "OriginalLanguage" not in fake.state.item("s1")


def test_original_language_value_is_the_two_letters_jellyfin_stores() -> None:
    assert [original_language_value(code) for code in ("jpn", "fre", "fr-CA", "ja")] == [
        "ja",
        "fr",
        "fr",
        "ja",
    ]
    with pytest.raises(ValueError, match="not a language"):
        original_language_value("zzz-nope")
