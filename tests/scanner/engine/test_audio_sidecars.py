"""External audio files (docs/tagging-rules.md, "External audio files"): a dub kept
beside the video counts like a subtitle sidecar does. From tables: the names (as
Jellyfin's ExternalPathParser.ParseFile and MediaInfoResolver.GetExternalFiles, and
Kodi's CUtil::ScanForExternalAudio and CUtil::GetExternalStreamDetailsFromFilename read
them), the tracks they become, the verdict and its per-language tags, the dub news, and
each person's track."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from scanner.engine.dub_news import SeenFile, changes, hearing, seen_audio, snapshot
from scanner.engine.library import VideoFile, discover_movie, discover_series
from scanner.engine.listener import DUB
from scanner.engine.per_language import language_tags
from scanner.engine.sidecars import AUDIO, SUBTITLE, Sidecar, sidecars_of
from scanner.engine.track_choice import ChoiceOutcome, SubtitleChoice, choose_tracks
from scanner.engine.tracks import AudioTrack, FileTracks, make_track
from scanner.engine.verdict import FileResult, Policy, Tag, Verdict, file_result, item_verdict
from tests.media import layout, make_audio_file, make_video

VIDEO = "Film (2020).mkv"


def _one(name: str, folder: str = "") -> Sidecar | None:
    beside, folders = ([name], {}) if not folder else ([], {folder: [name]})
    found = sidecars_of(VIDEO, beside, folders)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("name", "language", "variety", "title", "default"),
    [
        # The example: a Quebec dub in Matroska audio.
        ("Film (2020).fr-CA.mka", "fra", "fr-CA", None, False),
        # Raw Dolby and DTS streams, as both players read them; a 3-letter code, a name.
        ("Film (2020).fre.ac3", "fra", None, None, False),
        ("Film (2020).de.eac3", "deu", None, None, False),
        ("Film (2020).de.ec3", "deu", None, None, False),
        ("Film (2020).Italian.dts", "ita", None, None, False),
        ("Film (2020).es-419.dtshd", "spa", "es-419", None, False),
        ("Film (2020).pt-BR.m4a", "por", "pt-BR", None, False),
        ("Film (2020).ja.flac", "jpn", None, None, False),
        ("Film (2020).en.opus", "eng", None, None, False),
        ("Film (2020).pl.MKA", "pol", None, None, False),  # an extension in capitals
        # Jellyfin's parts: a flag, the other words its title (its tests' "Commentary").
        ("Film (2020).en.default.ac3", "eng", None, None, True),
        ("Film (2020).en.Commentary.ac3", "eng", None, "Commentary", False),
        ("Film (2020).stereo-drc.fr.aac", "fra", None, "stereo-drc", False),
        # No language in the name: it does not count (its own tag is not read).
        ("Film (2020).mka", None, None, None, False),
        ("Film (2020).2.ac3", None, None, None, False),
    ],
)
def test_audio_file_names(
    name: str, language: str | None, variety: str | None, title: str | None, default: bool
) -> None:
    sidecar = _one(name)
    assert sidecar is not None and sidecar.kind == AUDIO
    assert (sidecar.language, sidecar.variety, sidecar.title, sidecar.default) == (
        language,
        variety,
        title,
        default,
    )


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("Other Film (2020).fr.ac3", ""),  # another video's
        ("Film (2020)-fr.ac3", ""),  # no dot after the video's name
        ("Film (2020).fr.thd", ""),  # TrueHD raw: neither player reads it beside a video
        ("Film (2020).fr.truehd", ""),
        ("Film (2020).fr.wma", ""),  # a music format no dub ships in
        ("Film (2020).fr.cue", ""),  # a playlist, not audio
        # Jellyfin lists only the video's folder; Kodi's audio/tracks folders are listed
        # with its subtitle extensions (CUtil::GetItemsToScan): no audio file there.
        ("Film (2020).fr.ac3", "Subs"),
        ("Film (2020).fr.mka", "Subs/Film (2020)"),
    ],
)
def test_names_that_are_not_an_audio_file_of_the_video(name: str, folder: str) -> None:
    assert _one(name, folder) is None


def test_audio_and_subtitle_files_of_one_language_are_both_kept() -> None:
    """A .sub/.idx pair is one subtitle; a subtitle and an audio file of one name are two
    files, and so are two audio files of one language."""
    names = ["Film (2020).fr.srt", "Film (2020).fr.ac3", "Film (2020).fr.mka"]
    found = sidecars_of(VIDEO, names)
    assert [(s.name, s.kind) for s in found] == [
        ("Film (2020).fr.ac3", AUDIO),
        ("Film (2020).fr.mka", AUDIO),
        ("Film (2020).fr.srt", SUBTITLE),
    ]


def _tracks(*languages: str | None) -> FileTracks:
    return FileTracks(tuple(make_track(i, lang, None) for i, lang in enumerate(languages, 1)))


def _with_files(tracks: FileTracks, *names: str) -> FileTracks:
    return tracks.with_sidecars(tuple(sidecars_of(VIDEO, names)))


def test_an_audio_file_is_a_track_after_the_files_own() -> None:
    tracks = _with_files(_tracks("jpn", "eng"), "Film (2020).fr-CA.mka", "Film (2020).de.ac3")
    assert [(t.position, t.language, t.variety, t.file) for t in tracks.audio] == [
        (1, "jpn", None, None),
        (2, "eng", None, None),
        (3, "deu", None, "Film (2020).de.ac3"),
        (4, "fra", "fr-CA", "Film (2020).fr-CA.mka"),
    ]
    # Its codec's family from the extension (raw streams only: a container says none).
    assert [t.codec for t in tracks.audio[2:]] == ["ac3", None]
    assert tracks.subtitles == ()


def test_stored_rows_stay_as_they_were_and_files_round_trip() -> None:
    tracks = _with_files(_tracks("jpn"), "Film (2020).fr-CA.mka")
    own, external = (track.to_dict() for track in tracks.audio)
    assert "file" not in own  # a row stored before: the same keys
    assert external["file"] == "Film (2020).fr-CA.mka"
    assert tuple(AudioTrack.from_dict(row) for row in (own, external)) == tracks.audio


def test_the_walks_files_replace_the_stored_ones() -> None:
    """Stored tracks carry the audio files seen then; the walk's are the ones now (one
    removed, another added): the file's own tracks stay."""
    before = _with_files(_tracks("jpn"), "Film (2020).fr.ac3")
    now = _with_files(before, "Film (2020).de.eac3")
    assert [(t.position, t.file) for t in now.audio] == [
        (1, None),
        (2, "Film (2020).de.eac3"),
    ]


