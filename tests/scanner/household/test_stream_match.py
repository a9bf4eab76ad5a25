"""Taggarr's tracks to Plex's streams (scanner/household/stream_match.py), on
tables: a VF2 release (VFF and VFQ both ``fre``), MULTi, anime DUAL with a sidecar, a
commentary track, a mislabelled track; and every doubt that refuses the match."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scanner.engine.tracks import AudioTrack, SubtitleTrack, make_subtitle, make_track
from scanner.household.stream_match import Doubt, match_streams
from scanner.media_servers.clients.plex_streams import PlexPart, PlexStream

FILE = "/data/movies/Film (2020)/Film.MULTi.VF2.1080p.mkv"


def audio(
    sid: int, index: int | None, code: str, title: str = "", codec: str = "ac3"
) -> PlexStream:
    return PlexStream(sid, "audio", index, codec, code, code[:2], title, title, False, False)


def sub(
    sid: int,
    index: int | None,
    code: str,
    title: str = "",
    *,
    forced: bool = False,
    codec: str = "srt",
) -> PlexStream:
    return PlexStream(
        sid,
        "subtitle",
        index,
        codec,
        code,
        code[:2],
        title,
        title,
        False,
        False,
        forced=forced,
        external=index is None,
    )


def part(*streams: PlexStream, file: str = FILE, pid: int = 7) -> PlexPart:
    video = PlexStream(1, "video", 0, "h264", "", "", "", "", False, False)
    return PlexPart(pid, "70", file, (video, *streams))


def sidecar(name: str, language: str, *, forced: bool = False) -> SubtitleTrack:
    return SubtitleTrack(0, language, language, None, forced, "srt", not forced, file=name)


VF2_TRACKS = [
    make_track(1, "fre", "VFF"),
    make_track(2, "fre", "VFQ"),
    make_track(3, "eng", "English"),
]
VF2_PART = part(
    audio(11, 1, "fre", "VFF", "eac3"), audio(12, 2, "fre", "VFQ"), audio(13, 3, "eng", "English")
)


def with_codecs(tracks: list[AudioTrack], *codecs: str | None) -> list[AudioTrack]:
    return [replace(track, codec=codec) for track, codec in zip(tracks, codecs, strict=False)]


def test_vf2_tells_the_vff_from_the_vfq_by_order_title_and_codec() -> None:
    tracks = with_codecs(VF2_TRACKS, "eac3", "ac3", None)
    found = match_streams(FILE, [VF2_PART], tracks)

    assert found.doubt is None
    assert found.audio == {1: 11, 2: 12, 3: 13}
    assert found.part_id == 7 and found.audio_certain()


def test_titles_that_differ_refuse_even_when_the_languages_agree() -> None:
    swapped = part(audio(11, 1, "fre", "VFQ"), audio(12, 2, "fre", "VFF"), audio(13, 3, "eng"))

    found = match_streams(FILE, [swapped], VF2_TRACKS)

    assert found.audio == {}
    assert found.doubts == (
        Doubt("title-disagrees", "audio", 1),
        Doubt("title-disagrees", "audio", 2),
    )


def test_a_codec_of_another_family_refuses() -> None:
    tracks = with_codecs(VF2_TRACKS, "ac3", "ac3", "ac3")  # Plex: eac3 for the first

    found = match_streams(FILE, [VF2_PART], tracks)

    assert found.doubts == (Doubt("codec-disagrees", "audio", 1),)
    assert found.audio == {}
    assert not found.audio_certain()


@pytest.mark.parametrize(
    ("ours", "plex"),
    [
        ("dts", "dca"),  # Plex names DTS as ffmpeg did; its extensions in ``profile``
        ("dts", "dca-ma"),
        ("pcm", "pcm_s24le"),
        ("mpeg", "mp3"),
        ("truehd", "truehd"),
        (None, "eac3"),  # a track stored before codecs were kept
        ("eac3", "alac"),  # a codec the table does not know: no evidence either way
        ("eac3", ""),
    ],
)
def test_codecs_of_one_family_or_unknown_on_either_side_agree(ours: str | None, plex: str) -> None:
    plex_part = part(audio(11, 1, "fre", "", plex))

    found = match_streams(FILE, [plex_part], [replace(make_track(1, "fre", None), codec=ours)])

    assert found.doubt is None and found.audio == {1: 11}


def test_a_codec_disagreement_counts_only_when_the_language_and_title_agree() -> None:
    plex_part = part(audio(11, 1, "eng", "", "dca"))

    found = match_streams(FILE, [plex_part], [replace(make_track(1, "fre", None), codec="aac")])

    assert found.doubts == (Doubt("language-disagrees", "audio", 1),)


def test_multi_with_embedded_subtitles() -> None:
    tracks = [make_track(1, "fre", None), make_track(2, "eng", None)]
    subtitles = [make_subtitle(1, "fre", "Forced", forced=True), make_subtitle(2, "eng")]
    plex = part(
        audio(21, 1, "fre"),
        audio(22, 2, "eng"),
        sub(23, 3, "fre", "Forced", forced=True),
        sub(24, 4, "eng"),
    )

    found = match_streams(FILE, [plex], tracks, subtitles)

    assert (found.audio, found.subtitles, found.doubt) == ({1: 21, 2: 22}, {1: 23, 2: 24}, None)


def test_dual_anime_with_a_sidecar_french_subtitle() -> None:
    file = "/data/anime/Show/S01E01.DUAL.mkv"
    tracks = [make_track(1, "jpn", None), make_track(2, "fre", None)]
    subtitles = [
        make_subtitle(1, "fre", "Signs", forced=True),
        sidecar("S01E01.DUAL.fr.srt", "fra"),
    ]
    plex = part(
        audio(31, 1, "jpn"),
        audio(32, 2, "fre"),
        sub(33, 3, "fre", "Signs", forced=True, codec="ass"),
        sub(34, None, "fre"),
        file=file,
    )

    found = match_streams(file, [plex], tracks, subtitles)

    assert found.doubt is None
    assert found.audio == {1: 31, 2: 32}
    assert found.subtitles == {1: 33}
    assert found.sidecars == {"S01E01.DUAL.fr.srt": 34}


def test_a_commentary_track_is_matched_like_any_other() -> None:
    tracks = [make_track(1, "eng", None), make_track(2, "eng", "Director's Commentary")]
    plex = part(audio(41, 1, "eng"), audio(42, 2, "eng", "Director's Commentary"))

    found = match_streams(FILE, [plex], tracks)

    assert tracks[1].is_commentary
    assert found.audio == {1: 41, 2: 42} and found.doubt is None


def test_a_mislabelled_track_matches_by_the_tag_both_read() -> None:
    # The file says "eng"; Taggarr heard French. Plex reads the same "eng" tag.
    heard_french = replace(make_track(2, "eng", None), variety="fr-CA")
    tracks = [make_track(1, "jpn", None), heard_french]
    plex = part(audio(51, 1, "jpn"), audio(52, 2, "eng"))

    assert match_streams(FILE, [plex], tracks).audio == {1: 51, 2: 52}


def test_an_unknown_language_on_one_side_neither_confirms_nor_refuses() -> None:
    tracks = [make_track(1, None, None), make_track(2, "fre", None)]
    plex = part(audio(61, 1, "jpn"), audio(62, 2, ""))

    assert match_streams(FILE, [plex], tracks).audio == {1: 61, 2: 62}


@pytest.mark.parametrize(
    ("plex", "tracks", "doubt"),
    [
        (part(audio(71, 1, "fre")), VF2_TRACKS, Doubt("audio-count-differs", "audio")),
        (
            part(audio(71, 1, "jpn"), audio(72, 2, "fre"), audio(73, 3, "eng")),
            [make_track(1, "fre", None), make_track(2, "fre", None), make_track(3, "eng", None)],
            Doubt("language-disagrees", "audio", 1),
        ),
        (
            part(audio(71, None, "fre"), audio(72, None, "fre"), audio(73, None, "eng")),
            VF2_TRACKS,
            Doubt("order-unknown", "audio"),
        ),
    ],
)
def test_doubts_refuse_the_audio(plex: PlexPart, tracks: list[AudioTrack], doubt: Doubt) -> None:
    found = match_streams(FILE, [plex], tracks)

    assert found.audio == {}
    assert found.doubt == doubt
    assert not found.audio_certain()


def test_subtitle_counts_that_differ_refuse_the_subtitles_only() -> None:
    plex = part(audio(81, 1, "fre"), sub(82, 2, "fre"), sub(83, 3, "eng"))

    found = match_streams(FILE, [plex], [make_track(1, "fre", None)], [make_subtitle(1, "fre")])

    assert found.audio == {1: 81}
    assert found.subtitles == {}
    assert found.doubts == (Doubt("subtitle-count-differs", "subtitle"),)
    assert found.audio_certain() and not found.subtitles_certain()


def test_two_plex_sidecars_of_one_language_are_two_candidates() -> None:
    plex = part(audio(91, 1, "jpn"), sub(92, None, "fre"), sub(93, None, "fre"))

    found = match_streams(FILE, [plex], [make_track(1, "jpn", None)], [sidecar("a.fr.srt", "fra")])

    assert found.doubts == (Doubt("two-candidates", "subtitle", "a.fr.srt"),)
    assert found.sidecars == {}


def test_a_sidecar_plex_does_not_list_has_no_candidate() -> None:
    plex = part(audio(91, 1, "jpn"))

    found = match_streams(FILE, [plex], [make_track(1, "jpn", None)], [sidecar("a.en.srt", "eng")])

    assert found.doubts == (Doubt("no-candidate", "subtitle", "a.en.srt"),)


def test_the_part_by_path_then_by_name() -> None:
    other = part(audio(11, 1, "fre"), file="/data/movies/Film (2020)/Film.720p.mkv", pid=8)
    moved = replace(VF2_PART, file="/mnt/plex/Film (2020)/Film.MULTi.VF2.1080p.mkv")

    assert match_streams(FILE, [other, VF2_PART], VF2_TRACKS).part_id == 7
    assert match_streams(FILE, [other, moved], VF2_TRACKS).part_id == 7
    missing = match_streams("/x/Other.mkv", [other], VF2_TRACKS)
    assert (missing.part_id, missing.doubt) == (None, Doubt("part-not-found", "part"))
    twice = match_streams(
        "/x/Film.MULTi.VF2.1080p.mkv",
        [moved, replace(moved, id=9, file="/y/Film.MULTi.VF2.1080p.mkv")],
        VF2_TRACKS,
    )
    assert twice.doubt == Doubt("two-parts", "part")
