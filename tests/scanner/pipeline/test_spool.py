"""A list written once and read back in order, past its in-memory part on disk
(scanner.pipeline.scanning.spool): what the plan holds of an *arr's list."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime

from scanner.arr.media_info import ArrFile
from scanner.pipeline.scanning.sources import SourceItem
from scanner.pipeline.scanning.spool import Spool


@dataclass(frozen=True)
class Listed:
    number: int
    title: str


def test_the_items_come_back_in_order_past_what_is_kept_in_memory() -> None:
    spool: Spool[Listed] = Spool(in_memory=3)
    items = [Listed(number, f"Série n°{number} — ünïcode") for number in range(10)]
    for item in items:
        spool.append(item)

    assert len(spool) == 10
    assert spool.spilled == 7
    assert list(spool) == items
    assert list(spool) == items  # read again: the same
    assert [len(batch) for batch in spool.batches(4)] == [4, 4, 2]
    assert [item for batch in spool.batches(4) for item in batch] == items


def test_what_went_to_disk_is_not_held_in_memory() -> None:
    spool: Spool[Listed] = Spool(in_memory=2)
    kept = Listed(0, "kept")
    spilled = Listed(1, "spilled")
    spool.append(kept)
    spool.append(Listed(2, "kept too"))
    spool.append(spilled)
    watched_kept, watched_spilled = weakref.ref(kept), weakref.ref(spilled)
    del kept, spilled
    gc.collect()

    assert watched_kept() is not None  # the in-memory part holds its items
    assert watched_spilled() is None  # the rest is bytes on disk
    assert [item.title for item in spool] == ["kept", "kept too", "spilled"]


def test_closed_it_is_empty_and_its_file_is_gone() -> None:
    spool: Spool[Listed] = Spool(in_memory=1)
    for number in range(3):
        spool.append(Listed(number, "x"))
    file = spool._file
    assert file is not None

    spool.close()

    assert file.closed
    assert len(spool) == 0
    assert list(spool) == []


def test_nothing_goes_to_disk_below_the_in_memory_part() -> None:
    spool: Spool[Listed] = Spool(in_memory=5)
    for number in range(5):
        spool.append(Listed(number, "x"))
    assert spool.spilled == 0
    assert spool._file is None


def test_a_listed_item_with_its_file_comes_back_equal() -> None:
    """What the plan spools: an *arr's item, Radarr's file embedded, every field set."""
    file = ArrFile(
        relative_path="Film (2020)/Film.mkv",
        size=1_500_000_000,
        date_added=datetime(2024, 3, 1, 12, 30, tzinfo=UTC),
        season=None,
        has_media_info=True,
        audio=("fre", "eng"),
        audio_streams=2,
        subtitles=("fre",),
        problem="",
        languages=("French (Canada)",),
        audio_codec="EAC3 Atmos",
    )
    item = SourceItem(
        arr_id=7, title="Le Film", local_path="/films/Le Film (2020)",
        arr_path="/movies/Le Film (2020)", original_language="fra", genres=("Drame",),
        monitored=True, unmonitored_seasons=(2,), tag_ids=frozenset({1, 4}), tvdb_id=None,
        tmdb_id=42, imdb_id="tt0042", title_slug="le-film-42", year=2020,
        files_fingerprint="1:1500000000", file_count=1, arr_files=(file,),
        covers=(("poster", "/MediaCover/7/poster.jpg"),), quality_profile_id=3,
    )  # fmt: skip
    spool: Spool[SourceItem] = Spool(in_memory=0)
    spool.append(item)

    assert spool.spilled == 1
    assert list(spool) == [item]
