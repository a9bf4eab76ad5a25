"""Real workers against the apply step's lease: an apply stopped (SIGSTOP) past its lease
while the next run finds news writes nothing when it is continued, and each run's dub
news is told once, by the run that found it (scanner.pipeline.state.apply_lease)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from fakes.arr import FakeArr, FakeArrOptions
from scanner import tasks
from scanner.models import Event, Instance, RunRequest, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import Apply, Plan
from tests.capture import CapturingServer
from tests.factories import NotifierFactory
from tests.helpers import ARR_KEY, arr_tags, scan_inline, sonarr_over
from tests.library import Library
from tests.media import MediaFactory, layout
from tests.worker import LOG_TIMEOUT, celery_worker, run_finished, task_done

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

NEWS = (Event.Kind.DUB_ARRIVED, Event.Kind.DUB_LOST)
HALF, NEVER = 2, 5  # the *arr ids of "Anime Half" and "Never Dubbed" (tests.library.SHOWS)
# Worker A's beats (a sixth of its stall window) come after it is stopped, never while:
# SIGSTOP freezes the process, not a statement it has sent. A beat that PostgreSQL (or
# SQLite's lock) was still handling when A stopped could land after the test ran the
# lease out, extending it again for A: B's resent apply then found the step "taken by
# another apply" and run 1 never ended (seen once, under load).
SLOW_BEATS = {"TAGGARR_SCAN_STALL_SECONDS": "900", "TAGGARR_HOLD_SECONDS": "1200"}


@pytest.fixture
def held_sonarr(tv_library: Library) -> Iterator[FakeArr]:
    """A fake Sonarr whose bulk editor can save an edit of chosen series, then hold its
    answer (an *arr busy for minutes: Sonarr's SeriesEditorController answers only once
    every edited series is saved and its events handled)."""
    options = FakeArrOptions(app="sonarr", api_key=ARR_KEY, stall_s=LOG_TIMEOUT - 10)
    with FakeArr(options, items=tv_library.arr_items) as fake:
        tv_library.load_episode_files(fake)
        yield fake


def _dub_arrives(tv_library: Library, media: MediaFactory, title: str, files: slice) -> None:
    for path in tv_library.files[title][files]:
        path.unlink()
        media.make_video(path, layout("jpn", "eng"))


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def _lease_runs_out(run: ScanRun) -> None:
    """Time passes past the apply step's lease and the stall window (injected)."""
    past = timezone.now() - timedelta(seconds=settings.SCAN_STALL_SECONDS + 1)
    ScanRun.objects.filter(pk=run.pk).update(heartbeat_at=past, apply_leased_until=past)


def _events(run: ScanRun) -> list[tuple[str, int | None, str]]:
    rows = Event.objects.filter(run=run).order_by("id").values_list("kind", "media_id", "message")
    return list(rows)


def test_an_apply_stopped_past_its_lease_while_the_next_run_finds_news(
    held_sonarr: FakeArr,
    tv_library: Library,
    media: MediaFactory,
    inbox: CapturingServer,
) -> None:
    """Worker A applies run 1 and is stopped while Sonarr holds its bulk edit; its lease
    runs out, the recovery sends the apply again and worker B finishes run 1 (English
    arrived on Anime Half: told). English then arrives on Never Dubbed; B runs run 2,
    whose apply Sonarr holds in turn, and A is continued meanwhile. A writes nothing
    (no second tag event, none of run 2's news) and ends naming what happened; run 2
    tells its own arrival, once."""
    instance = sonarr_over(held_sonarr, str(tv_library.root), Instance.AudioSource.FILES)
    NotifierFactory(url=inbox.url, events=list(NEWS), rate_limit_minutes=0)
    scan_inline(instance)  # the first scan takes note: no news
    assert inbox.posts == []

    _dub_arrives(tv_library, media, "Anime Half", slice(2, None))  # season 2
    held_sonarr.state.stall_editor({HALF})
    with celery_worker(extra_env=SLOW_BEATS) as stopped:
        run1 = _start(instance)
        assert held_sonarr.state.wait_stalled(held_sonarr.state.stalled + 1, LOG_TIMEOUT)
        os.killpg(stopped.pid, signal.SIGSTOP)  # A holds run 1's apply, Sonarr its edit
        try:
            assert ScanRun.objects.get(pk=run1.pk).status == ScanRun.Status.APPLYING
            _lease_runs_out(run1)
            resent = runs.recover_stalled(queued=0)  # beat's tick, nothing queued
            assert resent == (Apply(run1.pk),)
            held_sonarr.state.stall_editor(())  # B's edits of Anime Half are answered
            held_sonarr.state.release_stalls()
            with celery_worker() as other:
                tasks.send(resent)
                other.wait_for(run_finished(run1.pk))
                (first,) = inbox.wait_for(1)
                assert "Anime Half" in first["message"]
                run1_events = _events(run1)

                _dub_arrives(tv_library, media, "Never Dubbed", slice(None))
                held_sonarr.state.stall_editor({NEVER})  # run 2's edit is held
                stalled = held_sonarr.state.stalled
                run2 = _start(instance)
                # Run 2 is applying: its items stored the new files, its news not told.
                assert held_sonarr.state.wait_stalled(stalled + 1, LOG_TIMEOUT)
                os.killpg(stopped.pid, signal.SIGCONT)
                stopped.wait_for(task_done("apply_scan"))  # the paused apply ends
                held_sonarr.state.release_stalls()
                other.wait_for(run_finished(run2.pk))
                posts = inbox.wait_for(2)
        finally:
            held_sonarr.state.release_stalls()
            os.killpg(stopped.pid, signal.SIGCONT)
        stopped.wait_for(r"apply_scan\[[^\]]+\] succeeded in .*superseded: scan #\d+ is succeeded")
        stopped.wait_for("this apply stopped and writes nothing more")

    assert _events(run1) == run1_events  # the stale apply wrote nothing
    changed = Event.objects.filter(run=run1, kind=Event.Kind.TAG_CHANGED)
    assert [e.media.title for e in changed] == ["Anime Half"]  # once
    told1 = Event.objects.filter(run=run1, kind__in=NEWS)
    told2 = Event.objects.filter(run=run2, kind__in=NEWS)
    assert [(e.kind, e.media.title) for e in told1] == [(Event.Kind.DUB_ARRIVED, "Anime Half")]
    assert [(e.kind, e.media.title) for e in told2] == [(Event.Kind.DUB_ARRIVED, "Never Dubbed")]
    assert len(posts) == len(inbox.posts) == 2  # each run's news, once
    assert "Never Dubbed" in posts[1]["message"]
    assert ScanRun.objects.get(pk=run2.pk).status == ScanRun.Status.SUCCEEDED
    assert arr_tags(held_sonarr)["Never Dubbed"] == "dub"
    assert arr_tags(held_sonarr)["Anime Half"] == "dub"
