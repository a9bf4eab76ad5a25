"""On a real worker process: an item's plan whose share stops answering ends at the hold
limit (TAGGARR_HOLD_SECONDS, shortened here), the file refused "share-unanswered" and
untouched; the share answering again, the next plan and write go through.

The share that stops answering is tests/share_hang.py (a file of the folder looked up,
``os.stat``, blocks on a FIFO until the test opens its other end). No test waits for time
to pass: each waits for what the worker logs and writes."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from scanner.models import DefaultTrackChange, Instance, Media
from scanner.tasks import plan_default_tracks
from tests.helpers import scan_inline
from tests.mkv_files import default_flags
from tests.scanner.default_tracks.quebec import Films, films, quebec_instance, sha256
from tests.share_hang import answer_again, hang_env
from tests.worker import celery_worker, task_done

__all__ = ["films"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

HOLD = 11  # seconds, as tests/scanner/pipeline/test_worker_share_hang.py
BOUNDS = {
    "TAGGARR_HOLD_SECONDS": str(HOLD),
    "TAGGARR_SCAN_STALL_SECONDS": "10",
    "TAGGARR_ARR_RETRY_SECONDS": "8",
    "TAGGARR_STORAGE_RETRY_SECONDS": "8",
}
State = DefaultTrackChange.State


@pytest.fixture
def share(tmp_path: Path) -> Iterator[Path]:
    """The FIFO the hung calls wait on; answered at the end whatever happened."""
    fifo = tmp_path / "share-answers"
    os.mkfifo(fifo)
    yield fifo
    os.close(answer_again(str(fifo)))


def test_a_plan_whose_share_stops_answering_ends_at_the_hold_limit_untouched(
    films: Films, share: Path
) -> None:
    instance = quebec_instance(films, default_tracks=Instance.DefaultTracks.OFF)
    scan_inline(instance)  # the library stored, nothing planned (off)
    instance.default_tracks = Instance.DefaultTracks.SET
    instance.save()
    media = Media.objects.get(path=str(films.multi.parent))
    original = sha256(films.multi)
    folder = str(films.multi.parent)
    env = {**BOUNDS, "TAGGARR_TEST_HANG": hang_env(str(share), stat=(folder,))}
    with celery_worker(extra_env=env, include=("tests.share_hang",)) as worker:
        plan_default_tracks.delay(media.pk, None)
        worker.wait_for(f"share hang: blocked on {re.escape(folder)}")
        worker.wait_for("did not answer within TAGGARR_HOLD_SECONDS .* abandoned")
        worker.wait_for(task_done("plan_default_tracks"))
        row = DefaultTrackChange.objects.get(media=media)
        assert (row.state, row.refusal) == (State.REFUSED, "share-unanswered")
        assert sha256(films.multi) == original

        held_open = answer_again(str(share))  # the share answers again
        try:
            plan_default_tracks.delay(media.pk, None)
            worker.wait_for(task_done("plan_default_tracks"), count=2)
        finally:
            os.close(held_open)
    written = DefaultTrackChange.objects.filter(media=media).latest("id")
    assert written.state == State.WRITTEN
    assert default_flags(films.multi)[("audio", 3)] is True


def test_the_pages_apply_and_undo_run_on_a_worker_by_the_run(films: Films) -> None:
    """What the admin's and the API's buttons call (apply.queue, undo.queue): the rows of
    a run written, then undone, by a worker where the files are."""
    from scanner.default_tracks import apply, undo

    instance = quebec_instance(films, default_tracks=Instance.DefaultTracks.PLAN)
    run = scan_inline(instance)
    original = sha256(films.multi)
    with celery_worker() as worker:
        assert apply.queue(run_id=run.pk, by="alice", via="admin") == 1
        worker.wait_for(task_done("apply_default_tracks"))
        row = DefaultTrackChange.objects.get(path=str(films.multi))
        assert (row.state, row.applied_by) == (State.WRITTEN, "alice")
        assert default_flags(films.multi)[("audio", 3)] is True
        assert undo.queue(run_id=run.pk, by="bob", via="api") == 1
        worker.wait_for(task_done("undo_default_tracks"))
    row.refresh_from_db()
    assert (row.state, row.undone_by) == (State.UNDONE, "bob")
    assert sha256(films.multi) == original


def test_undo_takes_over_the_lease_of_a_writer_killed_while_holding_it(
    films: Films, share: Path
) -> None:
    """Issue 92: a worker killed (SIGKILL) while its task holds an item (its plan blocked
    on a share that stopped answering) lets nothing go. Its process is gone from this
    host, so undo takes the lease over at once instead of being refused "busy" for the
    lease's ten minutes."""
    import select
    import signal

    from django.core.management import call_command

    from scanner.models import DefaultTrackLease
    from tests.worker import LOG_TIMEOUT

    original = sha256(films.multi)
    instance = quebec_instance(films)
    scan_inline(instance)  # written here
    assert default_flags(films.multi)[("audio", 3)] is True
    media = Media.objects.get(path=str(films.multi.parent))
    folder = str(films.multi.parent)
    env = {"TAGGARR_TEST_HANG": hang_env(str(share), stat=(folder,))}
    with celery_worker(extra_env=env, include=("tests.share_hang",)) as killed:
        plan_default_tracks.delay(media.pk, None)
        killed.wait_for(f"share hang: blocked on {re.escape(folder)}")
        held = DefaultTrackLease.objects.get(media=media)
        assert held.token is not None
        holder = int(held.holder.split(" ")[3])  # the pool's process that runs the task
        ended = os.pidfd_open(holder)
        try:
            os.killpg(killed.pid, signal.SIGKILL)
            killed.process.wait(LOG_TIMEOUT)
            assert select.select([ended], [], [], LOG_TIMEOUT)[0] == [ended]  # it ended
        finally:
            os.close(ended)
    assert DefaultTrackLease.objects.get(media=media).token == held.token  # still "held"
    out = StringIO()
    call_command("default_tracks", "undo", "--instance", str(instance.pk), stdout=out)
    assert out.getvalue().strip() == "Film (2020).mkv: undone"
    assert sha256(films.multi) == original
    assert DefaultTrackLease.objects.get(media=media).token is None  # let go after
