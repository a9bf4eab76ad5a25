"""The audio stream Jellyfin starts, from real Matroska files whose FlagDefault is set
by mkvpropedit, read as Jellyfin's probe reads them (tests/jellyfin_streams.py) and asked
of the fake Jellyfin over HTTP (``POST /Items/{itemId}/PlaybackInfo``), whose choice is
modelled from jellyfin/jellyfin's source (fakes/jellyfin/stream_selection.py):

``MediaStreamSelector.GetDefaultAudioStreamIndex`` (Emby.Server.Implementations/Library/
MediaStreamSelector.cs, every release)::

    var sortedStreams = GetSortedStreams(streams, MediaStreamType.Audio, preferredLanguages);
    if (preferDefaultTrack) {                       // PlayDefaultAudioTrack
        var defaultStream = sortedStreams.FirstOrDefault(i => i.IsDefault);
        if (defaultStream is not null) return defaultStream.Index;
    }
    return sortedStreams.FirstOrDefault()?.Index;

``GetSortedStreams``: 10.10+ ``OrderByDescending(GetStreamScore)`` (language first, then
IsForced, IsDefault, ...; stable), 10.8 ``OrderBy(language position).ThenBy(IsDefault)
... .ThenBy(Index)``. The preferred language ``fre`` normalises to ``fre``/``fra``
(``NormalizeLanguage``), which both the VFF and the VFQ carry.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.jellyfin_streams import JELLYFIN_VERSIONS, jellyfin_default_audio, probe_streams
from tests.media import AudioSpec, default_factory

VERSIONS = JELLYFIN_VERSIONS
ENG, VFF, VFQ = 1, 2, 3  # the audio streams' positions
QUEBEC_FILE = (
    AudioSpec("eng", title="English", default=True),
    AudioSpec("fre", title="VFF"),
    AudioSpec("fre", title="VFQ"),
)


@pytest.fixture(params=["ffmpeg", "mkvmerge"])
def film(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """eng + fre (VFF) + fre (VFQ), made by ffmpeg, or remuxed by mkvmerge (its own
    header: the flags it writes, a Void after Tracks)."""
    made = default_factory().make_video(tmp_path / "ffmpeg.mkv", QUEBEC_FILE)
    if request.param == "ffmpeg":
        return made
    remuxed = tmp_path / "mkvmerge.mkv"
    subprocess.run(["mkvmerge", "-q", "-o", str(remuxed), str(made)], check=True)
    return remuxed


def set_default_flags(path: Path, flags: Mapping[int, bool | None]) -> None:
    """FlagDefault of audio track n (1-based) set by mkvpropedit; None: the element
    removed (absent: 1, RFC 9559)."""
    command = ["mkvpropedit", "-q", str(path)]
    for position, value in flags.items():
        command += ["--edit", f"track:a{position}"]
        if value is None:
            command += ["--delete", "flag-default"]
        else:
            command += ["--set", f"flag-default={int(value)}"]
    subprocess.run(command, check=True, capture_output=True)


def starts(path: Path, languages: tuple[str, ...], play_default: bool = True) -> dict[str, int]:
    """Release -> the audio stream's position Jellyfin starts (tests/jellyfin_streams.py)."""
    return {
        version: jellyfin_default_audio(
            path, languages=languages, play_default=play_default, version=version
        )
        for version in VERSIONS
    }


def every(position: int) -> dict[str, int]:
    return dict.fromkeys(VERSIONS, position)


def test_mkvtoolnix_is_there() -> None:
    assert shutil.which("mkvpropedit") and shutil.which("mkvmerge")


def test_the_probe_reads_the_flags_as_jellyfin_stores_them(film: Path) -> None:
    # ProbeResultNormalizer.GetMediaStream: Language = tags["language"], Title =
    # tags["title"], IsDefault = disposition["default"] == 1, IsForced = ...["forced"].
    set_default_flags(film, {ENG: None, VFF: False, VFQ: True})
    audio = [s for s in probe_streams(film) if s["Type"] == "Audio"]
    assert [(s["Language"], s["Title"], s["IsDefault"]) for s in audio] == [
        ("eng", "English", True),  # FlagDefault absent: default (RFC 9559's 1)
        ("fre", "VFF", False),
        ("fre", "VFQ", True),
    ]
    assert [s["Index"] for s in audio] == [1, 2, 3]
    assert not any(s["IsForced"] or s["IsExternal"] for s in audio)


