"""Real workers against leases and Flower: a worker stopped (SIGSTOP) past its leases
and continued writes nothing over the worker that took its items; Flower (its HTTP
API, as people read it) shows each item's latest task in the item's state, after a
failed item and after a worker killed mid-scan."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import timezone

from fakes.arr import FakeArr
from scanner import tasks
from scanner.models import Event, Instance, RunRequest, ScanItem, ScanRun
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import runs
from scanner.pipeline.work import Plan
from tests.helpers import arr_source_instance, arr_tags, free_port
from tests.library import Library
from tests.share_hang import answer_again
from tests.worker import (
    LOG_TIMEOUT,
    WorkerProcess,
    celery_worker,
    live_database_url,
    run_finished,
    task_done,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

FLOWER_AUTH = "taggarr:flower-test-password"


def _start(instance: Instance) -> ScanRun:
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API))
    tasks.send((Plan(run.pk),))
    return run


def _leases_run_out(run: ScanRun) -> list[int]:
    """Time passes past the leases of the items held (injected); their ids."""
    held = list(
        ScanItem.objects.filter(run=run, leased_until__isnull=False).values_list("pk", flat=True)
    )
    past = timezone.now() - timedelta(seconds=1)
    ScanItem.objects.filter(pk__in=held).update(leased_until=past)
    return held


def test_a_worker_stopped_past_its_leases_and_continued_writes_nothing(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """Worker A holds two items (their *arr hangs) and is stopped; their leases run
    out, beat's tick sends them again, worker B scans them and the run ends. A is
    continued: its two results are not stored (one log line each), nothing counts
    twice, and every tag is right."""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    debug = {"TAGGARR_LOG_LEVEL": "debug"}
    with celery_worker(concurrency=2, extra_env=debug) as stopped:
        run = _start(instance)
        assert sonarr.state.wait_stalled(2, LOG_TIMEOUT)  # both threads hold an item
        os.killpg(stopped.pid, signal.SIGSTOP)
        try:
            held = _leases_run_out(run)
            assert len(held) == 2
            sonarr.state.release_stalls()
            tasks.start_due_scans()  # beat's tick
            assert ScanItem.objects.filter(pk__in=held, lease_token__isnull=True).count() == 2
            with celery_worker(concurrency=2) as other:
                other.wait_for(run_finished(run.pk))
        finally:
            os.killpg(stopped.pid, signal.SIGCONT)
        stopped.wait_for("lease ran out and another took the item", count=2)
        # Its two tasks end saying what became of their items, not FAILURE.
        superseded = (
            r"scan_item\[[^\]]+\] succeeded in [0-9.]+s: "
            r"'superseded: the item was scanned by another task, and its scan has ended'"
        )
        stopped.wait_for(superseded, count=2)
        assert stopped.count(r"scan_item\[[^\]]+\] raised") == 0
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    series = len(tv_library.arr_items)
    assert (run.items_done, run.items_failed) == (series, 0)  # none counted twice
    assert arr_tags(sonarr) == tv_library.expected


def test_a_worker_paused_while_its_desk_stores_steps_aside_and_fails_nothing(
    sonarr: FakeArr, tv_library: Library, tmp_path: Path
) -> None:
    """Issue 79: a worker paused past its lease (SIGSTOP: a frozen container) while its
    item task waited for its desk's store; the lease runs out (its end moved past, as
    above), beat's tick sends the item again and worker B takes it. Continued, A's task
    meets its desk's bound
    (DeskUnanswered: its desk never answers here, tests/desk_hang.py) with its retry
    budget spent. Its fencing token is no longer the item's: it steps aside in one log
    line and fails nothing (it failed the item B held: the run ended partial, "the item
    desk did not answer within 10 s"). B stores the item once and the run succeeds."""
    instance = arr_source_instance(sonarr)
    first = tv_library.arr_items[0]
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API, scope=(first["id"],)))
    fifo, gate = tmp_path / "desk-answers", tmp_path / "release-gate"
    os.mkfifo(fifo)
    os.mkfifo(gate)
    bounds = {"TAGGARR_SCAN_STALL_SECONDS": "10", "TAGGARR_ARR_RETRY_SECONDS": "8"}
    hung = {
        **bounds,
        "TAGGARR_TEST_DESK_HANG": str(fifo),
        "TAGGARR_TEST_DESK_RELEASE_GATE": str(gate),
    }
    answered: list[int] = []
    with celery_worker(extra_env=hung, include=("tests.desk_hang",)) as paused:
        tasks.send((Plan(run.pk),))
        paused.wait_for(r"desk hang: store blocked")  # read; its store waits on the desk
        os.killpg(paused.pid, signal.SIGSTOP)
        try:
            (item,) = _leases_run_out(run)
            sonarr.state.stall_episode_files({first["id"]})  # B's read holds the item
            tasks.start_due_scans()  # beat's tick: the item sent again
            with celery_worker(extra_env=bounds) as other:
                assert sonarr.state.wait_stalled(1, LOG_TIMEOUT)  # B holds the item
                os.killpg(paused.pid, signal.SIGCONT)
                paused.wait_for(task_done("scan_item"))  # A's desk did not answer
                sonarr.state.release_stalls()
                other.wait_for(task_done("scan_item"))
                _ended(run)  # its apply taken by either worker
        finally:
            os.killpg(paused.pid, signal.SIGCONT)
            answered.append(answer_again(str(fifo)))  # A's desk answers again
        try:
            line = paused.wait_for(r"stepped aside")
            assert f"item {item}" in line and "fails nothing" in line
            paused.wait_for("lease ran out and another took the item")  # its late store
        finally:
            os.close(answered[0])
        assert paused.count(r"stepped aside") == 1
        assert paused.count(r"scan_item\[[^\]]+\] raised") == 0
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (1, 0)  # stored once, by B
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()
    assert arr_tags(sonarr)[first["title"]] == tv_library.expected[first["title"]]


