"""tagging-rules.md, "Which files count": real folders with real (tiny) video files."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scanner.engine.episodes import episode_marker, season_of_folder
from scanner.engine.library import (
    Discovery,
    VideoFile,
    counted_files,
    discover_movie,
    discover_series,
    is_movie_extra_name,
)
from scanner.errors import StorageError
from tests.media import MediaFactory, denied_file_access, layout

# Rule: episode numbers come from S01E01, s01e01, 1x01, S01E01-E02 / S01E01E02,
# 3-digit episodes, and a bare 01 / E01 inside a season folder.
# (relpath in the show folder, season, episodes)
EPISODE_FORMS = [
    ("Season 1/Show - S01E01 - Pilot.mkv", 1, (1,)),
    ("Season 1/show.s01e02.720p.mkv", 1, (2,)),
    ("Season 1/Show 1x03.mkv", 1, (3,)),
    ("Season 1/Show - S01E04-E05 - Double.mkv", 1, (4, 5)),
    ("Season 1/Show.S01E06E07.mkv", 1, (6, 7)),
    ("Season 1/Show.S01E08-09.mkv", 1, (8, 9)),
    ("Season 1/Show.S01E10-E12.mkv", 1, (10, 11, 12)),
    ("Season 1/Show.S01E13.S01E14.mkv", 1, (13, 14)),
    ("Season 1/Show 1x15-16.mkv", 1, (15, 16)),
    ("Season 1/Show - S01E17 - 24 Hours.mkv", 1, (17,)),
    ("Season 1/Show.S01E18.1080p.x264-GROUP.mkv", 1, (18,)),
    ("Season 01/19 - Bare Number.mp4", 1, (19,)),
    ("Season 01/E20.mkv", 1, (20,)),
    ("Season 01/Episode 21.mkv", 1, (21,)),
    ("Season 01/Show - 22 [1080p].mkv", 1, (22,)),
    ("S02/One Piece - S02E101.mkv", 2, (101,)),
    ("Series 3/Show S03E01.AVI", 3, (1,)),
    ("season 4/Show.S04E01.m2ts", 4, (1,)),
    ("Specials/Show - S00E01 - Special.mkv", 0, (1,)),
    ("Season 0/Show - S00E02.webm", 0, (2,)),
    ("Show - S05E01 - In The Root.mkv", 5, (1,)),
    ("Show 6x02.mp4", 6, (2,)),
    ("Show - Behind The Making.mkv", None, ()),
    ("Season 7/Untitled Episode.mkv", 7, ()),
    ("Season 8/東京 - S08E01 - 日本語のタイトル.mkv", 8, (1,)),
    ("Season 8/Café - S08E02.MKV", 8, (2,)),
]
NOT_COUNTED = [
    "Extras/Show - S01E01 - Featurette.mkv",  # not a season folder
    "Season 1/Featurettes/Show S01E01 Making of.mkv",  # season folders are not descended
    "Season 1/Show.S01E01.srt",  # not a video
    "Season 1/Show.S01E01.mkv.part",  # not a video
    "Season 1/._Show.S01E01.mkv",  # macOS metadata
    "Season 1/Show.S01E01.nfo",
    "tvshow.nfo",
]


@pytest.fixture(scope="module")
def show(media: MediaFactory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library") / "Show (2020)"
    for relpath, _, _ in EPISODE_FORMS:
        media.make_video(root / relpath, layout("jpn", "eng"))
    for relpath in NOT_COUNTED:
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(b"not counted")
    (root / "Season 9").mkdir()  # empty season folder
    return root


@pytest.fixture(scope="module")
def show_discovery(show: Path) -> Discovery:
    return discover_series(show)


@pytest.mark.parametrize(
    ("relpath", "season", "episodes"), EPISODE_FORMS, ids=[form[0] for form in EPISODE_FORMS]
)
def test_episode_name_forms(
    show_discovery: Discovery, relpath: str, season: int | None, episodes: tuple[int, ...]
) -> None:
    found = {file.relpath: file for file in show_discovery.files}
    assert relpath in found
    assert (found[relpath].season, found[relpath].episodes) == (season, episodes)


def test_only_video_files_in_season_folders_and_root_count(show_discovery: Discovery) -> None:
    assert sorted(file.relpath for file in show_discovery.files) == sorted(
        relpath for relpath, _, _ in EPISODE_FORMS
    )
    assert show_discovery.problems == ()


def test_files_are_in_season_episode_path_order(show_discovery: Discovery) -> None:
    keys = [(file.season, file.episodes) for file in show_discovery.files]
    numbered = [key for key in keys if key[0] is not None]
    assert numbered == sorted(numbered, key=lambda key: (key[0], key[1] == (), key[1]))
    assert keys[-1] == (None, ())  # root file without a season comes last
    assert discover_series(show_discovery.root) == show_discovery  # deterministic


def test_video_file_records_size_and_mtime(show: Path, show_discovery: Discovery) -> None:
    file = next(f for f in show_discovery.files if f.relpath.endswith("Pilot.mkv"))
    info = (show / file.relpath).stat()
    assert (file.size, file.mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert file.fingerprint == (file.relpath, info.st_size, info.st_mtime_ns, "")  # no sidecar


@pytest.mark.parametrize(
    ("name", "season"),
    [
        ("Season 1", 1),
        ("Season 01", 1),
        ("season01", 1),
        ("SEASON 12", 12),
        ("S01", 1),
        ("s3", 3),
        ("Series 1", 1),
        ("Specials", 0),
        ("specials", 0),
        ("Season 0", 0),
        ("Season 00", 0),
        ("Extras", None),
        ("Season One", None),
        ("Subs", None),
        ("Seasons", None),
    ],
)
def test_season_folder_names(name: str, season: int | None) -> None:
    assert season_of_folder(name) == season


@pytest.mark.parametrize(
    "stem",
    ["Movie 1920x1080", "Show.2019.1080p", "Show.S01.Complete", "x264-1x", "Sample"],
)
def test_names_without_episode_markers(stem: str) -> None:
    assert episode_marker(stem) is None


# Rule: Specials/Season 0 count only when the instance says so; unmonitored seasons
# count only when it says so (the caller's season_counted); empty seasons do not exist.
def test_specials_count_only_when_asked(show_discovery: Discovery) -> None:
    without = counted_files(show_discovery, count_specials=False, quick_mode=False)
    with_specials = counted_files(show_discovery, count_specials=True, quick_mode=False)
    assert {file.season for file in without} == {1, 2, 3, 4, 5, 6, 7, 8, None}
    assert [file.relpath for file in with_specials if file.season == 0] == [
        "Specials/Show - S00E01 - Special.mkv",
        "Season 0/Show - S00E02.webm",
    ]


def test_season_counted_leaves_out_seasons(show_discovery: Discovery) -> None:
    monitored = {1, 8}
    kept = counted_files(
        show_discovery,
        count_specials=True,
        season_counted=lambda season: season in monitored,
        quick_mode=False,
    )
    assert {file.season for file in kept} == {1, 8, None}


# Rule: quick mode = the first file (by episode number) of each counted season.
def test_quick_mode_takes_the_first_episode_of_each_season(
    media: MediaFactory, tmp_path: Path
) -> None:
    for relpath in [
        "Season 1/Show S01E10.mkv",
        "Season 1/Show S01E02.mkv",
        "Season 1/Show S01E03.mkv",
        "Season 2/b - no number.mkv",
        "Season 2/Show S02E05.mkv",
        "Specials/Show S00E01.mkv",
        "Show - extra.mkv",
    ]:
        media.make_video(tmp_path / relpath, layout("eng"))
    discovery = discover_series(tmp_path)
    quick = counted_files(discovery, count_specials=False, quick_mode=True)
    assert [file.relpath for file in quick] == [
        "Season 1/Show S01E02.mkv",
        "Season 2/Show S02E05.mkv",
        "Show - extra.mkv",
    ]


def test_a_show_with_only_empty_season_folders_has_no_files(tmp_path: Path) -> None:
    for name in ("Season 1", "Season 2", "Specials"):
        (tmp_path / name).mkdir()
    discovery = discover_series(tmp_path)
    assert discovery.files == ()
    assert counted_files(discovery, count_specials=True, quick_mode=True) == []


def test_fingerprint_changes_with_the_file(media: MediaFactory, tmp_path: Path) -> None:
    path = media.make_video(tmp_path / "Season 1" / "S01E01.mkv", layout("eng"))
    before = discover_series(tmp_path).files[0]
    assert discover_series(tmp_path).files[0].fingerprint == before.fingerprint
    os.utime(path, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    touched = discover_series(tmp_path).files[0]
    assert touched.fingerprint != before.fingerprint
    with path.open("ab") as handle:
        handle.write(b"\0" * 10)
    grown = discover_series(tmp_path).files[0]
    assert grown.size == before.size + 10


def test_symlinks_are_followed_without_loops(media: MediaFactory, tmp_path: Path) -> None:
    library = tmp_path / "elsewhere"
    outside = media.make_video(library / "real.mkv", layout("eng"))
    show = tmp_path / "Show"
    media.make_video(show / "Season 1" / "S01E01.mkv", layout("eng"))
    (show / "Season 1" / "S01E02.mkv").symlink_to(outside)
    (show / "Season 1" / "S01E03.mkv").symlink_to(tmp_path / "missing.mkv")
    (show / "Season 2").symlink_to(show / "Season 1")  # the same folder twice
    (show / "Season 3").symlink_to(show)  # a loop back to the show
    discovery = discover_series(show)
    assert [(file.relpath, file.size) for file in discovery.files] == [
        ("Season 1/S01E01.mkv", (show / "Season 1" / "S01E01.mkv").stat().st_size),
        ("Season 1/S01E02.mkv", outside.stat().st_size),
    ]
    problems = {problem.relpath: problem.reason for problem in discovery.problems}
    assert problems["Season 1/S01E03.mkv"] == "broken link"
    assert "seen before" in problems["Season 2"]
    assert "seen before" in problems["Season 3"]


class _Recording:
    """An ``each`` that runs the stats on threads and records each batch's names."""

    def __init__(self) -> None:
        self.batches: list[set[str]] = []

    def __call__(self, function, entries):
        self.batches.append({entry.name for entry in entries})
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(function, entries))


