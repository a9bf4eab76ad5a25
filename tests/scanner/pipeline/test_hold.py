"""A step's waits on the file system end by its hold limit (scanner.runtime.hold): a call
that never returns (an Event never set stands for a share that stopped answering) ends
the wait with ShareUnanswered, the thread left blocked is a daemon thread that never
holds the process's exit, and the threads go on serving once the share answers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scanner.errors import CAUSE_SHARE_UNANSWERED, ShareUnanswered, cause_of
from scanner.pipeline.scanning.io_pool import map_on_io_threads
from scanner.runtime import hold, running
from scanner.runtime.hold import (
    DaemonThreads,
    call_within_hold,
    holding,
    map_within_hold,
    seconds_left,
    within_hold,
)
from scanner.runtime.running import Kind

BOUND = 60.0  # a test that would hang fails here instead


@pytest.fixture
def answers():
    """The share: blocked until set (set at the end so that no thread stays blocked)."""
    share = threading.Event()
    yield share
    share.set()


def test_a_call_that_never_returns_ends_the_wait_at_the_hold_limit(settings, answers) -> None:
    settings.HOLD_SECONDS = 1  # read at call time
    with pytest.raises(ShareUnanswered) as raised:
        call_within_hold(lambda: answers.wait(BOUND), "/mnt/nas/tv/Show")
    assert str(raised.value) == "/mnt/nas/tv/Show: no answer from the file system within 1 s"
    assert cause_of(raised.value) == CAUSE_SHARE_UNANSWERED
    assert isinstance(raised.value, ShareUnanswered)


def test_the_deadline_is_the_steps_not_each_calls(settings, answers) -> None:
    """Past the step's deadline, the next call is not even started."""
    settings.HOLD_SECONDS = 1
    started = threading.Event()
    with holding():
        with pytest.raises(ShareUnanswered):
            call_within_hold(lambda: answers.wait(BOUND), "/mnt/nas/a")
        assert seconds_left() == 0
        with pytest.raises(ShareUnanswered, match="/mnt/nas/b"):
            call_within_hold(started.set, "/mnt/nas/b")
    assert not started.is_set()
    assert seconds_left() == 1  # outside a step: the whole limit


def test_each_answer_moves_the_deadline_on_a_long_step_is_not_cut(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hold limit bounds a step's silence, not its length: a plan listing 29,000
    folders on a NAS runs longer than the limit, each listing answering. Every answer is
    progress: the step's deadline and its registry entry (what the watchdog reads) count
    from it. (A clock of the test's own: no waiting.)"""
    settings.HOLD_SECONDS = 10
    clock = [1000.0]
    monkeypatch.setattr(hold.time, "monotonic", lambda: clock[0])
    with running.step(Kind.PLAN, run_id=7) as entry, holding():
        clock[0] += 8
        assert seconds_left() == 2
        assert call_within_hold(lambda: "listed", "/mnt/nas/a") == "listed"
        assert seconds_left() == 10  # from the answer
        assert entry.held_for() == 0
        clock[0] += 8  # 16 s into the step, 8 since its last answer
        assert not entry.overdue()
        clock[0] += 5  # 13 s silent: past the limit and the watchdog's margin
        assert entry.overdue()  # hung


def test_a_nested_step_keeps_the_outer_deadline(settings) -> None:
    settings.HOLD_SECONDS = 100
    with holding():
        settings.HOLD_SECONDS = 1000
        with holding():
            assert seconds_left() <= 100


def test_the_io_threads_stop_waiting_in_order_and_say_which(settings, answers) -> None:
    settings.HOLD_SECONDS = 1

    def read(path: str) -> str:
        if path.endswith("hung"):
            answers.wait(BOUND)
        return path

    with pytest.raises(ShareUnanswered, match="/mnt/nas/hung"):
        map_on_io_threads(read, ["/mnt/nas/a", "/mnt/nas/hung", "/mnt/nas/c"])
    answers.set()
    assert map_on_io_threads(read, ["/mnt/nas/a", "/mnt/nas/hung"]) == [
        "/mnt/nas/a",
        "/mnt/nas/hung",
    ]


def test_a_blocked_thread_counts_against_the_pool_until_it_returns(settings, answers) -> None:
    settings.HOLD_SECONDS = 1
    pool = DaemonThreads(1, "test-one")
    blocked = pool.submit(answers.wait, BOUND)
    queued = pool.submit(lambda: "answered")
    with pytest.raises(ShareUnanswered):
        within_hold(queued, "/mnt/nas/x")
    assert queued.cancelled()  # never started: nothing left behind
    answers.set()
    assert blocked.result(BOUND) is True
    assert within_hold(pool.submit(lambda: "again"), "/mnt/nas/x") == "again"
    pool.shutdown()


def test_errors_and_results_come_back_as_from_any_executor() -> None:
    pool = DaemonThreads(3, "test-three")
    assert map_within_hold(pool, lambda n: n * 2, [1, 2, 3], str) == [2, 4, 6]
    with pytest.raises(ZeroDivisionError):
        within_hold(pool.submit(lambda: 1 // 0), "/x")
    pool.shutdown()
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)


def test_a_thread_blocked_for_ever_never_holds_the_process_exit(tmp_path: Path) -> None:
    """ThreadPoolExecutor joins its threads at exit: a worker with a thread blocked on a
    dead share would never exit. A FIFO nobody writes blocks its reader for real."""
    fifo = tmp_path / "never"
    os.mkfifo(fifo)
    script = (
        "import django, os; django.setup(); "
        "from scanner.runtime.hold import DaemonThreads; "
        f"f = DaemonThreads(1, 'x').submit(open, {str(fifo)!r}); "
        "print('blocked', flush=True)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taggarr.settings"}
    env["TAGGARR_DATA_DIR"] = str(tmp_path)
    ended = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=BOUND
    )
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout == "blocked\n"
