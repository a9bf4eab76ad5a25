"""The fake Jellyfin's PlaybackInfo over HTTP (Jellyfin.Api/Controllers/
MediaInfoController.cs, ``GetPlaybackInfo``/``GetPostedPlaybackInfo``; the choice:
MediaSourceManager ``SetDefaultAudioAndSubtitleStreamIndices``): who the user is, what
the sources carry, a remembered track, the stored language, and 12's "Original
language"."""

from __future__ import annotations

from typing import Any

import requests

from fakes.jellyfin import FakeJellyfin, build_movie, build_series
from fakes.jellyfin.samples import build_seasons
from tests.helpers import SERVER_TOKEN

AUTH = {"Authorization": f'MediaBrowser Client="test", Token="{SERVER_TOKEN}"'}
STREAMS = [
    {"Index": 0, "Type": "Video", "Codec": "h264", "IsDefault": True},
    {"Index": 1, "Type": "Audio", "Codec": "ac3", "Language": "eng", "IsDefault": True},
    {"Index": 2, "Type": "Audio", "Codec": "ac3", "Language": "fre", "Title": "VFF"},
    {"Index": 3, "Type": "Audio", "Codec": "ac3", "Language": "fre", "Title": "VFQ"},
    {"Index": 4, "Type": "Subtitle", "Codec": "subrip", "Language": "fre", "IsForced": True},
]
FRENCH = {"AudioLanguagePreference": "fre", "PlayDefaultAudioTrack": False}


def movie_fake(version: str) -> FakeJellyfin:
    fake = FakeJellyfin(
        token=SERVER_TOKEN, version=version, items=[build_movie("m", "M", "/m.mkv")]
    )
    fake.state.set_streams("m", STREAMS)
    return fake


def source(fake: FakeJellyfin, user: str | None, method: str = "POST") -> dict[str, Any]:
    query = f"?userId={user}" if user else ""
    answer = requests.request(
        method, f"{fake.url}/Items/m/PlaybackInfo{query}", headers=AUTH, timeout=5
    )
    assert answer.status_code == 200, answer.text
    first: dict[str, Any] = answer.json()["MediaSources"][0]
    return first


def test_the_user_given_gets_his_choice_by_get_post_or_body() -> None:
    with movie_fake("10.11.11") as fake:
        user = fake.state.add_user("Léa", playback=FRENCH)
        posted = source(fake, user)
        got = source(fake, user, "GET")
        in_body = requests.post(
            f"{fake.url}/Items/m/PlaybackInfo", json={"UserId": user}, headers=AUTH, timeout=5
        ).json()["MediaSources"][0]
    # Play default off, fre preferred: the first fre of the sort, the VFF; the forced
    # fre subtitle (Default mode: the first external/default/forced one).
    assert (posted["DefaultAudioStreamIndex"], posted["DefaultSubtitleStreamIndex"]) == (2, 4)
    assert got == {**posted} and in_body == posted
    assert [s["Index"] for s in posted["MediaStreams"]] == [0, 1, 2, 3, 4]
    assert posted["Id"] == "m-source" and posted["Path"] == "/m.mkv"


def test_without_a_user_the_sources_carry_no_choice() -> None:
    # GetStaticMediaSources sets the indices only for a user; an API key has none.
    with movie_fake("10.10.7") as fake:
        anonymous = source(fake, None)
        unknown = source(fake, "0" * 32)
        got = requests.get(f"{fake.url}/Items/m/PlaybackInfo", headers=AUTH, timeout=5)
    for answer in (anonymous, unknown, got.json()["MediaSources"][0]):
        assert "DefaultAudioStreamIndex" not in answer
        assert "DefaultSubtitleStreamIndex" not in answer
        assert len(answer["MediaStreams"]) == 5


def test_10_8_get_requires_the_user_and_every_release_refuses_strangers() -> None:
    with movie_fake("10.8.13") as fake:
        got = requests.get(f"{fake.url}/Items/m/PlaybackInfo", headers=AUTH, timeout=5)
        missing = requests.post(f"{fake.url}/Items/nope/PlaybackInfo", headers=AUTH, timeout=5)
        anonymous = requests.post(f"{fake.url}/Items/m/PlaybackInfo", timeout=5)
    assert (got.status_code, missing.status_code, anonymous.status_code) == (400, 404, 401)