def test_stats_run_ahead_through_each_for_what_the_walk_stats_only(
    show: Path, show_discovery: Discovery
) -> None:
    each = _Recording()
    assert discover_series(show, each) == show_discovery
    by_folder: dict[str, set[str]] = {}
    for relpath, _, _ in EPISODE_FORMS:
        folder, _, name = relpath.rpartition("/")
        by_folder.setdefault(folder, set()).add(name)
    seasons = {folder for folder in by_folder if folder}
    assert each.batches[0] == (seasons | {"Season 9"}) | by_folder[""]  # no Extras, no nfo
    # A season folder with one video has nothing to run at once with it.
    assert sorted(each.batches[1:], key=sorted) == sorted(
        (names for folder, names in by_folder.items() if folder and len(names) > 1), key=sorted
    )


def test_a_broken_link_stated_ahead_is_still_a_problem(media: MediaFactory, tmp_path: Path) -> None:
    media.make_video(tmp_path / "Season 1" / "S01E01.mkv", layout("eng"))
    (tmp_path / "Season 1" / "S01E02.mkv").symlink_to(tmp_path / "missing.mkv")
    discovery = discover_series(tmp_path, _Recording())
    assert [file.relpath for file in discovery.files] == ["Season 1/S01E01.mkv"]
    assert [(p.relpath, p.reason) for p in discovery.problems] == [
        ("Season 1/S01E02.mkv", "broken link")
    ]


