"""The subtitle stream Jellyfin starts, by SubtitleMode, from a real Matroska file
(audio eng (default) + fre; subtitles eng, fre, fre forced), asked of the fake over
HTTP. The rules (Emby.Server.Implementations/Library/MediaStreamSelector.cs,
``GetDefaultSubtitleStreamIndex``; the audio language passed is the language of the
audio stream chosen first, MediaSourceManager ``SetDefaultSubtitleStreamIndex``) differ
per release; each case quotes the ordering and the pick it follows.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from fakes.jellyfin import FakeJellyfin, build_movie
from tests.jellyfin_streams import JELLYFIN_VERSIONS, probe_streams
from tests.media import AudioSpec, SubtitleSpec, default_factory

VERSIONS = JELLYFIN_VERSIONS
# ffprobe's indices: 0 video, 1 eng audio, 2 fre audio, 3 eng, 4 fre, 5 fre forced.
FRE_AUDIO, ENG_SUB, FRE_SUB, FRE_FORCED = 2, 3, 4, 5


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return default_factory().make_video(
        tmp_path / "film.mkv",
        (AudioSpec("eng", default=True), AudioSpec("fre")),
        subtitles=(
            SubtitleSpec("eng"),
            SubtitleSpec("fre"),
            SubtitleSpec("fre", title="Forcés", forced=True),
        ),
    )


def started(path: Path, playback: dict[str, Any]) -> dict[str, int | None]:
    """Release -> DefaultSubtitleStreamIndex for a user with these settings."""
    token = uuid.uuid4().hex
    found: dict[str, int | None] = {}
    for version in VERSIONS:
        with FakeJellyfin(
            token=token, version=version, items=[build_movie("m", "M", str(path))]
        ) as fake:
            fake.state.set_streams("m", probe_streams(path, version=version))
            user = fake.state.add_user("viewer", playback=playback)
            answer = requests.post(
                f"{fake.url}/Items/m/PlaybackInfo?userId={user}",
                headers={"Authorization": f'MediaBrowser Token="{token}"'},
                timeout=10,
            )
        answer.raise_for_status()
        found[version] = answer.json()["MediaSources"][0].get("DefaultSubtitleStreamIndex")
    return found


def french_subtitles(mode: str, audio: str | None = None) -> dict[str, Any]:
    return {
        "SubtitleLanguagePreference": "fre",
        "SubtitleMode": mode,
        "AudioLanguagePreference": audio,
    }


def test_the_probe_reads_the_subtitles(film: Path) -> None:
    subtitles = [s for s in probe_streams(film) if s["Type"] == "Subtitle"]
    assert [(s["Index"], s["Language"], s["IsForced"], s["IsDefault"]) for s in subtitles] == [
        (ENG_SUB, "eng", False, False),
        (FRE_SUB, "fre", False, False),
        (FRE_FORCED, "fre", True, False),
    ]
    assert {s["Codec"] for s in subtitles} == {"subrip"}
    assert subtitles[2]["Title"] == "Forcés"


def test_none_shows_nothing(film: Path) -> None:
    # if (mode == SubtitlePlaybackMode.None) return null;
    assert set(started(film, french_subtitles("None")).values()) == {None}


def test_default_takes_the_first_flagged_one(film: Path) -> None:
    # Default: FirstOrDefault(x => x.IsExternal || x.IsForced || x.IsDefault); no
    # subtitle is default, the forced one is flagged.
    assert set(started(film, french_subtitles("Default")).values()) == {FRE_FORCED}


def test_a_default_subtitle_beats_a_forced_one_from_10_11(film: Path) -> None:
    # 10.8/10.10 sort IsForced before IsDefault; 10.11 ("Default > No tag > Forced")
    # sorts IsDefault right after IsExternal: the eng subtitle flagged default wins.
    subprocess.run(
        ["mkvpropedit", "-q", str(film), "--edit", "track:s1", "--set", "flag-default=1"],
        check=True,
    )
    assert started(film, french_subtitles("Default")) == {
        "10.8.13": FRE_FORCED, "10.10.7": FRE_FORCED, "10.11.11": ENG_SUB, "12.0.0": ENG_SUB,
    }  # fmt: skip


def test_smart_when_the_audio_is_not_the_subtitle_language(film: Path) -> None:
    # The audio played is the eng (default, no audio preference).
    # 10.8: streams.FirstOrDefault(s => !s.IsForced && preferred.Contains(s.Language))
    #   over ALL the source's streams: the fre AUDIO stream is answered as the subtitle.
    # 10.10: sorted forced first, then FirstOrDefault(preferred language): the forced fre.
    # 10.11: sorted full-preferred before forced-preferred: the full fre.
    assert started(film, french_subtitles("Smart")) == {
        "10.8.13": FRE_AUDIO, "10.10.7": FRE_FORCED, "10.11.11": FRE_SUB, "12.0.0": FRE_SUB,
    }  # fmt: skip


def test_smart_when_the_audio_is_the_subtitle_language(film: Path) -> None:
    # The fre audio plays (preferred audio fre, PlayDefaultAudioTrack off: on, the eng's
    # default flag would win): only forced subtitles (10.8: the fallback "a forced one
    # in the audio's language"; 10.10: FirstOrDefault(IsForced); 10.11: BehaviorOnlyForced).
    playback = {**french_subtitles("Smart", audio="fre"), "PlayDefaultAudioTrack": False}
    assert set(started(film, playback).values()) == {FRE_FORCED}


def test_always(film: Path) -> None:
    # 10.8: sortedStreams.FirstOrDefault(s => !s.IsForced): the first full one, eng.
    # 10.10+: the first full one of the preferred language.
    assert started(film, french_subtitles("Always")) == {
        "10.8.13": ENG_SUB, "10.10.7": FRE_SUB, "10.11.11": FRE_SUB, "12.0.0": FRE_SUB,
    }  # fmt: skip


def test_only_forced(film: Path) -> None:
    # FirstOrDefault(x => x.IsForced) (10.11: forced of a preferred or undefined language).
    assert set(started(film, french_subtitles("OnlyForced")).values()) == {FRE_FORCED}