def test_the_language_is_read_back_as_iso_639_2_t_from_10_11() -> None:
    # MediaStreamRepository.Map (10.11+): TryGetISO6392TFromB("fre") -> "fra".
    languages = {}
    for version in ("10.10.7", "10.11.11"):
        with movie_fake(version) as fake:
            user = fake.state.add_user("Léa", playback=FRENCH)
            streams = source(fake, user)["MediaStreams"]
        languages[version] = [s.get("Language") for s in streams]
    assert languages == {
        "10.10.7": [None, "eng", "fre", "fre", "fre"],
        "10.11.11": [None, "eng", "fra", "fra", "fra"],
    }


def test_a_remembered_track_wins_while_remember_is_on() -> None:
    # SetDefaultAudioStreamIndex: userData.AudioStreamIndex while RememberAudioSelections
    # and the stream is still there; SubtitleStreamIndex -1 (off) is kept too.
    with movie_fake("10.11.11") as fake:
        keeps = fake.state.add_user("Léa", playback=FRENCH)
        forgets = fake.state.add_user("Tom", playback={**FRENCH, "RememberAudioSelections": False})
        for user in (keeps, forgets):
            fake.state.remember_tracks(user, "m", audio=3, subtitle=-1)
        kept, forgotten = source(fake, keeps), source(fake, forgets)
        fake.state.remember_tracks(keeps, "m", audio=9)  # a stream no longer there
        gone = source(fake, keeps)
    assert (kept["DefaultAudioStreamIndex"], kept["DefaultSubtitleStreamIndex"]) == (3, -1)
    assert (forgotten["DefaultAudioStreamIndex"], forgotten["DefaultSubtitleStreamIndex"]) == (
        2,
        -1,
    )
    assert gone["DefaultAudioStreamIndex"] == 2


def test_original_language_on_12() -> None:
    # 12: AudioLanguagePreference "OriginalLanguage" with PlayDefaultAudioTrack on:
    # GetDefaultAudioStreamIndex(streams, NormalizeLanguage(item's original), true): the
    # sorted list puts eng first, but its first default is searched whole: with the fre
    # flagged default alone, the fre plays. Off: the stream flagged original, else the
    # original language first. An episode inherits its series' OriginalLanguage.
    series = build_series("s", "Show", "/tv/Show", OriginalLanguage="en")
    episodes = [item for item in build_seasons(series, 1, 1) if item["Type"] == "Episode"]
    flagged_fre = [
        {**s, "IsDefault": s.get("Title") == "VFF"} if s["Type"] == "Audio" else s for s in STREAMS
    ]
    chosen = {}
    for version in ("10.11.11", "12.0.0"):
        with FakeJellyfin(token=SERVER_TOKEN, version=version, items=[series, *episodes]) as fake:
            episode = episodes[0]["Id"]
            fake.state.set_streams(episode, flagged_fre)
            on = fake.state.add_user("On", playback={"AudioLanguagePreference": "OriginalLanguage"})
            off = fake.state.add_user(
                "Off",
                playback={
                    "AudioLanguagePreference": "OriginalLanguage",
                    "PlayDefaultAudioTrack": False,
                },
            )
            for user in (on, off):
                answer = requests.post(
                    f"{fake.url}/Items/{episode}/PlaybackInfo?userId={user}",
                    headers=AUTH,
                    timeout=5,
                ).json()
                chosen[(version, user == on)] = answer["MediaSources"][0]["DefaultAudioStreamIndex"]
    # 10.11 has no such choice: "OriginalLanguage" normalises to itself and matches no
    # stream; on: the default (VFF), off: the first of the order, the default VFF too.
    assert chosen == {
        ("10.11.11", True): 2,
        ("10.11.11", False): 2,
        ("12.0.0", True): 2,  # the default flag still wins
        ("12.0.0", False): 1,  # no stream flagged original: eng ("en") sorts first
    }