def test_movie_symlink_loop_ends(media: MediaFactory, tmp_path: Path) -> None:
    movie = tmp_path / "Movie (2001)"
    media.make_video(movie / "Movie.mkv", layout("eng"))
    (movie / "CD1").mkdir()
    (movie / "CD1" / "loop").symlink_to(movie)
    discovery = discover_movie(movie)
    assert [file.relpath for file in discovery.files] == ["Movie.mkv"]
    assert [problem.relpath for problem in discovery.problems] == ["CD1/loop"]


def test_unreadable_season_folder_is_a_problem_not_an_error(
    media: MediaFactory, tmp_path: Path
) -> None:
    media.make_video(tmp_path / "Season 1" / "S01E01.mkv", layout("eng"))
    media.make_video(tmp_path / "Season 2" / "S02E01.mkv", layout("eng"))
    (tmp_path / "Season 2").chmod(0)
    try:
        with denied_file_access():
            discovery = discover_series(tmp_path)
    finally:
        (tmp_path / "Season 2").chmod(0o755)
    assert [file.relpath for file in discovery.files] == ["Season 1/S01E01.mkv"]
    assert [(p.relpath, p.reason) for p in discovery.problems] == [
        ("Season 2", "cannot be read: Permission denied")
    ]


def test_missing_item_folder_raises_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="folder not found"):
        discover_series(tmp_path / "Gone")
    with pytest.raises(StorageError, match="folder not found"):
        discover_movie(tmp_path / "Gone")