def _verdict(
    *tracks: FileTracks, original: str = "jpn", targets: tuple[str, ...] = ("fra",)
) -> tuple[list[FileResult], Verdict]:
    results = [
        file_result(t.audio, original, targets, Policy(), path=f"e{i}.mkv", subtitles=t.subtitles)
        for i, t in enumerate(tracks)
    ]
    return results, item_verdict(results)


def test_an_audio_file_makes_the_dub() -> None:
    results, verdict = _verdict(_with_files(_tracks("jpn"), "Film (2020).fr.mka"))
    assert verdict.tag == Tag.DUB
    assert results[0].sidecars == ("Film (2020).fr.mka",)
    assert verdict.reasons["seasons"][0]["files"][0]["sidecars"] == ["Film (2020).fr.mka"]


def test_a_regional_target_is_met_by_the_files_variety_and_tagged_per_language() -> None:
    """fr-CA is met only by a track known to be Quebec French: the name's ``fr-CA``."""
    targets = ("fr-CA", "deu")
    vff = _with_files(_tracks("jpn"), "Film (2020).fr.mka")
    vfq = _with_files(_tracks("jpn"), "Film (2020).fr-CA.mka", "Film (2020).de.ac3")
    results, verdict = _verdict(vff, vfq, targets=targets)
    assert verdict.tag == Tag.SEMI_DUB
    assert [sorted(r.missing) for r in results] == [["deu", "fr-CA"], []]
    assert language_tags(results) == {"deu": Tag.SEMI_DUB, "fr-CA": Tag.SEMI_DUB}


def test_an_audio_file_of_a_target_keeps_a_file_from_wrong() -> None:
    wrong_then = _tracks("eng")
    assert _verdict(wrong_then)[1].tag == Tag.WRONG_DUB
    assert _verdict(_with_files(wrong_then, "Film (2020).fr.ac3"))[1].tag == Tag.DUB


def test_a_commentary_file_and_a_nameless_file_do_not_count() -> None:
    tracks = _with_files(_tracks("jpn"), "Film (2020).fr.Commentary.ac3")
    assert _verdict(tracks)[1].tag == Tag.NONE
    # A video without audio of its own: an audio file of unknown language is not taken
    # as the first track (the original), as the rules take the video's first track.
    nameless = _with_files(FileTracks(()), "Film (2020).mka")
    results, _ = _verdict(nameless, targets=("fra", "jpn"))
    assert results[0].present == frozenset()


def _seen(tracks: FileTracks, size: int = 1000, mtime: int = 7) -> dict[str, object] | None:
    file = SeenFile("Film (2020).mkv", None, (), seen_audio(tracks.audio), size, mtime)
    return snapshot([file], movie=True)


def test_an_audio_file_added_or_removed_beside_the_same_video_is_news() -> None:
    """The video unchanged on disk (same name, size, time): without its audio files in
    the snapshot, a dub arriving beside it would be a silent correction."""
    heard = hearing(("fra",), "jpn", Policy())
    alone = _tracks("jpn")
    dubbed = _with_files(alone, "Film (2020).fr.eac3")
    (arrived,) = changes(_seen(alone), _seen(dubbed), heard)
    assert (arrived.kind, arrived.language) == ("arrived", "fra")
    (lost,) = changes(_seen(dubbed), _seen(alone), heard)
    assert (lost.kind, lost.language) == ("lost", "fra")
    assert changes(_seen(dubbed), _seen(dubbed), heard) == []
    # A nameless audio file never counts: kept out of the snapshot, no news.
    assert seen_audio(_with_files(alone, "Film (2020).mka").audio) == seen_audio(alone.audio)


