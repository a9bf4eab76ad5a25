"""An audio track's codec family (scanner/engine/audio_codecs.py): from real files read
by the real MediaInfo, from the *arr's ``mediaInfo.audioCodec``, kept with the stored
track (issue 70: the evidence that a media server's stream is Taggarr's track)."""

from __future__ import annotations

import json

import pytest

from scanner.arr.media_info import ArrFile, parse_file
from scanner.engine.arr_tracks import tracks_from_arr
from scanner.engine.audio_codecs import FAMILIES, arr_codec, mediainfo_codec
from scanner.engine.dub_news import seen_audio
from scanner.engine.probe import probe
from scanner.engine.tracks import AudioTrack, make_track
from tests.media import AudioSpec, MediaFactory

# (ffmpeg's encoder, the container, the family MediaInfo's Format gives)
ENCODED = [
    ("ac3", "mkv", "ac3"),
    ("eac3", "mkv", "eac3"),
    ("aac", "mkv", "aac"),
    ("flac", "mkv", "flac"),
    ("libopus", "mkv", "opus"),
    ("libvorbis", "mkv", "vorbis"),
    ("pcm_s16le", "mkv", "pcm"),
    ("mp2", "mkv", "mpeg"),
    ("aac", "mp4", "aac"),
    ("ac3", "mp4", "ac3"),
    ("eac3", "mp4", "eac3"),
    ("ac3", "ts", "ac3"),
    (None, "wmv", "wma"),
]


@pytest.mark.parametrize(
    ("encoder", "container", "family"), ENCODED, ids=[f"{c}-{e}" for e, c, _ in ENCODED]
)
def test_each_tracks_codec_from_a_real_file(
    media: MediaFactory, encoder: str | None, container: str, family: str
) -> None:
    # The codec under test is second, after an AC-3 one: each track keeps its own.
    path = media.template(
        [AudioSpec("jpn", codec="ac3"), AudioSpec("fre", codec=encoder)], container
    )

    first, second = probe(path).audio

    assert (first.codec, second.codec) == ("ac3", family)


# MediaInfo's Format as MediaInfoLib writes it (File_Ac3.cpp "AC-3", "E-AC-3", "MLP FBA";
# File_Dts.cpp "DTS"; older builds "TrueHD", "E-AC-3 JOC", "DTS XLL"; a stream read two
# ways, "MLP FBA / AC-3").
@pytest.mark.parametrize(
    ("format_", "family"),
    [
        ("AC-3", "ac3"),
        ("E-AC-3", "eac3"),
        ("E-AC-3 JOC", "eac3"),
        ("MLP FBA", "truehd"),
        ("MLP FBA 16-ch", "truehd"),
        ("MLP FBA / AC-3", "truehd"),
        ("TrueHD", "truehd"),
        ("DTS", "dts"),
        ("DTS XLL", "dts"),
        ("MPEG Audio", "mpeg"),
        ("ADPCM", None),
        ("AC-4", None),
        ("", None),
        (None, None),
        ("AC-3" + " " * 60, None),
    ],
)
def test_mediainfo_formats(format_: str | None, family: str | None) -> None:
    assert mediainfo_codec(format_) == family


# Sonarr's and Radarr's MediaInfoFormatter.FormatAudioCodec (src/NzbDrone.Core/MediaFiles/
# MediaInfo/MediaInfoFormatter.cs): its names, and MediaInfo's Format passed on as is.
@pytest.mark.parametrize(
    ("audio_codec", "family"),
    [
        ("AC3", "ac3"),
        ("EAC3 Atmos", "eac3"),
        ("TrueHD Atmos", "truehd"),
        ("DTS-HD MA", "dts"),
        ("DTS-X", "dts"),
        ("DTS-ES", "dts"),
        ("HE-AAC", "aac"),
        ("MP3", "mpeg"),
        ("MP2", "mpeg"),
        ("Opus", "opus"),
        ("PCM", "pcm"),
        ("WMA", "wma"),
        ("E-AC-3", "eac3"),
        ("A_QUICKTIME", None),
        ("", None),
    ],
)
def test_arr_audio_codecs(audio_codec: str, family: str | None) -> None:
    assert arr_codec(audio_codec) == family


def test_the_arrs_codec_is_a_tracks_only_when_the_file_has_one_audio_stream() -> None:
    one = tracks_from_arr(["fre"], 1, audio_codec="EAC3 Atmos")
    two = tracks_from_arr(["fre", "eng"], 2, audio_codec="EAC3 Atmos")
    untagged = tracks_from_arr(["fre"], 2, audio_codec="AC3")  # an untagged stream besides
    uncounted = tracks_from_arr(["fre"], None, audio_codec="AC3")  # v3: maybe more streams

    assert [t.codec for t in one.audio] == ["eac3"]
    assert [t.codec for t in two.audio + untagged.audio + uncounted.audio] == [None] * 5


def test_the_arrs_audio_codec_read_and_kept_in_a_scan_item() -> None:
    entry = {
        "relativePath": "Season 01/Show - S01E01.mkv",
        "mediaInfo": {"audioLanguages": "fre", "audioStreamCount": 1, "audioCodec": "DTS-HD MA"},
    }
    parsed = parse_file(entry)
    assert parsed is not None and parsed.audio_codec == "DTS-HD MA"
    assert ArrFile.from_dict(json.loads(json.dumps(parsed.to_dict()))) == parsed
    odd = parse_file({**entry, "mediaInfo": {**entry["mediaInfo"], "audioCodec": 5}})
    assert odd is not None and odd.audio_codec == "" and "audio_codec" not in odd.to_dict()


def test_a_stored_track_keeps_its_codec_and_rows_without_one_load() -> None:
    track = make_track(1, "fre", "VFQ", codec="eac3")
    old_row = {k: v for k, v in track.to_dict().items() if k != "codec"}  # stored before

    assert AudioTrack.from_dict(json.loads(json.dumps(track.to_dict()))) == track
    assert AudioTrack.from_dict(old_row).codec is None
    assert AudioTrack.from_dict({**old_row, "codec": "<script>"}).codec is None
    # A track without a codec is stored as before: no row changes for it.
    assert "codec" not in make_track(1, "fre", "VFQ").to_dict()
    assert set(FAMILIES) >= {"ac3", "eac3", "dts", "truehd", "aac"}


def test_a_codec_learnt_is_no_news_and_no_correction() -> None:
    # The dub news and its corrections compare what a scan saw of each file's audio
    # (engine.dub_news.seen_audio): a codec read for the first time changes none of it.
    before, after = make_track(1, "fre", "VFQ"), make_track(1, "fre", "VFQ", codec="ac3")
    assert seen_audio([before]) == seen_audio([after])
