"""Files in a library that are not what their names say: a FIFO, a device or a folder
named like a subtitle sidecar or an NFO is refused at once (one open that cannot block,
then ``fstat``: scanner/engine/regular_files.py), never read and never waited on; an NFO
past its bound is not read into memory. Before, the listening text reader opened a
FIFO sidecar blocking: the item's thread waited for ever, and the run never ended.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from scanner.engine.nfo import MAX_NFO_BYTES, read_genres, write_managed_tags
from scanner.engine.regular_files import UnsafeFile
from scanner.errors import StorageError
from scanner.listening.text import identify_text
from scanner.models import Instance, Media, ScanRun
from scanner.pipeline.scanning.listening import UNREADABLE
from scanner.pipeline.scanning.sources import _nfo_genres
from tests.helpers import scan_inline
from tests.hostile.fifo import released_if_blocked
from tests.library import Library


def test_a_subtitle_that_is_a_fifo_a_device_or_a_folder_is_refused_at_once(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "Show.S01E01.srt"
    os.mkfifo(fifo)
    device = tmp_path / "Show.S01E02.srt"
    device.symlink_to("/dev/zero")  # read before: 64 KB of NUL, "too little text"
    folder = tmp_path / "Show.S01E03.srt"
    folder.mkdir()
    for path in (fifo, device, folder):
        with released_if_blocked(fifo), pytest.raises(UnsafeFile) as refused:
            identify_text(path)
        assert refused.value.code == "not_regular"
    # A link is followed (libraries of links into a debrid or rclone mount): read.
    elsewhere = tmp_path / "mount" / "signs.srt"
    elsewhere.parent.mkdir()
    elsewhere.write_text("1\n00:00:01,000 --> 00:00:02,000\nNEW YORK\n", encoding="utf-8")
    linked = tmp_path / "Show.S01E04.srt"
    linked.symlink_to(elsewhere)
    assert identify_text(linked).why == "too little text"


@pytest.mark.django_db(transaction=True)
def test_a_fifo_sidecar_with_listening_on_is_could_not_be_read_and_the_scan_ends(
    sonarr_instance: Instance, tv_library: Library, caplog: pytest.LogCaptureFixture
) -> None:
    """The probe's case: a FIFO named as a sidecar without a language (so read from its
    text) beside a video, listening on. The item is tagged; the sidecar says why it has
    no language, and keeps saying it while its name stays (not opened again)."""
    video = tv_library.files["Never Dubbed"][0]
    fifo = video.with_suffix(".srt")
    os.mkfifo(fifo)
    sidecar = str(fifo.relative_to(tv_library.folder("Never Dubbed")))
    sonarr_instance.identify_audio_language = "unlabelled"  # its tracks are labelled
    sonarr_instance.save()
    with released_if_blocked(fifo), caplog.at_level(logging.WARNING):
        run = scan_inline(sonarr_instance)
    assert (run.status, run.items_failed) == (ScanRun.Status.SUCCEEDED, 0)
    assert f"Not reading {fifo}: not a regular file" in caplog.text
    never = Media.objects.get(title="Never Dubbed")
    assert never.planned_tag == "none"
    stored = never.files.get(path=str(video.relative_to(tv_library.folder("Never Dubbed"))))
    assert [(t["file"], t["heard"]["why"]) for t in stored.subtitle_tracks] == [
        (sidecar, UNREADABLE)
    ]
    note = f"subtitle file {sidecar}: unsure from its text ({UNREADABLE})"
    assert any(note in line for line in never.verdict_reasons["listening"])
    caplog.clear()
    with released_if_blocked(fifo), caplog.at_level(logging.WARNING):
        again = scan_inline(sonarr_instance)
    assert (again.status, again.items_failed) == (ScanRun.Status.SUCCEEDED, 0)
    assert "Not reading" not in caplog.text


def test_an_nfo_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    nfo = tmp_path / "tvshow.nfo"
    os.mkfifo(nfo)
    with released_if_blocked(nfo), pytest.raises(StorageError, match="not a regular file"):
        read_genres(nfo)
    with released_if_blocked(nfo), pytest.raises(StorageError, match="not a regular file"):
        write_managed_tags(nfo, {"dub"}, {"dub"}, folder=tmp_path, kind="series")


def test_an_nfo_past_its_bound_is_not_read_and_the_library_listing_goes_on(
    tmp_path: Path,
) -> None:
    """Well-formed, with a genre: 1 MB of blanks after it. Before, read whole into
    memory (any size); a genre NFO that could not be read then failed the listing of
    every folder (only NfoError was caught)."""
    show = tmp_path / "Show"
    show.mkdir()
    nfo = show / "tvshow.nfo"
    nfo.write_bytes(b"<tvshow><genre>Anime</genre>" + b" " * MAX_NFO_BYTES + b"</tvshow>")
    with pytest.raises(StorageError, match="larger than 1 MB"):
        read_genres(nfo)
    with pytest.raises(StorageError, match="larger than 1 MB"):
        write_managed_tags(nfo, {"dub"}, {"dub"}, folder=show, kind="series")
    assert _nfo_genres(show, "series") == ()
    nfo.write_bytes(b"<tvshow><genre>Anime</genre></tvshow>")
    assert _nfo_genres(show, "series") == ("Anime",)