QUEBEC = ("fr-CA", "fra")


def test_a_person_gets_the_audio_file_of_their_variety() -> None:
    tracks = _with_files(
        FileTracks((make_track(1, "jpn", None), make_track(2, "fre", "VFF"))),
        "Film (2020).fr-CA.mka",
        "Film (2020).fr.forced.srt",
    )
    choice = choose_tracks(QUEBEC, DUB, "jpn", tracks)
    assert (choice.audio, choice.audio_file, choice.outcome, choice.language) == (
        None,
        "Film (2020).fr-CA.mka",
        ChoiceOutcome.VARIETY,
        "fr-CA",
    )
    assert choice.chosen
    # Its language's forced subtitle, as for a track of the video.
    assert choice.subtitle == SubtitleChoice(file="Film (2020).fr.forced.srt")


def test_a_track_of_the_video_comes_before_an_audio_file_of_the_same_voice() -> None:
    """Equal by their language (or their variety from a better source), the video's own
    track wins: it plays everywhere, an audio file beside it not in Plex."""
    plain = _with_files(_tracks("jpn", "fra"), "Film (2020).fr.ac3")
    assert choose_tracks(("fra",), DUB, "jpn", plain).audio == 2
    regional = _with_files(
        FileTracks((make_track(1, "jpn", None), make_track(2, "fr-CA", None))),
        "Film (2020).fr-CA.mka",
    )
    assert choose_tracks(QUEBEC, DUB, "jpn", regional).audio == 2
    # Unless the name flags it default, as the video's default track is chosen first.
    flagged = _with_files(_tracks("jpn", "fra"), "Film (2020).fr.default.ac3")
    assert choose_tracks(("fra",), DUB, "jpn", flagged).audio_file == ("Film (2020).fr.default.ac3")


def test_the_walk_finds_real_audio_files_and_their_key_follows_them(tmp_path: Path) -> None:
    """Real files (ffmpeg): the walk lists the audio files beside each episode, only in
    its own folder; the item's fingerprint changes when one comes or goes (the item is
    decided again without reading the video), and a video with subtitles only keeps its
    key as before (the names hashed)."""
    season = tmp_path / "Show" / "Season 01"
    one = make_video(season / "Show - S01E01.mkv", layout("jpn"))
    two = make_video(season / "Show - S01E02.mkv", layout("jpn"))
    (season / "Show - S01E02.fr.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nSalut\n")
    make_audio_file(season / "Audio" / "Show - S01E01.fr.mka", language="fre")  # not counted

    def walked() -> dict[str, VideoFile]:
        return {v.relpath: v for v in discover_series(tmp_path / "Show").files}

    before = walked()
    subtitled = before["Season 01/Show - S01E02.mkv"]
    names = "\n".join(subtitled.sidecar_names).encode()
    assert subtitled.sidecars_key == hashlib.sha256(names).hexdigest()[:16]
    assert before["Season 01/Show - S01E01.mkv"].sidecars == ()

    make_audio_file(one.with_name(f"{one.stem}.fr-CA.mka"), language="fre")
    make_audio_file(two.with_name(f"{two.stem}.de.eac3"))
    added = walked()
    first, second = added["Season 01/Show - S01E01.mkv"], added["Season 01/Show - S01E02.mkv"]
    assert [(s.name, s.kind, s.variety) for s in first.sidecars] == [
        ("Season 01/Show - S01E01.fr-CA.mka", AUDIO, "fr-CA")
    ]
    assert [(s.name, s.kind) for s in second.sidecars] == [
        ("Season 01/Show - S01E02.de.eac3", AUDIO),
        ("Season 01/Show - S01E02.fr.srt", SUBTITLE),
    ]
    assert first.fingerprint[:3] == before["Season 01/Show - S01E01.mkv"].fingerprint[:3]
    assert first.fingerprint != before["Season 01/Show - S01E01.mkv"].fingerprint
    assert second.sidecars_key != subtitled.sidecars_key

    two.with_name(f"{two.stem}.de.eac3").unlink()
    assert walked()["Season 01/Show - S01E02.mkv"].sidecars_key == subtitled.sidecars_key


def test_a_movie_walk_finds_the_main_files_audio_files(tmp_path: Path) -> None:
    movie = tmp_path / "Film (2020)"
    make_video(movie / "Film (2020).mkv", layout("kor", "ita"))
    make_audio_file(movie / "Film (2020).en.ac3")
    make_audio_file(movie / "Film (2020).fr.dts")
    (main,) = discover_movie(movie).files
    assert main.relpath == "Film (2020).mkv"  # an audio file is never the movie
    assert [(s.name, s.language, s.kind) for s in main.sidecars] == [
        ("Film (2020).en.ac3", "eng", AUDIO),
        ("Film (2020).fr.dts", "fra", AUDIO),
    ]
