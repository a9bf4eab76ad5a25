"""Issue 83: an unchanged rescan compares each item's folder with one digest of its
stored files, read with the item's row (``Media.files_digest``): no file row is read
into the plan, whatever the library's size; an item whose files or *arr entry changed
is read again; an item stored before the digest existed is read once, then is not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fakes.arr import FakeArr
from scanner.engine.library import files_digest
from scanner.models import Instance, Media, RunRequest, ScanRun
from scanner.pipeline.scanning import sync as sync_module
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from tests.helpers import scan_inline, sonarr_over
from tests.library import Library

pytestmark = pytest.mark.django_db(transaction=True)


def _planned(instance: Instance) -> tuple[ScanRun, list[str]]:
    """A rescan's plan step alone: the run and the statements it sent."""
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.CLI))
    with CaptureQueriesContext(connection) as queries:
        plan_run(run.pk)
    run.refresh_from_db()
    return run, [query["sql"] for query in queries]


def _item_reads(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.startswith("SELECT") and 'FROM "scanner_media"' in sql]


@pytest.mark.parametrize("batch", [2, 400])
def test_an_unchanged_rescan_reads_no_file_row_and_one_statement_a_batch(
    sonarr_instance: Instance, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    scan_inline(sonarr_instance)
    listed = sonarr_instance.media.count()
    monkeypatch.setattr(sync_module, "BATCH", batch)

    run, statements = _planned(sonarr_instance)

    assert (run.items_total, run.items_skipped) == (0, listed)
    assert not [sql for sql in statements if "scanner_mediafile" in sql]
    batches = -(-listed // batch)
    # Each batch's rows (their digests with them) in one statement; besides them the
    # folders listed ahead and the items that left: as many for 6 items in one batch as
    # in three.
    assert len(_item_reads(statements)) == batches + 2, _item_reads(statements)


def test_an_item_whose_file_changed_size_is_read_again_and_only_it(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    touched = tv_library.files["Anime Wrong"][0]
    touched.write_bytes(touched.read_bytes() + b"\0")

    run, statements = _planned(sonarr_instance)

    assert run.items_total == 1
    assert not [sql for sql in statements if "scanner_mediafile" in sql]
    assert run.items_skipped == sonarr_instance.media.count() - 1


def test_an_item_whose_subtitle_file_appeared_is_read_again(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    scan_inline(sonarr_instance)
    video = tv_library.files["Plain English"][0]
    video.with_suffix(".en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n")

    run, _ = _planned(sonarr_instance)

    assert run.items_total == 1


def test_an_item_whose_arr_entry_changed_is_read_again(
    sonarr: FakeArr, tv_library: Library
) -> None:
    # Hybrid: the *arr's word on the files (its statistics) counts beside the folder.
    instance = sonarr_over(sonarr, str(tv_library.root), Instance.AudioSource.HYBRID)
    scan_inline(instance)
    half = next(item for item in sonarr.state.items() if item["title"] == "Anime Half")
    files = sonarr.state.episode_files(half["id"])
    files[0]["size"] += 1000  # Sonarr's statistics follow its files (SeriesStatistics)
    sonarr.state.set_episode_files(half["id"], files)

    run, statements = _planned(instance)

    assert run.items_total == 1
    assert not [sql for sql in statements if "scanner_mediafile" in sql]


def test_items_stored_before_the_digest_existed_are_read_once(sonarr_instance: Instance) -> None:
    scan_inline(sonarr_instance)
    listed = sonarr_instance.media.count()
    Media.objects.update(files_digest="")  # as the migration leaves them

    assert scan_inline(sonarr_instance).items_total == listed
    # The item step stored each item's digest, whatever it found changed.
    assert "" not in set(Media.objects.values_list("files_digest", flat=True))
    assert scan_inline(sonarr_instance).items_total == 0


def test_an_item_with_no_file_keeps_a_digest_that_says_so(
    sonarr_instance: Instance, tv_library: Library
) -> None:
    for video in tv_library.files["Anime Wrong"]:
        video.unlink()
    scan_inline(sonarr_instance)
    empty = Media.objects.get(title="Anime Wrong")
    assert empty.file_count == 0
    assert empty.files_digest == files_digest(())

    assert scan_inline(sonarr_instance).items_total == 0


def test_the_digest_is_the_same_in_every_process_whatever_the_order() -> None:
    files = [("S01/b.mkv", 2, 20, ""), ("S01/a.mkv", 1, 10, "abc")]
    here = files_digest(files)
    assert here == files_digest(reversed(files + files[:1]))
    assert here != files_digest(files[:1])
    # Unlike hash() of a str, salted per process: stored by one, compared by another.
    code = f"from scanner.engine.library import files_digest; print(files_digest({files!r}))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[3]
    other = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == here
