"""Text the engine is given (scanner.engine.given_text): composed (NFC) once where it
comes in, so that a decomposed word is read as the composed one is, and bounded, so that
no value from a file or an *arr makes a track large or a rule slow."""

from __future__ import annotations

import unicodedata

import pytest

from scanner.engine.file_varieties import with_file_varieties
from scanner.engine.given_text import (
    MAX_RELEASE_NAME,
    MAX_TITLE,
    language_value,
    release_name,
    title_value,
)
from scanner.engine.languages import MAX_LANGUAGE
from scanner.engine.tracks import FileTracks, make_subtitle, make_track
from scanner.engine.varieties import tag_variety


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_values_are_composed() -> None:
    assert _nfd("Québécois") != "Québécois"
    assert title_value(_nfd("Français Québécois")) == "Français Québécois"
    assert language_value(_nfd("Français")) == "Français"
    assert release_name(_nfd("Film.Québécois.mkv")) == "Film.Québécois.mkv"


def test_a_language_value_longer_than_a_language_is_unknown() -> None:
    assert language_value("x" * MAX_LANGUAGE) == "x" * MAX_LANGUAGE
    assert language_value("x" * (MAX_LANGUAGE + 1)) is None
    assert language_value("x" * 10**6) is None
    assert tag_variety("fr-CA" + "-x" * MAX_LANGUAGE) is None


def test_titles_and_release_names_are_cut() -> None:
    assert title_value("t" * 10**6) == "t" * MAX_TITLE
    assert release_name("r" * 10**6) == "r" * MAX_RELEASE_NAME
    assert title_value(None) is None


@pytest.mark.parametrize("title", ["Français Québécois", "VF Québec", "Latinoamérica"])
def test_a_decomposed_title_word_is_read_as_the_composed_one(title: str) -> None:
    language = "spa" if "Latino" in title else "fre"
    composed = make_track(1, language, title)
    decomposed = make_track(1, language, _nfd(title))
    assert composed.variety is not None
    assert decomposed == composed
    assert make_subtitle(1, language, _nfd(title)).variety == composed.variety


def test_a_track_whose_language_is_too_long_is_unknown_not_an_error() -> None:
    track = make_track(1, "English" + " (x)" * 1500, "t" * 10**5)
    assert (track.raw_language, track.language, track.variety) == (None, None, None)
    assert track.title == "t" * MAX_TITLE


def test_the_file_wide_words_are_read_composed_and_bounded() -> None:
    tracks = FileTracks((make_track(1, "fre", None), make_track(2, "eng", None)))
    named = with_file_varieties(tracks, _nfd("Film.MULTi.VFQ.é.mkv"))
    assert named.audio[0].variety == "fr-CA"
    arr = with_file_varieties(
        FileTracks((make_track(1, "por", None),)),
        "x" * 10**6,
        ["Portuguese (Brazil)" + " " * 10**5, _nfd("Portuguese (Brazil)")],
    )
    assert arr.audio[0].variety == "pt-BR"
