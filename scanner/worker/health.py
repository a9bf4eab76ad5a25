"""The worker's own health: a watchdog thread, a Celery inspect command, and what the
health check that docker runs asks (``manage.py worker_health``).

Celery's time limits and ``worker_max_memory_per_child`` need a prefork child; the
worker runs on the threads pool (the desk's group commit needs the item tasks of a
process side by side in it), so this watchdog does their work. Every few seconds it
looks at the process:

* any step that has run longer than its hold limit (TAGGARR_HOLD_SECONDS): a plan, an
  item, an apply, an artwork chunk, a search... whatever its kind, as the one registry
  of the steps running here says (scanner.runtime.running): a read or a write
  that hangs on a dead share, a thread that never comes back,
* the item desk's loop not turned for a lease's length plus a beat (stuck on a database
  that hangs; a desk thread that is gone is replaced),
* the process's memory (resident set) past TAGGARR_WORKER_MAX_MEMORY_MB.

A healthy turn marks the worker alive (scanner.worker.alive): what a decision made on
a page asks before it says how its tags will be written.

On any of them it says so in one critical log line (naming each step's kind and its run
or item), ends the work of the steps past their limit (scanner.pipeline.runtime.overdue:
an item is failed with that reason the first time, so that it never loops; a run's plan
or apply is sent again once, failed the second time), and the worker stops taking tasks
and shuts down warm (SIGTERM to itself: Celery's own warm shutdown, the tasks in hand
finish); a hung thread never finishes, so past the hold limit again the process exits
at once. ``restart:`` (docker compose) or the service manager brings the worker back;
a hung item's lease lapses and the stalled-work recovery sends it again.

It also says whether the worker can listen (``cannot_listen``: the code of why not, as
scanner.models.choices.Unheard words it; "" when it can): not a problem, a restart would
not help, but what differs from worker to worker (one without the listening extra, one
offline for the model's first download).

``celery -A taggarr inspect taggarr_health`` answers the same findings, and
``manage.py worker_health`` (the compose healthcheck) fails when the worker does not
answer it or answers a problem: ``celery inspect ping`` alone answers while the item
machinery is dead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from celery.worker.control import inspect_command
from django.conf import settings
from django.db import connection

from scanner.pipeline.runtime.desk_messages import answer_bound
from scanner.pipeline.runtime.item_desk import current_desk, desk
from scanner.pipeline.runtime.overdue import end_overdue
from scanner.pipeline.scanning.listening import cannot_listen
from scanner.pipeline.work import Next
from scanner.runtime import running
from scanner.runtime.running import Kind, beat_interval, hold_limit
from scanner.worker import alive

logger = logging.getLogger(__name__)

COMMAND = "taggarr_health"


@dataclass(frozen=True, slots=True)
class Health:
    problems: tuple[str, ...]
    memory_mb: float
    item_tasks: int
    desk_idle_s: float | None  # None: no desk yet (nothing scanned in this process)
    cannot_listen: str = ""  # why this worker cannot listen (a code); "" when it can
    steps: int = 0  # steps of any kind running now (items included)
    # The steps past their hold limit: kind, run, item, seconds held (the log names them)
    overdue: tuple[dict[str, Any], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def memory_mb() -> float:
    """The process's resident set now, in MB (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak_kb / 1024 if sys.platform != "darwin" else peak_kb / 2**20


def stuck_after() -> float:
    """Seconds without a turn of the desk's loop that mean it is stuck: it turns at
    least every beat, and past a lease what it holds has lapsed anyway."""
    return answer_bound() + beat_interval()


def health() -> Health:
    problems: list[str] = []
    memory = memory_mb()
    if memory > settings.WORKER_MAX_MEMORY_MB:
        problems.append(
            f"memory {memory:.0f} MB is past TAGGARR_WORKER_MAX_MEMORY_MB "
            f"({settings.WORKER_MAX_MEMORY_MB} MB)"
        )
    listening = cannot_listen()
    now = time.monotonic()
    steps = running.steps()
    late = [each for each in steps if each.overdue(now)]
    problems.extend(each.describe(now) for each in late)
    items = sum(each.kind == Kind.ITEM for each in steps)
    overdue = tuple(
        {
            "kind": str(each.kind),
            "run": each.run_id,
            "item": each.item_id,
            "held_s": round(each.held_for(now)),
        }
        for each in late
    )
    found: dict[str, Any] = {"cannot_listen": listening, "steps": len(steps), "overdue": overdue}
    current = current_desk()
    if current is None:
        return Health(tuple(problems), memory, items, None, **found)
    if not current.alive:
        desk()  # replaced, saying so; the problem was the old one's
        current = current_desk() or current
    state = current.health()
    if not state.alive:
        problems.append("the item desk's thread is gone")
    elif state.idle_for > stuck_after():
        problems.append(f"the item desk's loop has not turned for {state.idle_for:.0f} s")
    return Health(tuple(problems), memory, items, state.idle_for, **found)


@inspect_command(name=COMMAND)
def taggarr_health(state: Any) -> dict[str, Any]:
    """``celery inspect taggarr_health``: the watchdog's findings now."""
    found = health()
    return {"ok": found.ok, **asdict(found)}


class Watchdog:
    """``send``: how the work that follows an ended step goes out (scanner.tasks.send:
    the worker package never imports the tasks, which import it)."""

    def __init__(self, send: Callable[[Next], None]) -> None:
        self._send = send
        self._thread = threading.Thread(target=self._watch, name="taggarr-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @staticmethod
    def every() -> float:
        return max(0.5, min(10.0, hold_limit() / 4))

    def _watch(self) -> None:
        alive.mark()  # a worker is running (scanner.worker.alive), from its start
        while True:
            time.sleep(self.every())
            try:
                found = health()
            except Exception:
                logger.exception("worker watchdog: the health check failed")
                continue
            if found.ok:
                alive.mark()
            else:
                self._end_overdue()
                self._restart(found)
                return

    def _end_overdue(self) -> None:
        """The work of the steps past their hold limit ended before the restart: a poison
        item failed now, not sent again after it (scanner.pipeline.runtime.overdue)."""
        for each in running.overdue():
            try:
                self._send(end_overdue(each))
            except Exception:  # the database down too: it is sent again, as before
                logger.exception("worker watchdog: %s not recorded", each.describe())
            running.forget(each)
        with contextlib.suppress(Exception):
            connection.close()  # this thread's own

    @staticmethod
    def _restart(found: Health) -> None:
        grace = hold_limit()
        logger.critical(
            "worker watchdog: %s; this worker stops taking tasks and shuts down (warm: the "
            "tasks in hand finish, at most %.0f s) to be restarted",
            "; ".join(found.problems),
            grace,
        )
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        logger.critical(
            "worker watchdog: the worker did not stop within %.0f s (a task hangs): "
            "exiting now; the items it held are sent again once their leases lapse",
            grace,
        )
        logging.shutdown()
        os._exit(1)


def ask(destination: str, timeout: float = 10.0) -> dict[str, Any] | None:
    """The worker ``destination``'s answer to the health command; None: no answer."""
    from celery import current_app

    replies = current_app.control.broadcast(
        COMMAND, destination=[destination], reply=True, timeout=timeout
    )
    for reply in replies or ():
        if destination in reply:
            return dict(reply[destination])
    return None
