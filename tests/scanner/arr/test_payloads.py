"""Parsing of *arr JSON values that take several forms."""

from __future__ import annotations

import pytest

from scanner.arr.media_info import ArrFile, parse_audio_languages, parse_file
from scanner.arr.payloads import parse_item


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # v4 API: ffprobe's tags joined by "/", in stream order, not de-duplicated.
        ("eng/jpn", ["eng", "jpn"]),
        ("jpn/eng/jpn", ["jpn", "eng", "jpn"]),
        ("ger", ["ger"]),
        ("", []),  # no tagged audio stream
        ("und/eng", ["und", "eng"]),  # raw: "und" is the caller's business
        # Sonarr v3: MediaInfo's names joined by " / ".
        ("English / Japanese", ["English", "Japanese"]),
        ("Portuguese (Brazil) / English", ["Portuguese (Brazil)", "English"]),
        ("English", ["English"]),
        # Webhooks: a JSON list, de-duplicated by the sender.
        (["eng", "jpn"], ["eng", "jpn"]),
        ([], []),
        ([" eng ", ""], ["eng"]),
    ],
)
def test_parse_audio_languages_reads_every_form_the_arrs_send(value, expected):
    assert parse_audio_languages(value) == expected


@pytest.mark.parametrize("value", [None, 3, True, {"eng": 1}, ["eng", 2], [None], b"eng/jpn"])
def test_parse_audio_languages_refuses_what_no_arr_sends(value):
    with pytest.raises(ValueError, match=r"must be a string .* or a list of strings") as caught:
        parse_audio_languages(value)
    assert "eng" not in str(caught.value).split(" or a list")[-1]  # its type, not its text


@pytest.mark.parametrize(
    ("slug", "kept"),
    [
        ("the-office-us", "the-office-us"),
        ("24", "24"),
        ("javascript:alert(1)", ""),
        ("../../admin", ""),
        ("Has Spaces", ""),
        (42, ""),
        (None, ""),
    ],
)
def test_only_a_plain_title_slug_is_kept(slug, kept):
    item = parse_item({"id": 1, "path": "/tv/x", "titleSlug": slug}, kind="sonarr")
    assert item.title_slug == kept


@pytest.mark.parametrize(
    ("year", "kept"),
    # Series.Year and Movie.Year are ints, 0 until the metadata source answered
    # (Sonarr src/NzbDrone.Core/Tv/Series.cs, Radarr src/NzbDrone.Core/Movies/Movie.cs).
    [(2004, 2004), (0, None), (-1, None), (99999, None), ("2004", None), (True, None)],
)
def test_a_plausible_year_is_kept(year, kept):
    item = parse_item({"id": 1, "path": "/tv/x", "year": year}, kind="sonarr")
    assert item.year == kept


# A file's ``languages`` as Sonarr's EpisodeFileResource and Radarr's MovieFileResource
# send them (``List<Language>``: id and name); anything else names none, and a list
# longer than any file's is read only so far.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"id": 33, "name": "Portuguese (Brazil)"}], ("Portuguese (Brazil)",)),
        ([{"id": 1, "name": "English"}, {"id": 34, "name": "Spanish (Latino)"}],
         ("English", "Spanish (Latino)")),
        ([{"id": 34, "name": "Spanish\n(Latino)"}, {"name": 5}, "French", None],
         ("Spanish (Latino)",)),
        ("Portuguese (Brazil)", ()),
        (None, ()),
        ([{"name": "x" * 10_000}], ("x" * 100,)),
        ([{"name": "English"}] * 10_000, ("English",) * 20),
    ],
)  # fmt: skip
def test_a_files_languages_are_read_within_bounds(value, expected):
    entry = {"relativePath": "Season 01/Show - S01E01.mkv", "languages": value}
    parsed = parse_file(entry)
    assert parsed is not None
    assert parsed.languages == expected
    assert ArrFile.from_dict(parsed.to_dict()) == parsed
