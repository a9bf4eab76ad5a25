"""Every wait has a deadline (issue 69, item 2), on a real worker process: a step whose
share or *arr stops answering ends by itself within its hold limit
(TAGGARR_HOLD_SECONDS, shortened here) with a reason a person reads, and the next
scan works once the share or the *arr answers again.

The share that stops answering is tests/share_hang.py, loaded into the worker only by
these tests: a listing or a file created in a named folder first opens a FIFO for
reading, which the kernel blocks for real until the test opens its other end; nothing
in the product is told. The hanging *arr is the fake Sonarr with its images held back
(the instance's read timeout longer than the hold limit, so that only the hold ends the
wait). No test waits for time to pass: each waits for what the worker logs and writes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes.arr import FakeArr
from scanner.actions.scans import start_scan
from scanner.models import Artwork, Event, Instance, RunRequest, ScanRun
from scanner.reports.event_sentences import run_error_text
from scanner.tasks import refresh_artwork_chunk
from tests.factories import InstanceFactory, MediaFactory
from tests.helpers import arr_tags, nfo_tags, scan_inline
from tests.library import Library
from tests.scanner.artwork.images import jpeg
from tests.share_hang import answer_again, hang_env
from tests.worker import celery_worker, run_finished, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

HOLD = 11  # seconds: above what one step of these small libraries takes on a loaded machine
# The hold limit must be longer than the stall window (taggarr/settings.py), and the window
# than the longest wait between two retries: the shortest such settings.
BOUNDS = {
    "TAGGARR_HOLD_SECONDS": str(HOLD),
    "TAGGARR_SCAN_STALL_SECONDS": "10",
    "TAGGARR_ARR_RETRY_SECONDS": "8",
    "TAGGARR_STORAGE_RETRY_SECONDS": "8",
}
UNANSWERED = f"no answer from the file system within {HOLD} s"


@pytest.fixture
def share(tmp_path: Path) -> Iterator[Path]:
    """The FIFO the hung calls wait on; answered at the end whatever happened, so that
    no thread of the worker stays blocked."""
    fifo = tmp_path / "share-answers"
    os.mkfifo(fifo)
    answered: list[int] = []
    yield fifo
    answered.append(answer_again(str(fifo)))
    for descriptor in answered:
        os.close(descriptor)


def _worker_env(fifo: Path, **hang: tuple[str, ...]) -> dict[str, str]:
    return {
        **BOUNDS,
        "TAGGARR_TEST_HANG": hang_env(str(fifo), **hang),
    }


def _scan(instance: Instance) -> ScanRun:
    return start_scan(instance, RunRequest(ScanRun.Trigger.API))


def _ended(run: ScanRun) -> ScanRun:
    run.refresh_from_db()
    return run


def test_a_plan_whose_share_stops_answering_while_it_lists_folders_fails_saying_so(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, share: Path
) -> None:
    """The rescan's plan lists the known folders while the *arr answers: one of them
    never answers. The plan stops waiting at the hold limit and fails its run with that
    reason; once the share answers, the next scan succeeds."""
    first = scan_inline(sonarr_instance)
    assert first.status == ScanRun.Status.SUCCEEDED, first.error
    folder = tv_library.folder("Anime Half")
    env = _worker_env(share, scandir=(str(folder),))
    with celery_worker(extra_env=env, include=("tests.share_hang",)) as worker:
        run = _scan(sonarr_instance)
        worker.wait_for(f"share hang: blocked on {folder}")
        worker.wait_for("did not answer within TAGGARR_HOLD_SECONDS .* abandoned")
        worker.wait_for(task_done("plan_scan"))  # the run's end recorded
        failed = _ended(run)
        assert failed.status == ScanRun.Status.FAILED
        assert failed.error == f"{folder}: {UNANSWERED}"
        assert run_error_text(failed) == "the share stopped answering"

        held_open = answer_again(str(share))  # the share answers again
        try:
            again = _scan(sonarr_instance)
            worker.wait_for(run_finished(again.pk))
        finally:
            os.close(held_open)
    assert _ended(again).status == ScanRun.Status.SUCCEEDED, again.error
    assert arr_tags(sonarr) == tv_library.expected


def test_an_apply_whose_share_stops_answering_while_it_writes_an_nfo_fails_saying_so(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library, share: Path
) -> None:
    """The apply writes an item's NFO (a temp file created beside it, then renamed): the
    create never returns. The apply stops waiting at the hold limit and fails its run
    with that reason, the NFO left as it was and due; the next scan writes it."""
    folder = tv_library.folder("Anime Half")
    nfo = folder / "tvshow.nfo"
    before = nfo.read_bytes()
    env = _worker_env(share, create=(str(folder),))
    with celery_worker(extra_env=env, include=("tests.share_hang",)) as worker:
        run = _scan(sonarr_instance)
        worker.wait_for(rf"share hang: blocked on {folder}/\.tvshow\.nfo\.")
        worker.wait_for(task_done("apply_scan"))  # the run's end recorded
        failed = _ended(run)
        assert failed.status == ScanRun.Status.FAILED
        assert failed.error == f"{folder}: {UNANSWERED}"
        assert run_error_text(failed) == "the share stopped answering"
        assert nfo.read_bytes() == before
        assert sonarr_instance.media.get(title="Anime Half").nfo_due

        held_open = answer_again(str(share))
        try:
            again = _scan(sonarr_instance)
            worker.wait_for(run_finished(again.pk))
        finally:
            os.close(held_open)
    assert _ended(again).status == ScanRun.Status.SUCCEEDED, again.error
    assert nfo_tags(nfo) == ["user-tag", "semi-dub"]
    assert not sonarr_instance.media.get(title="Anime Half").nfo_due
    assert not list(folder.glob(".tvshow.nfo.*.tmp"))  # the blocked write cleaned up after


def test_an_artwork_chunk_behind_a_hanging_arr_ends_at_the_hold_limit_saying_so(
    sonarr_instance: Instance, sonarr: FakeArr
) -> None:
    """The *arr holds every image back, longer than the instance's read timeout would
    allow (raised past the hold limit): the chunk stops waiting at the hold limit, logs
    why and remembers no image as failed; the next scan's artwork fetches them all."""
    Instance.objects.filter(pk=sonarr_instance.pk).update(read_timeout=600)
    sonarr.state.stall_covers()
    with celery_worker(extra_env=BOUNDS) as worker:
        run = _scan(sonarr_instance)
        assert sonarr.state.wait_stalled(1, 180)
        line = worker.wait_for("artwork of .* not fetched, the next scan tries again")
        assert f"no answer to its artwork requests within TAGGARR_HOLD_SECONDS ({HOLD} s)" in (line)
        worker.wait_for(task_done("refresh_artwork_chunk"))
        assert _ended(run).status == ScanRun.Status.SUCCEEDED, run.error  # the run did not wait
        assert not Artwork.objects.exists()

        sonarr.state.release_stalls()  # the *arr answers again
        again = _scan(sonarr_instance)
        worker.wait_for(run_finished(again.pk))
        worker.wait_for(task_done("refresh_artwork_chunk"), count=2)
    scanned = sonarr_instance.media.count()
    assert Artwork.objects.filter(media__instance=sonarr_instance).count() == 2 * scanned > 0
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()


