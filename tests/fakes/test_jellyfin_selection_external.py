"""An external audio file beside the video (``Film.fr-CA.ac3``, ``Film.fr-CA.mka``), as
Jellyfin reads it (MediaBrowser.Providers/MediaInfo/MediaInfoResolver.cs,
``GetExternalStreamsAsync`` and ``MergeMetadata``; Emby.Naming/ExternalFiles/
ExternalPathParser.cs, ``ParseFile``) and the audio stream it then starts
(MediaStreamSelector.GetDefaultAudioStreamIndex), from real files made by ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

from tests.jellyfin_streams import (
    JELLYFIN_VERSIONS,
    external_streams,
    jellyfin_default_audio,
    probe_streams,
)
from tests.media import AudioSpec, default_factory

VERSIONS = JELLYFIN_VERSIONS
ENG, VFF, EXTERNAL = 1, 2, 3


def make_audio(path: Path, *, language: str | None = None, default: bool = False) -> Path:
    """A one-stream audio file (raw AC-3, or Matroska audio for .mka)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=0.2", "-c:a", "ac3"]
    if language is not None:
        command += ["-metadata:s:a:0", f"language={language}"]
    command += ["-disposition:a:0", "default" if default else "0", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    return path


def film(folder: Path) -> Path:
    """eng (default) + fre (VFF), and nothing of Quebec inside."""
    return default_factory().make_video(
        folder / "Film (2020).mkv", (AudioSpec("eng", default=True), AudioSpec("fre"))
    )


def test_the_name_gives_the_language_and_the_default(tmp_path: Path) -> None:
    video = film(tmp_path)
    quebec = make_audio(tmp_path / "Film (2020).fr-CA.default.ac3")
    # 10.11+: the regional culture's name; before: its first three-letter code.
    read = {v: external_streams(quebec, video, 3, version=v)[0] for v in VERSIONS}
    assert {v: s["Language"] for v, s in read.items()} == {
        "10.8.13": "frc", "10.10.7": "frc", "10.11.11": "fr-ca", "12.0.0": "fr-ca",
    }  # fmt: skip
    assert all(s["IsExternal"] and s["IsDefault"] and s["Index"] == 3 for s in read.values())


def test_a_files_own_default_flag_counts_before_10_11_only(tmp_path: Path) -> None:
    # 10.8/10.10: IsDefault = pathInfo.IsDefault || mediaStream.IsDefault; 10.11+:
    # IsDefault = pathInfo.IsDefault (the name's ".default" alone). (A raw .ac3 has no
    # disposition at all: only Matroska audio carries its own flag.)
    video = film(tmp_path)
    flagged = make_audio(tmp_path / "Film (2020).fr-CA.mka", default=True)  # FlagDefault 1
    assert probe_streams(flagged)[0]["IsDefault"]
    defaults = {v: external_streams(flagged, video, 3, version=v)[0]["IsDefault"] for v in VERSIONS}
    assert defaults == {"10.8.13": True, "10.10.7": True, "10.11.11": False, "12.0.0": False}


def test_a_matroska_track_without_language_reads_english_and_hides_the_names(
    tmp_path: Path,
) -> None:
    # MergeMetadata keeps the stream's own language when it has one. ffmpeg writes
    # "und" (no language tag read back: the name's is used); a track without the
    # Language element reads "eng" (its default, RFC 9559), so the name is ignored.
    video = film(tmp_path)
    mka = make_audio(tmp_path / "Film (2020).fr-CA.mka")
    assert external_streams(mka, video, 3)[0]["Language"] == "fr-ca"
    subprocess.run(
        ["mkvpropedit", "-q", str(mka), "--edit", "track:a1", "--delete", "language"],
        check=True,
    )
    assert external_streams(mka, video, 3)[0]["Language"] == "eng"


def test_a_regional_preference_matches_an_external_file_named_with_its_region(
    tmp_path: Path,
) -> None:
    # Preferred "frc" normalises to ["frc"] (10.8/10.10) or ["fr-ca"] (10.11+): the
    # external file's language from its name, so it sorts first. With Play default on,
    # the eng's flag still wins unless the file is named ".default"; off, it plays.
    video = film(tmp_path)
    plain = make_audio(tmp_path / "Film (2020).fr-CA.ac3")
    asked = {
        (version, play_default): jellyfin_default_audio(
            video, languages=("frc",), play_default=play_default, version=version, external=[plain]
        )
        for version in VERSIONS
        for play_default in (True, False)
    }
    assert asked == {key: ENG if key[1] else EXTERNAL for key in asked}
    plain.rename(named := tmp_path / "Film (2020).fr-CA.default.ac3")
    on = {
        v: jellyfin_default_audio(video, languages=("frc",), version=v, external=[named])
        for v in VERSIONS
    }
    assert set(on.values()) == {EXTERNAL}


def test_a_default_external_file_outranks_a_default_track_of_another_language(
    tmp_path: Path,
) -> None:
    # Preferred "fre": neither the eng nor the external (fr-ca/frc) is of it. Both are
    # default; the score's SupportsExternalStream and IsExternal digits put the external
    # first (10.8: ThenBy the same two), so it plays, not the eng.
    video = film(tmp_path)
    named = make_audio(tmp_path / "Film (2020).fr-CA.default.ac3")
    on = {
        v: jellyfin_default_audio(video, languages=("fre",), version=v, external=[named])
        for v in VERSIONS
    }
    assert set(on.values()) == {EXTERNAL}
    # Off: the preferred language first, the VFF.
    off = {
        v: jellyfin_default_audio(
            video, languages=("fre",), play_default=False, version=v, external=[named]
        )
        for v in VERSIONS
    }
    assert set(off.values()) == {VFF}