def test_item_path_that_is_a_file_raises_storage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(StorageError, match="not a folder"):
        discover_series(tmp_path / "file")


def test_unreadable_item_folder_raises_storage_error(tmp_path: Path) -> None:
    (tmp_path / "Show").mkdir()
    (tmp_path / "Show").chmod(0)
    try:
        with denied_file_access(), pytest.raises(StorageError, match="Permission denied"):
            discover_series(tmp_path / "Show")
    finally:
        (tmp_path / "Show").chmod(0o755)


# Rule: movies: the largest video file, leaving out samples and extras.
def _sized_video(media: MediaFactory, path: Path, size: int) -> Path:
    media.make_video(path, layout("eng"))
    os.truncate(path, size)  # zero padding after the real video data
    return path


def test_movie_main_file_is_the_largest_outside_samples_and_extras(
    media: MediaFactory, tmp_path: Path
) -> None:
    movie = tmp_path / "Film (1999)"
    _sized_video(media, movie / "Film (1999).mkv", 50_000)
    _sized_video(media, movie / "Film-trailer.mp4", 20_000)
    _sized_video(media, movie / "film.sample.mkv", 90_000)
    _sized_video(media, movie / "Sample" / "film.mkv", 90_000)
    _sized_video(media, movie / "Samples" / "film.mkv", 90_000)
    for extra in ("Extras", "Featurettes", "Behind The Scenes", "Deleted Scenes"):
        _sized_video(media, movie / extra / "big.mkv", 90_000)
    for extra in ("Trailers", "Other", "sample"):
        _sized_video(media, movie / "sub" / extra / "big.mkv", 90_000)
    discovery = discover_movie(movie)
    assert [file.relpath for file in discovery.files] == ["Film (1999).mkv"]
    assert discovery.files[0].size == 50_000


def test_movie_in_a_subfolder_and_sample_only_as_a_whole_word(
    media: MediaFactory, tmp_path: Path
) -> None:
    movie = tmp_path / "Samples of Life (2010)"
    _sized_video(media, movie / "Samples of Life (2010).mkv", 30_000)
    _sized_video(media, movie / "CD1" / "Samples.of.Life.Part1.mkv", 40_000)
    assert [file.relpath for file in discover_movie(movie).files] == [
        "CD1/Samples.of.Life.Part1.mkv"
    ]


# Rule: extras words count only as a sub-folder or after the movie's own title.
@pytest.mark.parametrize(
    ("folder", "stem", "extra"),
    [
        ("The Others (2001)", "The Others (2001)", False),
        ("The Others (2001)", "The Others (2001) - sample", True),
        ("Sample Movie (2020)", "Sample.Movie.2020.1080p.BluRay-GRP", False),
        ("Extras (2019)", "Extras (2019)", False),
        ("Trailer Park Boys (2006)", "Trailer Park Boys The Movie 2006", False),
        ("Other People (2016)", "Other People", False),
        ("Film (1999)", "film.sample", True),
        ("Film (1999)", "Film-trailer", True),
        ("Film (1999)", "Film (1999)-behindthescenes", True),
        ("Film (1999)", "Film.1999.Deleted.Scenes", True),
        ("Film (1999)", "sample", True),
        ("2012 (2009)", "2012 (2009)", False),
        ("Samples of Life (2010)", "Samples.of.Life.Part1", False),
    ],
)
def test_extras_words_only_outside_the_title(folder: str, stem: str, extra: bool) -> None:
    assert is_movie_extra_name(stem, folder) is extra


def test_a_movie_whose_title_holds_an_extras_word_is_found(
    media: MediaFactory, tmp_path: Path
) -> None:
    movie = tmp_path / "The Others (2001)"
    _sized_video(media, movie / "The Others (2001).mkv", 30_000)
    _sized_video(media, movie / "The Others (2001) - sample.mkv", 60_000)  # larger, still out
    assert [file.relpath for file in discover_movie(movie).files] == ["The Others (2001).mkv"]


def test_movie_folder_without_video(tmp_path: Path) -> None:
    (tmp_path / "movie.nfo").write_text("<movie/>")
    assert discover_movie(tmp_path) == Discovery(tmp_path, (), ())


def test_video_file_is_a_frozen_value() -> None:
    file = VideoFile("Season 1/S01E01.mkv", 1, (1,), 10, 20)
    with pytest.raises(AttributeError):
        file.size = 11  # type: ignore[misc]
    assert {file, VideoFile("Season 1/S01E01.mkv", 1, (1,), 10, 20)} == {file}
