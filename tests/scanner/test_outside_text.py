"""scanner.outside_text: what "clean" means for a line of text and for a path.

PostgreSQL refuses NUL in text ("Character Types") and jsonb refuses ``\\u0000`` and an
unpaired surrogate escape (postgres/postgres src/common/jsonapi.c); UTF-8 cannot encode
a lone surrogate at all (RFC 3629, 3), which is what SQLite's driver is given."""

from __future__ import annotations

import json

import pytest

from scanner import names, outside_text


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Anime Dubbed", "Anime Dubbed"),
        ("Señorita 😀 Ünïcode", "Señorita 😀 Ünïcode"),
        ("a\ud800b\udc80c\udfff", "a\ufffdb\ufffdc\ufffd"),
        ("Show\x00", "Show"),
        ("two\tcolumns\nand\rlines", "two columns and lines"),
        ("bell\x07 escape\x1b del\x7f c1\x85\x9f", "bell escape del c1"),
    ],
)
def test_a_line_keeps_its_text_and_loses_what_no_column_or_line_takes(sent: str, kept: str) -> None:
    assert outside_text.line(sent) == kept
    assert outside_text.line(sent).encode("utf-8")  # storable: no surrogate left


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("/tv/Show/Season 01/S01E01.mkv", "/tv/Show/Season 01/S01E01.mkv"),
        ("/tv/Show \ud800/x.mkv", "/tv/Show \ufffd/x.mkv"),
        ("/tv/\udc80.mkv", "/tv/\ufffd.mkv"),  # never an undecodable byte (scanner.names)
        ("/tv/a\x00b", "/tv/a\ufffdb"),  # replaced, not dropped: it names no other file
        ("/tv/tab\tand\x01bell", "/tv/tab\tand\x01bell"),  # legal in a Linux file name
        ("C:\\TV\\Show", "C:\\TV\\Show"),
    ],
)
def test_a_path_changes_only_what_no_file_name_holds(sent: str, kept: str) -> None:
    cleaned = outside_text.path(sent)
    assert cleaned == kept
    assert not names.has_undecodable_bytes(cleaned)
    assert names.from_storage(names.to_storage(cleaned)) == cleaned


def test_a_cleaned_path_is_the_name_dotnet_writes_for_the_same_string() -> None:
    """Sonarr, Radarr, Jellyfin and Emby encode a file name with Encoding.UTF8, whose
    fallback writes U+FFFD for a lone surrogate (dotnet/runtime src/libraries/
    System.Private.CoreLib/src/System/Text/UTF8Encoding.cs, SetDefaultFallbacks)."""
    sent = json.loads('"Show \\ud800 - S01E01.mkv"')
    assert outside_text.path(sent).encode() == b"Show \xef\xbf\xbd - S01E01.mkv"
