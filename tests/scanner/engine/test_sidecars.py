"""Sidecar subtitle names, from tables: the rules' examples, Bazarr's and the release
groups' variants, every kind of language part, flags both ways, and names that are not
a video's sidecar."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine.library import discover_movie, discover_series
from scanner.engine.sidecars import Sidecar, lone_hi_as_flag, parse_parts, sidecars_of

VIDEO = "Show.S01E01.1080p.WEB.mkv"


def _one(name: str, folder: str = "") -> Sidecar | None:
    beside, folders = ([name], {}) if not folder else ([], {folder: [name]})
    found = sidecars_of(VIDEO, beside, folders)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("name", "language", "forced", "hearing_impaired", "default"),
    [
        # The rules' examples.
        ("Show.S01E01.1080p.WEB.en.hi.srt", "eng", False, True, False),
        ("Show.S01E01.1080p.WEB.hi.srt", "hin", False, False, False),
        ("Show.S01E01.1080p.WEB.en.forced.srt", "eng", True, False, False),
        ("Show.S01E01.1080p.WEB.ger.sdh.srt", "deu", False, True, False),
        ("Show.S01E01.1080p.WEB.de.srt", "deu", False, False, False),
        # Bazarr: 2 letters, hi/forced after, pt-BR, its 3-letter option.
        ("Show.S01E01.1080p.WEB.fr.forced.srt", "fra", True, False, False),
        ("Show.S01E01.1080p.WEB.pt-BR.srt", "por", False, False, False),
        ("Show.S01E01.1080p.WEB.pt-BR.hi.srt", "por", False, True, False),
        ("Show.S01E01.1080p.WEB.fre.srt", "fra", False, False, False),
        ("Show.S01E01.1080p.WEB.zh-Hans.ass", "zho", False, False, False),
        ("Show.S01E01.1080p.WEB.zh-Hant.ssa", "zho", False, False, False),
        ("Show.S01E01.1080p.WEB.es-419.vtt", "spa", False, False, False),
        # English names, in any case; flags in any order and case.
        ("Show.S01E01.1080p.WEB.English.srt", "eng", False, False, False),
        ("Show.S01E01.1080p.WEB.japanese.SDH.srt", "jpn", False, True, False),
        ("Show.S01E01.1080p.WEB.default.en.forced.ass", "eng", True, False, True),
        ("Show.S01E01.1080p.WEB.FORCED.eng.srt", "eng", True, False, False),
        ("Show.S01E01.1080p.WEB.en.cc.srt", "eng", False, True, False),
        ("Show.S01E01.1080p.WEB.foreign.it.srt", "ita", True, False, False),
        # hi before a language is Hindi; after one, the flag.
        ("Show.S01E01.1080p.WEB.hi.en.srt", "hin", False, False, False),
        ("Show.S01E01.1080p.WEB.hin.srt", "hin", False, False, False),
        # Unknown parts are left out; the first language part counts.
        ("Show.S01E01.1080p.WEB.commentary.en.srt", "eng", False, False, False),
        ("Show.S01E01.1080p.WEB.en.de.srt", "eng", False, False, False),
        ("Show.S01E01.1080p.WEB.2.srt", None, False, False, False),
        ("Show.S01E01.1080p.WEB.und.srt", None, False, False, False),
        ("Show.S01E01.1080p.WEB.xx.srt", None, False, False, False),
        ("Show.S01E01.1080p.WEB.srt", None, False, False, False),
        # Other subtitle formats, and an extension in capitals.
        ("Show.S01E01.1080p.WEB.nl.sup", "nld", False, False, False),
        ("Show.S01E01.1080p.WEB.sv.smi", "swe", False, False, False),
        ("Show.S01E01.1080p.WEB.pl.SRT", "pol", False, False, False),
    ],
)
def test_a_sidecars_parts(name, language, forced, hearing_impaired, default) -> None:
    found = _one(name)
    assert found is not None
    assert (found.language, found.forced, found.hearing_impaired, found.default) == (
        language, forced, hearing_impaired, default,
    )  # fmt: skip
    assert found.full is (language is not None and not forced)


@pytest.mark.parametrize(
    "name",
    [
        "Show.S01E02.1080p.WEB.en.srt",  # another episode's
        "Show.S01E01.1080p.WEB.nfo",  # not a subtitle
        "Show.S01E01.1080p.WEB.mkv",  # the video itself
        "Show.S01E01.1080p.WEB.en.txt",
        "Show.S01E01.1080p.WEBRip.en.srt",  # a longer name is another video's
        "en.srt",
    ],
)
def test_names_that_are_not_the_videos_sidecar(name) -> None:
    assert _one(name) is None


def test_a_subs_folder_beside_the_video_and_one_named_after_it() -> None:
    found = sidecars_of(
        VIDEO,
        [],
        {
            "Subs": ["Show.S01E01.1080p.WEB.de.srt", "Other.S01E01.en.srt"],
            "Subs/Show.S01E01.1080p.WEB": ["2_English.srt", "3_French.srt", "4_Forced.srt"],
        },
    )
    assert [(s.name, s.language, s.forced) for s in found] == [
        ("Subs/Show.S01E01.1080p.WEB.de.srt", "deu", False),
        ("Subs/Show.S01E01.1080p.WEB/2_English.srt", "eng", False),
        ("Subs/Show.S01E01.1080p.WEB/3_French.srt", "fra", False),
        ("Subs/Show.S01E01.1080p.WEB/4_Forced.srt", None, True),
    ]


def test_a_sub_and_its_idx_are_one_subtitle() -> None:
    names = ["Show.S01E01.1080p.WEB.en.idx", "Show.S01E01.1080p.WEB.en.sub", "x.srt"]
    assert [s.name for s in sidecars_of(VIDEO, names)] == ["Show.S01E01.1080p.WEB.en.idx"]


def test_long_and_unicode_names() -> None:
    video = "Señorita Ünïcode (2024) - S01E01 - Épisode très long " + "x" * 150 + ".mkv"
    stem = video.removesuffix(".mkv")
    found = sidecars_of(video, [f"{stem}.es.srt", f"{stem}.日本語.srt", f"{stem}.Español.srt"])
    assert sorted(s.language or "-" for s in found) == ["-", "-", "spa"]


def test_names_compared_without_case() -> None:
    assert _one("show.s01e01.1080p.web.EN.srt") == Sidecar(
        "show.s01e01.1080p.web.EN.srt", "eng", False, False, False
    )


def test_parts_alone() -> None:
    assert parse_parts(["en", "hi", "default"]) == ("eng", False, True, True, False)
    assert parse_parts(["hi"]) == ("hin", False, False, False, True)
    assert parse_parts(["hin"]) == ("hin", False, False, False, False)
    assert parse_parts([]) == (None, False, False, False, False)


def test_bazarr_single_language_names_and_an_instance_without_hindi() -> None:
    """Bazarr's single-language mode puts no language in the name: ``Video.srt``,
    ``Video.forced.srt``, and for a hearing-impaired subtitle ``Video.hi.srt`` (or
    ``.sdh``/``.cc``, its setting general.hi_extension) (morpheus65535/bazarr
    custom_libs/subliminal_patch/core.py, save_subtitles and get_subtitle_path). A lone
    ``hi`` reads as Hindi, or, for an instance that says so, as that flag."""
    stem = VIDEO.removesuffix(".mkv")
    names = [f"{stem}.srt", *(f"{stem}.{tail}.srt" for tail in ("hi", "sdh", "forced", "en.hi"))]

    def by_tail(sidecars: tuple[Sidecar, ...]) -> dict[str, tuple[str | None, bool, bool]]:
        return {
            s.name[len(stem) : -len(".srt")]: (s.language, s.hearing_impaired, s.full)
            for s in sidecars
        }

    found = tuple(sidecars_of(VIDEO, names))
    said = {"": (None, False, False), ".sdh": (None, True, False)}
    said |= {".forced": (None, False, False), ".en.hi": ("eng", True, True)}
    assert by_tail(found) == {**said, ".hi": ("hin", False, True)}
    assert by_tail(lone_hi_as_flag(found)) == {**said, ".hi": (None, True, False)}


def _touch(root: Path, *relpaths: str) -> None:
    for relpath in relpaths:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_a_series_walk_finds_each_episodes_sidecars(tmp_path: Path) -> None:
    """Beside the video, in Subs/ beside it, in Subs/<video name>/; another episode's and
    other folders' subtitles stay theirs."""
    _touch(
        tmp_path,
        "Season 01/Show - S01E01.mkv",
        "Season 01/Show - S01E01.de.srt",
        "Season 01/Show - S01E01.en.forced.srt",
        "Season 01/Show - S01E02.mkv",
        "Season 01/Subs/Show - S01E02.fr.ass",
        "Season 01/Subs/Show - S01E02/2_English.srt",
        "Season 01/Show - S01E03.mkv",
        "Extras/Show - S01E03.it.srt",  # not a subtitle folder of the episode
        "Show - S00E01.mkv",
        "Show - S00E01.ja.srt",
    )
    found = {video.relpath: video.sidecars for video in discover_series(tmp_path).files}
    names = {
        path: [(s.name, s.language, s.forced) for s in sidecars] for path, sidecars in found.items()
    }
    assert names == {
        "Season 01/Show - S01E01.mkv": [
            ("Season 01/Show - S01E01.de.srt", "deu", False),
            ("Season 01/Show - S01E01.en.forced.srt", "eng", True),
        ],
        "Season 01/Show - S01E02.mkv": [
            ("Season 01/Subs/Show - S01E02.fr.ass", "fra", False),
            ("Season 01/Subs/Show - S01E02/2_English.srt", "eng", False),
        ],
        "Season 01/Show - S01E03.mkv": [],
        "Show - S00E01.mkv": [("Show - S00E01.ja.srt", "jpn", False)],
    }


def test_a_movie_walk_finds_the_main_files_sidecars(tmp_path: Path) -> None:
    movie = tmp_path / "Film (2001)"
    _touch(movie, "Film (2001).mkv", "Film (2001).pt-BR.srt", "Subtitles/Film (2001).es.srt")
    (main,) = discover_movie(movie).files
    assert [(s.name, s.language) for s in main.sidecars] == [
        ("Film (2001).pt-BR.srt", "por"),
        ("Subtitles/Film (2001).es.srt", "spa"),
    ]
    assert main.sidecar_names == ("Film (2001).pt-BR.srt", "Subtitles/Film (2001).es.srt")
