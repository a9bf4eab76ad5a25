"""tagging-rules.md, "Writing the result", the NFO part: real files, compared byte for byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scanner.engine.nfo import (
    NfoKind,
    check_folder_in_library,
    create_nfo,
    read_genres,
    write_managed_tags,
)
from scanner.errors import NfoError, StorageError
from tests.media import denied_file_access

MANAGED = frozenset({"dub", "semi-dub", "wrong-dub"})

KODI_MOVIE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n'
    "<!-- created on 2024-01-01 - Kodi -->\n"
    "<movie>\n"
    "    <title>Amélie</title>\n"
    "    <genre>Comedy</genre>\n"
    "    <genre>Romance</genre>\n"
    "    <tag>favourites</tag>\n"
    "    <tag>semi-dub</tag>\n"
    "    <!-- user note: keep -->\n"
    "    <actor>\n"
    "        <name>Audrey Tautou</name>\n"
    "        <tag>not-a-movie-tag</tag>\n"
    "    </actor>\n"
    "</movie>\n"
    "https://www.themoviedb.org/movie/194\n"
)


def write_tag(path: Path, label: str | None) -> bool:
    """One managed label (or none) in an NFO in its item's folder (tvshow.nfo: a series)."""
    kind: NfoKind = "series" if path.name == "tvshow.nfo" else "movie"
    wanted = {label} if label else set()
    return write_managed_tags(path, MANAGED, wanted, folder=path.parent, kind=kind)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_read_genres_tolerates_junk_after_the_root(tmp_path: Path) -> None:
    assert read_genres(write(tmp_path / "movie.nfo", KODI_MOVIE)) == ["Comedy", "Romance"]