def test_a_paused_worker_that_gives_up_on_an_item_another_took_over_ends_superseded(
    sonarr: FakeArr, tv_library: Library, tmp_path: Path
) -> None:
    """Issue 92: Flower showed an item's task FAILURE although the item was scanned.
    Worker A holds the item, its store waiting on a desk that does not answer (as after
    a pause: tests/desk_hang.py); its lease runs out (its end moved past). A's task meets
    the desk's bound: its fence says the item is still its own (nobody took it yet), so
    it rides the outage out and asks the desk to let go of the item; A is paused
    (SIGSTOP) there. Beat's tick sends the item again, worker B scans it and the run
    ends. Continued, A's retry budget is spent: it gave up, failing nothing (the item was
    no longer pending) yet raising ItemFailed, a FAILURE in Flower. Its give-up is
    fenced now: the item is another task's, the task steps aside and ends SUCCESS,
    saying so; no task of the item is a FAILURE."""
    instance = arr_source_instance(sonarr)
    first = tv_library.arr_items[0]
    run = runs.create_run(instance, RunRequest(ScanRun.Trigger.API, scope=(first["id"],)))
    fifo, gate = tmp_path / "desk-answers", tmp_path / "release-gate"
    os.mkfifo(fifo)
    os.mkfifo(gate)
    bounds = {"TAGGARR_SCAN_STALL_SECONDS": "10", "TAGGARR_ARR_RETRY_SECONDS": "8"}
    hung = {
        **bounds,
        "TAGGARR_TEST_DESK_HANG": str(fifo),
        "TAGGARR_TEST_DESK_RELEASE_GATE": str(gate),
    }
    answered: list[int] = []
    with flower() as view:
        with celery_worker(extra_env=hung, include=("tests.desk_hang",)) as paused:
            tasks.send((Plan(run.pk),))
            paused.wait_for(r"desk hang: store blocked")  # read; its store waits on the desk
            (item,) = _leases_run_out(run)  # nobody takes it: no other worker runs yet
            # The desk's bound met (10 s), the fence read (still A's), the release asked:
            # it waits on the desk, and the give-up follows it (the budget, 8 s, is spent).
            # The release waits at the gate until the test opens it: however slow this
            # process is to pause A, A does not go on before B has ended the run.
            paused.wait_for(rf"desk hang: release asked for item {item}\b")
            os.killpg(paused.pid, signal.SIGSTOP)
            try:
                tasks.start_due_scans()  # beat's tick: the item sent again
                with celery_worker(extra_env=bounds) as other:
                    other.wait_for(run_finished(run.pk))  # B scanned it: the run ended
            finally:
                os.killpg(paused.pid, signal.SIGCONT)
                answered.append(answer_again(str(gate)))  # A's release goes on
            try:
                done = paused.wait_for(task_done("scan_item"))
            finally:
                answered.append(answer_again(str(fifo)))  # A's desk answers again
            for each in answered:
                os.close(each)
            assert paused.count(r"scan_item\[[^\]]+\] raised") == 0, done
            assert "succeeded" in done and ": 'superseded: " in done
            line = paused.wait_for(r"stepped aside")
            assert f"item {item}" in line and "fails nothing" in line
        shown = view.until(
            lambda seen: (
                len(seen.get(item, ())) == 2
                and all(each["state"] in ("SUCCESS", "FAILURE") for each in seen[item])
            ),
            "both tasks of the item ended",
        )
    states = [each["state"] for each in shown[item]]
    assert states == ["SUCCESS", "SUCCESS"], shown[item]  # A's first, then B's
    assert shown[item][0]["result"].startswith("'superseded: ")
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert (run.items_done, run.items_failed) == (1, 0)  # scanned once, by B
    assert not Event.objects.filter(kind=Event.Kind.ITEM_FAILED).exists()
    assert arr_tags(sonarr)[first["title"]] == tv_library.expected[first["title"]]


