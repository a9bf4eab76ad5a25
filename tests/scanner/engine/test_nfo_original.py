"""``<originallanguage>`` in the NFOs Taggarr writes (issue 70, item 3): real files,
compared byte for byte.

Kodi 22 reads the element from a movie's or TV show's NFO and takes ISO 639-1, ISO
639-2/B or /T and English names (xbmc/xbmc pull request 27187,
``xbmc/video/VideoInfoTag.cpp`` ``ParseNative``); Jellyfin 12's NFO saver writes it as an
ISO 639-1 code after ``<originaltitle>`` (jellyfin/jellyfin
``MediaBrowser.XbmcMetadata/Savers/BaseNfoSaver.cs``). Taggarr writes the same form, and
owns only the value it wrote (scanner.engine.nfo_original).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine.nfo import NfoWritten, OriginalLanguage, create_nfo, write_nfo
from scanner.engine.nfo_original import nfo_value
from scanner.errors import NfoError

MANAGED = frozenset({"dub", "semi-dub", "wrong-dub"})

# As Jellyfin 12's saver lays a movie out (BaseNfoSaver.AddCommonNodes), and a user note.
JELLYFIN_MOVIE = (
    '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n'
    "<movie>\n"
    "  <plot><![CDATA[Deux soeurs...]]></plot>\n"
    "  <title>Le Voyage de Chihiro</title>\n"
    "  <originaltitle>千と千尋の神隠し</originaltitle>\n"
    "  <!-- keep -->\n"
    "  <tag>dub</tag>\n"
    "</movie>\n"
)


def nfo(tmp_path: Path, text: str, name: str = "movie.nfo") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def write(
    path: Path, wanted: str | None, owned: str | None = None, labels: set[str] | None = None
) -> NfoWritten:
    """The tags ``labels`` (``dub`` when not given) and the original ``wanted``."""
    return write_nfo(
        path,
        MANAGED,
        {"dub"} if labels is None else labels,
        folder=path.parent,
        kind="series" if path.name == "tvshow.nfo" else "movie",
        original=OriginalLanguage(wanted=wanted, owned=owned),
    )


@pytest.mark.parametrize(
    ("code", "written"),
    [("jpn", "ja"), ("fra", "fr"), ("deu", "de"), ("zho", "zh"), ("yue", "yue"), ("haw", "haw")],
)
def test_the_value_is_iso_639_1_when_the_language_has_one(code: str, written: str) -> None:
    """Every Kodi 22 reads ISO 639-1; a language without one keeps its ISO 639-3 code
    (what Kodi's BCP 47 reading takes; rejected, as if absent, by the first Kodi 22)."""
    assert nfo_value(code) == written


def test_added_after_the_original_title_where_jellyfin_writes_it(tmp_path: Path) -> None:
    path = nfo(tmp_path, JELLYFIN_MOVIE)
    assert write(path, "jpn") == NfoWritten(changed=True, original="jpn")
    assert path.read_text("utf-8") == JELLYFIN_MOVIE.replace(
        "</originaltitle>\n", "</originaltitle>\n  <originallanguage>ja</originallanguage>\n"
    )
    assert write(path, "jpn", owned="jpn") == NfoWritten(changed=False, original="jpn")


def test_added_after_the_title_of_a_tv_show_with_tabs(tmp_path: Path) -> None:
    text = "<tvshow>\n\t<title>Dark</title>\n\t<genre>Drama</genre>\n</tvshow>\n"
    path = nfo(tmp_path, text, "tvshow.nfo")
    assert write(path, "deu", labels=set()).changed
    assert path.read_text("utf-8") == text.replace(
        "</title>\n", "</title>\n\t<originallanguage>de</originallanguage>\n"
    )


def test_added_with_the_tags_when_there_is_no_title(tmp_path: Path) -> None:
    text = (
        "<movie>\r\n  <genre>Anime</genre>\r\n</movie>\r\nhttps://www.themoviedb.org/movie/129\r\n"
    )
    path = nfo(tmp_path, text)
    assert write(path, "jpn").changed
    assert path.read_bytes().decode("utf-8") == text.replace(
        "</genre>\r\n",
        "</genre>\r\n  <tag>dub</tag>\r\n  <originallanguage>ja</originallanguage>\r\n",
    )


def test_an_empty_root(tmp_path: Path) -> None:
    path = nfo(tmp_path, "<movie/>\n")
    assert write(path, "fra").changed
    expected = "<movie>\n  <tag>dub</tag>\n  <originallanguage>fr</originallanguage>\n</movie>\n"
    assert path.read_text("utf-8") == expected


@pytest.mark.parametrize("value", ["fre", "fra", "French", "fr", " fr-CA "])
def test_the_same_language_in_another_form_is_right_and_not_taken(
    tmp_path: Path, value: str
) -> None:
    """Kodi exports ISO 639-2/B (``fre``) or BCP 47; a person may write a name."""
    text = JELLYFIN_MOVIE.replace(
        "  <!--", f"  <originallanguage>{value}</originallanguage>\n  <!--"
    )
    path = nfo(tmp_path, text)
    assert write(path, "fra") == NfoWritten(changed=False, original=None)
    assert path.read_text("utf-8") == text


def test_its_own_stale_value_is_replaced_in_its_place(tmp_path: Path) -> None:
    """The *arr said English (Taggarr wrote ``en``); a person then set Japanese."""
    text = JELLYFIN_MOVIE.replace("  <!--", "  <originallanguage>en</originallanguage>\n  <!--")
    path = nfo(tmp_path, text)
    assert write(path, "jpn", owned="eng") == NfoWritten(changed=True, original="jpn")
    assert path.read_text("utf-8") == text.replace(">en<", ">ja<")


@pytest.mark.parametrize("value", ["de", "Klingon", "x-private"])
def test_a_value_someone_else_wrote_is_never_touched(tmp_path: Path, value: str) -> None:
    text = JELLYFIN_MOVIE.replace(
        "  <!--", f"  <originallanguage>{value}</originallanguage>\n  <!--"
    )
    path = nfo(tmp_path, text)
    assert write(path, "jpn", owned="eng", labels={"semi-dub"}) == NfoWritten(
        changed=True, original=None
    )
    assert path.read_text("utf-8") == text.replace(">dub<", ">semi-dub<")  # only the tag


def test_its_own_value_goes_when_the_original_is_no_longer_known(tmp_path: Path) -> None:
    text = JELLYFIN_MOVIE.replace("  <!--", "  <originallanguage>ja</originallanguage>\n  <!--")
    path = nfo(tmp_path, text)
    assert write(path, None, owned="jpn") == NfoWritten(changed=True, original=None)
    assert path.read_text("utf-8") == JELLYFIN_MOVIE


def test_another_value_stays_when_the_original_is_no_longer_known(tmp_path: Path) -> None:
    text = JELLYFIN_MOVIE.replace("  <!--", "  <originallanguage>ja</originallanguage>\n  <!--")
    path = nfo(tmp_path, text)
    assert write(path, None, owned=None) == NfoWritten(changed=False, original=None)
    assert path.read_text("utf-8") == text


def test_an_empty_element_is_filled(tmp_path: Path) -> None:
    text = JELLYFIN_MOVIE.replace("  <!--", "  <originallanguage />\n  <!--")
    path = nfo(tmp_path, text)
    assert write(path, "kor") == NfoWritten(changed=True, original="kor")
    assert path.read_text("utf-8") == text.replace(
        "<originallanguage />", "<originallanguage>ko</originallanguage>"
    )


def test_its_own_last_element_removed_while_tags_are_added(tmp_path: Path) -> None:
    """The new tags go after the last element that stays, not after the removed one."""
    text = "<movie>\n  <title>T</title>\n  <originallanguage>en</originallanguage>\n</movie>\n"
    path = nfo(tmp_path, text)
    assert write(path, None, owned="eng").changed
    assert path.read_text("utf-8") == "<movie>\n  <title>T</title>\n  <tag>dub</tag>\n</movie>\n"


def test_without_an_original_nothing_is_added(tmp_path: Path) -> None:
    path = nfo(tmp_path, JELLYFIN_MOVIE)
    assert write(path, None) == NfoWritten(changed=False, original=None)
    assert path.read_text("utf-8") == JELLYFIN_MOVIE


def test_a_broken_nfo_stays_untouched(tmp_path: Path) -> None:
    text = "<movie>\n  <title>Broken</title>\n  <tag>dub\n</movie>\n"
    path = nfo(tmp_path, text)
    with pytest.raises(NfoError):
        write(path, "jpn")
    assert path.read_text("utf-8") == text


def test_a_new_nfo_carries_it_after_the_tags(tmp_path: Path) -> None:
    path = tmp_path / "Film (2001).nfo"
    create_nfo(path, "movie", ["dub"], ["https://www.themoviedb.org/movie/129"], original="jpn")
    assert path.read_text("utf-8") == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<movie>\n"
        "  <tag>dub</tag>\n"
        "  <originallanguage>ja</originallanguage>\n"
        "</movie>\n"
        "https://www.themoviedb.org/movie/129\n"
    )