def test_replace_managed_tag_keeps_everything_else(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", KODI_MOVIE)
    assert write_tag(path, "dub") is True
    assert path.read_text("utf-8") == KODI_MOVIE.replace("<tag>semi-dub</tag>", "<tag>dub</tag>")


def test_remove_managed_tags(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", KODI_MOVIE)
    assert write_tag(path, None) is True
    assert path.read_text("utf-8") == KODI_MOVIE.replace("    <tag>semi-dub</tag>\n", "")


def test_add_tag_after_the_other_tags(tmp_path: Path) -> None:
    original = KODI_MOVIE.replace("    <tag>semi-dub</tag>\n", "")
    path = write(tmp_path / "movie.nfo", original)
    assert write_tag(path, "wrong-dub") is True
    assert path.read_text("utf-8") == original.replace(
        "<tag>favourites</tag>\n", "<tag>favourites</tag>\n    <tag>wrong-dub</tag>\n"
    )


def test_add_tag_as_the_last_child_when_there_is_no_tag(tmp_path: Path) -> None:
    text = "<tvshow>\n\t<title>Show</title>\n\t<genre>Anime</genre>\n</tvshow>\n"
    path = write(tmp_path / "tvshow.nfo", text)
    assert write_tag(path, "dub") is True
    assert path.read_text("utf-8") == (
        "<tvshow>\n\t<title>Show</title>\n\t<genre>Anime</genre>\n\t<tag>dub</tag>\n</tvshow>\n"
    )


def test_duplicate_and_other_managed_tags_collapse_to_one(tmp_path: Path) -> None:
    text = "<tvshow><tag>dub</tag><tag>mine</tag><tag>wrong-dub</tag><tag>dub</tag></tvshow>"
    path = write(tmp_path / "tvshow.nfo", text)
    assert write_tag(path, "dub") is True
    assert path.read_text("utf-8") == "<tvshow><tag>dub</tag><tag>mine</tag></tvshow>"


def test_nothing_written_when_already_right(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", KODI_MOVIE)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    assert write_tag(path, "semi-dub") is False
    no_tags = write(tmp_path / "other.nfo", "<movie><tag>mine</tag></movie>")
    assert write_tag(no_tags, None) is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_declaration_comments_and_crlf_are_kept(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        "<!-- first -->\r\n"
        "<tvshow>\r\n"
        "  <!-- inside -->\r\n"
        "  <title>Show</title>\r\n"
        "  <tag>old</tag>\r\n"
        "</tvshow>\r\n"
        "<!-- last -->\r\n"
    )
    path = write(tmp_path / "tvshow.nfo", text)
    write_tag(path, "semi-dub")
    assert (
        path.read_bytes()
        == text.replace(
            "<tag>old</tag>\r\n", "<tag>old</tag>\r\n  <tag>semi-dub</tag>\r\n"
        ).encode()
    )
    write_tag(path, None)
    assert path.read_bytes() == text.encode()


def test_unicode_title_and_latin1_encoding_are_kept(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        "<movie>\n"
        "  <title>Le Fabuleux Destin d'Amélie Poulain</title>\n"
        "  <tag>dub</tag>\n"
        "</movie>\n"
    )
    path = write(tmp_path / "movie.nfo", text, "latin-1")
    write_tag(path, "wrong-dub")
    assert path.read_bytes() == text.replace("dub<", "wrong-dub<").encode("latin-1")


def test_utf16_with_bom_is_kept(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        "<tvshow>\n  <title>進撃の巨人</title>\n</tvshow>\n"
    )
    path = write(tmp_path / "tvshow.nfo", text, "utf-16")  # BOM + native order
    write_tag(path, "dub")
    assert path.read_bytes() == text.replace("</title>\n", "</title>\n  <tag>dub</tag>\n").encode(
        "utf-16"
    )
    assert read_genres(path) == []


def test_utf8_bom_and_unicode_title_are_kept(tmp_path: Path) -> None:
    text = "\ufeff<tvshow>\n  <title>Pokémon 🎉 ポケモン</title>\n  <genre>Anime</genre>\n</tvshow>"
    path = write(tmp_path / "tvshow.nfo", text)
    write_tag(path, "dub")
    expected = text.replace("<genre>Anime</genre>\n", "<genre>Anime</genre>\n  <tag>dub</tag>\n")
    assert path.read_bytes() == expected.encode("utf-8")


def test_empty_root_element(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", '<movie lang="en" />')
    write_tag(path, "dub")
    assert path.read_text() == '<movie lang="en">\n  <tag>dub</tag>\n</movie>'


def test_self_closing_tags_and_attributes_with_brackets(tmp_path: Path) -> None:
    text = '<movie><tag a="x>y"/><tag note="/>">dub</tag ><tag/></movie>'
    path = write(tmp_path / "movie.nfo", text)
    write_tag(path, None)
    assert path.read_text() == '<movie><tag a="x>y"/><tag/></movie>'


def test_mode_is_kept_and_no_temp_file_is_left(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", KODI_MOVIE)
    path.chmod(0o640)
    write_tag(path, "dub")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movie.nfo"]


def test_an_nfo_linked_to_a_file_outside_the_item_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    outside = write(tmp_path / "elsewhere" / "shared.nfo", "<tvshow><tag>dub</tag></tvshow>")
    folder = tmp_path / "Show"
    folder.mkdir()
    (folder / "tvshow.nfo").symlink_to(outside)
    with pytest.raises(NfoError, match="outside the item's folder"):
        write_managed_tags(folder / "tvshow.nfo", MANAGED, set(), folder=folder, kind="series")
    assert outside.read_text() == "<tvshow><tag>dub</tag></tvshow>"


@pytest.mark.parametrize(
    ("name", "kind", "text"),
    [
        ("tvshow.nfo", "series", "<movie><title>x</title></movie>"),
        ("movie.nfo", "movie", "<episodedetails><title>x</title></episodedetails>"),
        ("movie.nfo", "movie", "<html><body>not an NFO</body></html>"),
    ],
)
def test_an_nfo_of_another_kind_is_left_alone(
    tmp_path: Path, name: str, kind: NfoKind, text: str
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(NfoError, match="root element is <"):
        write_managed_tags(path, MANAGED, {"dub"}, folder=tmp_path, kind=kind)
    assert path.read_text() == text


def test_symlinked_nfo_is_written_through(tmp_path: Path) -> None:
    target = write(tmp_path / "real.nfo", "<movie><tag>dub</tag></movie>")
    link = tmp_path / "movie.nfo"
    link.symlink_to(target)
    write_tag(link, None)
    assert link.is_symlink()
    assert target.read_text() == "<movie></movie>"


# Rule: a broken NFO is reported and left as it was.
@pytest.mark.parametrize(
    "broken",
    [
        "<movie><title>x</title>",  # never closed
        "<movie><title>x</movie>",  # mismatched
        "https://www.imdb.com/title/tt0111161/",  # a URL-only NFO
        "",
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><movie>&a;</movie>',
        '<?xml version="1.0" encoding="x-no-such"?><movie/>',
    ],
    ids=["unclosed", "mismatched", "url-only", "empty", "entities", "unknown-encoding"],
)
def test_broken_nfo_raises_and_is_untouched(tmp_path: Path, broken: str) -> None:
    path = write(tmp_path / "movie.nfo", broken)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    with pytest.raises(NfoError) as caught:
        write_tag(path, "dub")
    assert caught.value.path == str(path)
    assert path.read_bytes() == broken.encode()
    assert path.stat().st_mtime_ns == 1_000_000_000
    with pytest.raises(NfoError):
        read_genres(path)


def test_bytes_invalid_in_the_declared_encoding(tmp_path: Path) -> None:
    path = tmp_path / "movie.nfo"
    path.write_bytes(b"<movie><title>\xff\xfe</title></movie>")
    with pytest.raises(NfoError, match="utf-8"):
        write_tag(path, "dub")


def test_missing_and_unreadable_nfo_are_storage_errors(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not found"):
        read_genres(tmp_path / "movie.nfo")
    path = write(tmp_path / "tvshow.nfo", "<tvshow/>")
    path.chmod(0)
    with denied_file_access(), pytest.raises(StorageError, match="Permission denied"):
        write_tag(path, "dub")


def test_read_only_folder_is_a_storage_error_and_the_nfo_is_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "Show"
    folder.mkdir()
    path = write(folder / "tvshow.nfo", "<tvshow/>")
    folder.chmod(0o555)
    try:
        with denied_file_access(), pytest.raises(StorageError, match="cannot be written"):
            write_tag(path, "dub")
    finally:
        folder.chmod(0o755)
    assert path.read_text() == "<tvshow/>"


@pytest.mark.parametrize(("kind", "root"), [("series", "tvshow"), ("movie", "movie")])
def test_create_nfo(tmp_path: Path, kind: str, root: str) -> None:
    """A new NFO: the tags, no title, the links after the root (nfo_paths explains why)."""
    path = tmp_path / f"{root}.nfo"
    link = "https://www.imdb.com/title/tt0000001/"
    create_nfo(path, kind, ["dub", "Tom & Jerry <de>"], [link])  # type: ignore[arg-type]
    assert path.read_text("utf-8") == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<{root}>\n"
        "  <tag>dub</tag>\n"
        "  <tag>Tom &amp; Jerry &lt;de&gt;</tag>\n"
        f"</{root}>\n"
        f"{link}\n"
    )
    assert write_tag(path, "dub") is False  # right already; the other label is not managed
    assert write_tag(path, None) is True
    assert "<tag>dub</tag>" not in path.read_text("utf-8")
    assert path.read_text("utf-8").endswith(f"</{root}>\n{link}\n")  # the link stays


def test_create_nfo_never_over_an_existing_file_nor_without_a_link(tmp_path: Path) -> None:
    path = tmp_path / "movie.nfo"
    create_nfo(path, "movie", [], ["https://www.themoviedb.org/movie/1"])
    assert "<tag>" not in path.read_text()
    with pytest.raises(StorageError, match="already exists"):
        create_nfo(path, "movie", ["dub"], ["https://www.themoviedb.org/movie/2"])
    assert "movie/1" in path.read_text()
    with pytest.raises(ValueError, match="link"):
        create_nfo(tmp_path / "other.nfo", "movie", ["dub"], [])
    assert not (tmp_path / "other.nfo").exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<movie>\n</movie>\n", "<movie>\n  <tag>dub</tag>\n</movie>\n"),
        ("<movie></movie>", "<movie><tag>dub</tag></movie>"),
        ("  <movie>\n  </movie>", "  <movie>\n    <tag>dub</tag>\n  </movie>"),
    ],
)
def test_root_without_children(tmp_path: Path, before: str, after: str) -> None:
    path = write(tmp_path / "movie.nfo", before)
    write_tag(path, "dub")
    assert path.read_text() == after


def test_empty_genres_are_left_out(tmp_path: Path) -> None:
    path = write(tmp_path / "tvshow.nfo", "<tvshow><genre> </genre><genre>Drama</genre></tvshow>")
    assert read_genres(path) == ["Drama"]


def test_several_managed_labels_are_kept_replaced_and_added(tmp_path: Path) -> None:
    text = (
        "<tvshow>\n  <title>x</title>\n  <tag>dub</tag>\n  <tag>mine</tag>\n"
        "  <tag>semi-dub-fr</tag>\n</tvshow>\n"
    )
    path = write(tmp_path / "tvshow.nfo", text)
    managed = MANAGED | {"dub-de", "semi-dub-fr", "dub-fr"}
    wanted = {"semi-dub", "dub-de", "dub-fr"}
    assert write_managed_tags(path, managed, wanted, folder=tmp_path, kind="series") is True
    assert path.read_text() == (
        "<tvshow>\n  <title>x</title>\n  <tag>dub-de</tag>\n  <tag>mine</tag>\n"
        "  <tag>dub-fr</tag>\n  <tag>semi-dub</tag>\n</tvshow>\n"
    )
    assert write_managed_tags(path, managed, wanted, folder=tmp_path, kind="series") is False


def test_several_labels_into_an_nfo_without_tags(tmp_path: Path) -> None:
    path = write(tmp_path / "movie.nfo", "<movie>\n  <title>x</title>\n</movie>\n")
    write_managed_tags(path, MANAGED, {"dub", "sub-de"}, folder=tmp_path, kind="movie")
    assert path.read_text() == (
        "<movie>\n  <title>x</title>\n  <tag>dub</tag>\n  <tag>sub-de</tag>\n</movie>\n"
    )


def test_an_item_folder_linked_outside_the_library_is_refused(tmp_path: Path) -> None:
    library, elsewhere = tmp_path / "share" / "tv", tmp_path / "elsewhere"
    (library / "Show").mkdir(parents=True)
    (elsewhere / "Linked").mkdir(parents=True)
    (library / "Linked").symlink_to(elsewhere / "Linked", target_is_directory=True)
    (tmp_path / "tv").symlink_to(library, target_is_directory=True)  # the root itself a link
    roots = [(tmp_path / "tv").resolve()]
    check_folder_in_library(tmp_path / "tv" / "Show", roots)
    with pytest.raises(NfoError, match="outside the library"):
        check_folder_in_library(tmp_path / "tv" / "Linked", roots)