def test_an_artwork_chunk_whose_share_stops_answering_ends_in_one_line(
    share: Path, tmp_path: Path
) -> None:
    """A library folder's artwork: looking for its poster.jpg never returns (a share gone
    away). The chunk stops at the hold limit and says so in one log line with the reason,
    as the plan and the apply do (README, "Nothing in a worker dies silently": "an artwork
    chunk stops"): no traceback, the task not an unexpected failure (issue 79: it ended
    "raised unexpected: TaggarrError" with a traceback). Once the share answers, the next
    chunk fetches the poster."""
    root = tmp_path / "library"
    show = root / "Show"
    show.mkdir(parents=True)
    (show / "poster.jpg").write_bytes(jpeg(100, 150))
    instance = InstanceFactory(
        kind=Instance.Kind.LIBRARY, url="", api_key="", root_folders=[str(root)]
    )
    media = MediaFactory(instance=instance, arr_id=None, path=str(show))
    with celery_worker(
        extra_env=_worker_env(share, stat=(str(show),)), include=("tests.share_hang",)
    ) as worker:
        refresh_artwork_chunk.delay(instance.pk, [media.pk])
        worker.wait_for(f"share hang: blocked on {show}/")
        worker.wait_for(task_done("refresh_artwork_chunk"))
        reason = f"{show}: {UNANSWERED}"
        assert worker.count(re.escape(reason)) == 1, "".join(worker.output[-20:])
        assert worker.count(r"refresh_artwork_chunk\[[^\]]+\] succeeded") == 1
        assert worker.count("Traceback|raised unexpected") == 0

        held_open = answer_again(str(share))  # the share answers again
        try:
            refresh_artwork_chunk.delay(instance.pk, [media.pk])
            worker.wait_for(task_done("refresh_artwork_chunk"), count=2)
        finally:
            os.close(held_open)
    assert Artwork.objects.filter(media=media, kind="poster").exists()