def _ended(run: ScanRun) -> None:
    """Until the run has ended (a row's state read again, bounded by LOG_TIMEOUT)."""
    deadline = time.monotonic() + LOG_TIMEOUT
    while ScanRun.objects.filter(pk=run.pk, status__in=ScanRun.ACTIVE).exists():
        assert time.monotonic() < deadline, "the run never ended"
        time.sleep(0.2)  # polling a row for a state, not waiting for time


# --- Flower --------------------------------------------------------------------------


class Flower:
    def __init__(self, url: str) -> None:
        self.url = url

    def get(self, path: str) -> Any:
        user, password = FLOWER_AUTH.split(":")
        answer = requests.get(self.url + path, auth=(user, password), timeout=30)
        answer.raise_for_status()
        return answer.json()

    def item_tasks(self) -> dict[int, list[dict[str, Any]]]:
        """Each item's scan_item tasks as Flower shows them, oldest first."""
        shown = self.get("/api/tasks?taskname=scanner.tasks.scan_item")
        by_item: dict[int, list[dict[str, Any]]] = {}
        for task in shown.values():
            args = task.get("args") or ""
            if not args.startswith("("):
                continue
            item_id = int(args.strip("()").split(",")[1])
            by_item.setdefault(item_id, []).append(task)
        for each in by_item.values():
            each.sort(key=lambda task: task.get("received") or task.get("timestamp") or 0)
        return by_item

    def until(self, settled: Any, what: str) -> dict[int, list[dict[str, Any]]]:
        """Flower's view once ``settled(view)`` holds: its events arrive after the work
        (bounded by LOG_TIMEOUT, never waited out when they are there)."""
        deadline = time.monotonic() + LOG_TIMEOUT
        while True:
            view = self.item_tasks()
            if settled(view):
                return view
            if time.monotonic() > deadline:
                raise AssertionError(f"Flower never showed {what}: {view}")
            time.sleep(0.2)  # polling Flower's API for a state, not waiting for time