def test_the_default_flag_of_another_language_wins_with_play_default_on(film: Path) -> None:
    # Sorted: VFF, VFQ (fre, preferred), eng; FirstOrDefault(IsDefault) searches the
    # whole sorted list and finds the eng: the default flag wins whatever its language.
    set_default_flags(film, {ENG: True, VFF: False, VFQ: False})
    assert starts(film, languages=("fre",)) == every(ENG)


def test_without_a_default_flag_the_order_decides(film: Path) -> None:
    # No stream is default: FirstOrDefault() of the sorted list; VFF and VFQ tie (same
    # code, same flags) and the stable sort keeps the file's order: the VFF.
    set_default_flags(film, {ENG: False, VFF: False, VFQ: False})
    assert starts(film, languages=("fre",)) == every(VFF)


def test_the_vfq_plays_once_it_alone_carries_the_default_flag(film: Path) -> None:
    # The Quebec household's file after Taggarr's change: only the VFQ is default. Sorted
    # VFQ (fre + IsDefault scores higher; 10.8: ThenBy IsDefault), VFF, eng; the first
    # default is the VFQ, and with PlayDefaultAudioTrack off the first of the order too.
    set_default_flags(film, {ENG: False, VFF: False, VFQ: True})
    assert starts(film, languages=("fre",)) == every(VFQ)
    assert starts(film, languages=("fre",), play_default=False) == every(VFQ)


def test_an_absent_flag_counts_as_default(film: Path) -> None:
    # FlagDefault absent on the eng (Matroska's default 1): ffmpeg's disposition is
    # default, so Jellyfin plays the eng as if it were flagged.
    set_default_flags(film, {ENG: None, VFF: False, VFQ: False})
    assert starts(film, languages=("fre",)) == every(ENG)


def test_the_preferred_language_default_beats_another_default(film: Path) -> None:
    # eng and VFQ both default: the sort puts the fre streams first, so the first
    # default of the sorted list is the VFQ.
    set_default_flags(film, {ENG: True, VFF: False, VFQ: True})
    assert starts(film, languages=("fre",)) == every(VFQ)


def test_play_default_off_takes_the_preferred_language_first(film: Path) -> None:
    # preferDefaultTrack false: FirstOrDefault() of the sorted list, the first fre (VFF,
    # neither fre default); the eng's flag only moves it within the eng streams.
    set_default_flags(film, {ENG: True, VFF: False, VFQ: False})
    assert starts(film, languages=("fre",), play_default=False) == every(VFF)


def test_without_a_language_preference_the_default_flag_decides(film: Path) -> None:
    # NormalizeLanguage(null) = []: every stream scores the same language part.
    set_default_flags(film, {ENG: True, VFF: False, VFQ: False})
    assert starts(film, languages=()) == every(ENG)
    set_default_flags(film, {ENG: False, VFF: False, VFQ: True})
    assert starts(film, languages=()) == every(VFQ)
    # Off: the sort alone, IsDefault still ranks first among equals.
    assert starts(film, languages=(), play_default=False) == every(VFQ)
    set_default_flags(film, {ENG: False, VFF: False, VFQ: False})
    assert starts(film, languages=(), play_default=False) == every(ENG)


def test_french_canada_as_preference_matches_no_track(film: Path) -> None:
    # "French (Canada)" is stored "frc"; NormalizeLanguage gives ["frc"] (10.8, 10.10:
    # the culture's codes) or ["fr-ca"] (10.11+: a regional culture's name): no track is
    # tagged either, so the flags alone decide, as with no preference.
    set_default_flags(film, {ENG: True, VFF: False, VFQ: False})
    assert starts(film, languages=("frc",)) == every(ENG)
    set_default_flags(film, {ENG: False, VFF: False, VFQ: False})
    assert starts(film, languages=("frc",)) == every(ENG)
    set_default_flags(film, {ENG: False, VFF: False, VFQ: True})
    assert starts(film, languages=("frc",)) == every(VFQ)


def test_a_forced_audio_track_outranks_the_default_from_10_10(tmp_path: Path) -> None:
    # GetStreamScore (10.10+) weighs IsForced above IsDefault; 10.8's OrderBy chain has
    # no IsForced and keeps the Index order between two defaults.
    path = default_factory().make_video(
        tmp_path / "forced.mkv",
        (AudioSpec("eng", default=True), AudioSpec("fre", default=True, forced=True)),
    )
    assert starts(path, languages=()) == {**every(2), "10.8.13": 1}
