"""Remote -> local path mapping, scope, and finding each item's folder."""

from __future__ import annotations

import logging
import os
import posixpath
from pathlib import PurePosixPath

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scanner.arr import paths
from scanner.arr.paths import (
    FolderResolver,
    PathMapper,
    PathMapping,
    _remote_parts,
    in_scope,
    remote_basename,
)
from scanner.errors import ConfigError

MAPPINGS = [
    {"remote": "/tv", "local": "/data/tv"},
    {"remote": "/tv/anime", "local": "/mnt/anime"},
    {"remote": "D:\\TV", "local": "/data/windows-tv"},
    {"remote": "\\\\nas\\media\\Movies", "local": "/data/movies"},
]


@pytest.mark.parametrize(
    ("remote", "local"),
    [
        ("/tv/Show", "/data/tv/Show"),
        ("/tv/Show/", "/data/tv/Show"),
        ("/tv", "/data/tv"),
        ("/tv/anime/Frieren", "/mnt/anime/Frieren"),  # the longest prefix wins
        ("/tv/animeX/Show", "/data/tv/animeX/Show"),  # whole components only
        ("/tvshows/Show", "/tvshows/Show"),  # /tv does not map /tvshows
        ("/other//place/./Show", "/other/place/Show"),  # unmapped, normalised
        ("D:\\TV\\Show (2020)", "/data/windows-tv/Show (2020)"),
        ("d:\\tv\\Show", "/data/windows-tv/Show"),  # Windows ignores case
        ("D:/TV/Show", "/data/windows-tv/Show"),
        ("D:\\TVShows\\Show", "D:\\TVShows\\Show"),
        ("\\\\nas\\media\\Movies\\Akira (1988)", "/data/movies/Akira (1988)"),
        ("tv/Show", "tv/Show"),  # relative never matches an absolute prefix
    ],
)
def test_path_mapping(remote, local):
    assert PathMapper(MAPPINGS).to_local(remote) == local


def test_no_mappings_keeps_posix_paths():
    assert PathMapper().to_local("/tv/Show/") == "/tv/Show"


@pytest.mark.parametrize(
    "bad",
    [{"remote": "/tv"}, {"remote": "", "local": "/x"}, {"remote": "/tv", "local": "relative"}],
)
def test_bad_mappings_are_config_errors(bad):
    with pytest.raises(ConfigError):
        PathMapper([bad])


def test_mappings_can_be_given_as_dataclasses():
    assert PathMapper([PathMapping("/a", "/b")]).to_local("/a/c") == "/b/c"


@pytest.mark.parametrize(
    ("path", "name"),
    [("/tv/Show", "Show"), ("D:\\TV\\Show\\", "Show"), ("/", ""), ("C:\\testpath", "testpath")],
)
def test_remote_basename(path, name):
    assert remote_basename(path) == name


@pytest.mark.parametrize(
    ("path", "roots", "expected"),
    [
        ("/data/tv/Show", [], True),
        ("/data/tv/Show", ["/data/tv"], True),
        ("/data/tv", ["/data/tv/"], True),
        ("/data/tvshows/Show", ["/data/tv"], False),
        ("/data/tv/../movies/X", ["/data/tv"], False),
        ("/data/movies/X", ["/data/tv", "/data/movies"], True),
        ("/data/tv/Show", ["", "  "], True),
    ],
)
def test_in_scope(path, roots, expected):
    assert in_scope(path, roots) is expected


@pytest.fixture
def library(tmp_path):
    """Two root folders; "Twice" exists under both, "Moved" under one."""
    tv1, tv2 = tmp_path / "tv1", tmp_path / "tv2"
    for folder in (tv1 / "Present", tv1 / "Twice", tv2 / "Twice", tv2 / "Moved"):
        folder.mkdir(parents=True)
    (tv2 / "not-a-folder").write_text("")
    return tv1, tv2


def test_resolver_prefers_the_mapped_path(library):
    tv1, _tv2 = library
    resolver = FolderResolver(PathMapper([{"remote": "/tv", "local": str(tv1)}]), [str(tv1)])

    resolution = resolver.resolve("/tv/Present")

    assert resolution.resolved
    assert (resolution.local_path, resolution.how) == (str(tv1 / "Present"), "path")


def test_resolver_uses_a_unique_basename_and_logs_it(library, caplog):
    tv1, tv2 = library
    resolver = FolderResolver(PathMapper(), [str(tv1), str(tv2)], instance_name="Sonarr 'main'")

    with caplog.at_level(logging.INFO, logger="scanner.arr.paths"):
        resolution = resolver.resolve("D:\\Old\\Moved", label="Moved (id 4)")

    assert (resolution.local_path, resolution.how) == (str(tv2 / "Moved"), "basename")
    assert "only folder named 'Moved'" in resolution.reason
    assert any(
        r.levelno == logging.INFO and "Moved (id 4)" in r.getMessage() for r in caplog.records
    )