@contextmanager
def flower() -> Iterator[Flower]:
    """``celery -A taggarr flower``, as the compose file's flower service runs it."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": live_database_url(), "TAGGARR_LOG_LEVEL": "info"}
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "taggarr", "flower",
        f"--port={port}", "--address=127.0.0.1", f"--basic-auth={FLOWER_AUTH}",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    watched = WorkerProcess(process)
    try:
        watched.wait_for("Visit me at")
        yield Flower(f"http://127.0.0.1:{port}")
    finally:
        watched.stop(signal.SIGTERM)


def _latest_states(view: dict[int, list[dict[str, Any]]]) -> dict[int, str]:
    return {item_id: each[-1]["state"] for item_id, each in view.items()}


def test_flower_shows_each_items_task_in_its_items_state(
    sonarr_instance: Instance, sonarr: FakeArr, tv_library: Library
) -> None:
    """A scanned item's task SUCCESS, the failed item's FAILURE with its reason."""
    run = runs.create_run(sonarr_instance, RunRequest(ScanRun.Trigger.API))
    planned = plan_run(run.pk)
    shutil.rmtree(tv_library.folder("Anime Wrong"))  # gone since the plan listed it
    items = dict(ScanItem.objects.filter(run=run).values_list("media__title", "pk"))
    with flower() as view, celery_worker(concurrency=2) as worker:
        tasks.send(planned)
        worker.wait_for(run_finished(run.pk))
        shown = view.until(
            lambda seen: (
                set(seen) == set(items.values())
                and all(each[-1]["state"] in ("SUCCESS", "FAILURE") for each in seen.values())
            ),
            "a final state for every item",
        )
    failed = items.pop("Anime Wrong")
    assert _latest_states(shown) == {
        **{item_id: "SUCCESS" for item_id in items.values()},
        failed: "FAILURE",
    }
    assert "folder not found" in shown[failed][-1]["exception"]
    for title, item_id in items.items():
        assert shown[item_id][-1]["result"] == repr(f"scanned: {title}")


def test_flower_shows_the_latest_task_of_each_item_after_a_worker_was_killed(
    sonarr: FakeArr, tv_library: Library
) -> None:
    """kill -9 of a worker holding items: its tasks stay STARTED in Flower (it died with
    them), but each item's latest task, sent again by beat's tick, ends SUCCESS."""
    instance = arr_source_instance(sonarr)
    sonarr.state.stall_episode_files({item["id"] for item in tv_library.arr_items})
    debug = {"TAGGARR_LOG_LEVEL": "debug"}
    with flower() as view:
        with celery_worker(concurrency=2, extra_env=debug) as killed:
            run = _start(instance)
            assert sonarr.state.wait_stalled(2, LOG_TIMEOUT)  # both threads hold an item
            items = set(ScanItem.objects.filter(run=run).values_list("pk", flat=True))
            os.killpg(killed.pid, signal.SIGKILL)
            killed.stop()
        held = _leases_run_out(run)
        sonarr.state.release_stalls()
        queued = tasks.queued_messages()
        with celery_worker(concurrency=2) as other:
            if queued:  # the tasks the killed worker left queued run first
                other.wait_for(r"scan_item\[[^\]]+\] (succeeded|raised)", count=queued)
            ScanRun.objects.filter(pk=run.pk).update(
                heartbeat_at=timezone.now() - timedelta(days=1)
            )
            tasks.start_due_scans()  # beat's tick: the held items and any lost message
            other.wait_for(run_finished(run.pk))
            shown = view.until(
                lambda seen: (
                    set(seen) == items
                    and all(each[-1]["state"] == "SUCCESS" for each in seen.values())
                ),
                "SUCCESS as every item's latest task",
            )
    run.refresh_from_db()
    assert run.status == ScanRun.Status.SUCCEEDED, run.error
    assert set(_latest_states(shown).values()) == {"SUCCESS"}
    # The items the killed worker held had a task before: it stays as it died.
    for item_id in held:
        assert [task["state"] for task in shown[item_id][:-1]] == ["STARTED"]
    assert arr_tags(sonarr) == tv_library.expected