def test_resolver_refuses_an_ambiguous_basename(library):
    tv1, tv2 = library
    resolution = FolderResolver(PathMapper(), [str(tv1), str(tv2)]).resolve("/elsewhere/Twice")

    assert not resolution.resolved
    assert resolution.how == "unresolved"
    assert "2 folders are named 'Twice'" in resolution.reason
    assert str(tv1 / "Twice") in resolution.reason and str(tv2 / "Twice") in resolution.reason


def test_resolver_reports_a_missing_folder(library):
    tv1, _tv2 = library
    resolver = FolderResolver(PathMapper(), [str(tv1), "/no/such/root"])

    for name in ("Gone", "not-a-folder"):
        resolution = resolver.resolve(f"/elsewhere/{name}")
        assert not resolution.resolved
        assert f"no root folder holds a folder named {name!r}" in resolution.reason


def test_resolver_without_root_folders_cannot_search(library):
    resolution = FolderResolver(PathMapper(), []).resolve("/elsewhere/Moved")

    assert not resolution.resolved
    assert "no root folders to search" in resolution.reason


def test_root_folders_are_listed_once_per_resolver(library, monkeypatch):
    tv1, tv2 = library
    listed: list[str] = []
    real_listing = paths.list_subdirectories

    def counting_listing(root: str) -> list[str]:
        listed.append(root)
        return real_listing(root)

    monkeypatch.setattr(paths, "list_subdirectories", counting_listing)
    resolver = FolderResolver(PathMapper(), [str(tv1), str(tv2), str(tv1)])

    resolutions = [resolver.resolve(f"/x/{name}") for name in ("Moved", "Twice", "Gone") * 20]

    assert sorted(listed) == sorted([str(tv1), str(tv2)])
    assert sum(r.resolved for r in resolutions) == 20


def test_folders_under_a_root_are_found_in_its_listing_not_one_stat_each(library, monkeypatch):
    tv1, tv2 = library
    (tv1 / "Nested" / "Deeper").mkdir(parents=True)
    (tv1 / "a-file").write_text("")
    checked: list[str] = []
    real_isdir = os.path.isdir

    def counting_isdir(path: str) -> bool:
        checked.append(path)
        return real_isdir(path)

    monkeypatch.setattr(paths.os.path, "isdir", counting_isdir)
    mapper = PathMapper([{"remote": "/tv", "local": str(tv1)}])
    resolver = FolderResolver(mapper, [str(tv1) + "/", str(tv2)])

    present = [resolver.resolve(f"/tv/{name}") for name in ("Present", "Twice") * 50]
    nested = resolver.resolve("/tv/Nested/Deeper")
    a_file = resolver.resolve("/tv/a-file")

    assert {(r.local_path, r.how) for r in present} == {
        (str(tv1 / "Present"), "path"),
        (str(tv1 / "Twice"), "path"),
    }
    assert (nested.local_path, nested.how) == (str(tv1 / "Nested" / "Deeper"), "path")
    assert not a_file.resolved  # a file is not the item's folder, as with isdir
    assert checked == [str(tv1 / "Nested" / "Deeper")]  # only the path no root has listed


_COMPONENT = st.text(alphabet=st.sampled_from("ab.\\/: -é"), max_size=6)


@given(
    remote=st.lists(_COMPONENT, max_size=5).map("/".join),
    mapped=st.sampled_from(["/tv", "/", "D:\\TV", "\\\\nas\\media", "tv"]),
    local=st.sampled_from(["/data/tv", "/", "//", "//srv/tv", "/data//tv/./", "/data/tv/.."]),
)
def test_a_mapped_path_is_what_pathlib_makes_of_it(remote: str, mapped: str, local: str) -> None:
    """to_local joins strings (pathlib per path cost a tenth of an unchanged rescan's
    listing, issue 83): the same path as PurePosixPath(local).joinpath(the rest)."""
    mapper = PathMapper([{"remote": mapped, "local": local}])
    path = mapped.rstrip("/\\") + ("\\" if "\\" in mapped else "/") + remote
    parts, windows = _remote_parts(path)
    prefix, prefix_windows = _remote_parts(mapped)
    key = tuple(p.casefold() for p in parts) if windows else parts
    wanted_prefix = tuple(p.casefold() for p in prefix) if windows else prefix
    assume(windows == prefix_windows and key[: len(prefix)] == wanted_prefix)
    expected = str(PurePosixPath(local).joinpath(*parts[len(prefix) :]))
    assert mapper.to_local(path) == expected


@given(path=st.lists(st.sampled_from(["", ".", "..", "a", "b c", "é"]), max_size=6).map("/".join))
def test_a_local_paths_parts_are_pathlibs(path: str) -> None:
    """_local_parts splits by string (issue 83) what pathlib splits, for "//"-rooted,
    rooted and relative paths alike."""
    for text in (path, "/" + path, "//" + path, "///" + path):
        assert paths._local_parts(text) == PurePosixPath(posixpath.normpath(text)).parts
