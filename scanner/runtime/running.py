"""The steps running in this process, in one registry, and the bounds every step keeps.

Every task that takes work (a run's plan, an item, the apply step, an artwork chunk, a
search for missing dubs, the lost-dub actions, a notification, the schedule's tick)
runs inside ``step(...)``: it is registered when it starts, with its kind, its run and
item where it has them, its start and its hold limit, and let go when it ends, however
it ends. The worker's watchdog and its health command (scanner.worker.health) read this
one registry: a step of any kind still running past its hold limit is a problem, named
by its kind and its run or item, whatever code it runs.

The bounds, each defined once:

* the stall window (TAGGARR_SCAN_STALL_SECONDS, taggarr/settings.py): a lease's
  length, and the silence after which a run's work is sent again;
* the heartbeat interval (``beat_interval``): a sixth of the window, so that a beat or
  two may be late without a live step looking dead;
* the hold limit (``hold_limit``, TAGGARR_HOLD_SECONDS): the longest one step may go
  without progress in a worker (a read or a write that hangs on a share that stopped
  answering). Progress (``progressed``) is a bounded call on the share that came back
  (scanner.runtime.hold) or a chunk of the apply step written: a plan listing 29,000
  folders or an apply writing 150,000 NFOs takes longer than the limit and is not hung;
  one call that does not come back is.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings


def beat_interval() -> float:
    """Seconds between two heartbeats of a step (the desk's for its items, the plan's
    and the apply's own): a sixth of the stall window, at least a second."""
    return max(1.0, settings.SCAN_STALL_SECONDS / 6)


def hold_limit() -> float:
    """Seconds one step may run in a worker before it is taken for hung."""
    return float(settings.HOLD_SECONDS)


class Kind(StrEnum):
    """What a step does (the words of the log and the health answer)."""

    PLAN = "plan"
    ITEM = "item"
    APPLY = "apply"
    ARTWORK = "artwork chunk"
    RUN_ARTWORK = "run's artwork"
    PERSON_TRACKS = "person's tracks"
    PERSON_COUNTS = "person's counts"
    SEARCH = "missing-dub search"
    LOST_DUBS = "lost-dub actions"
    NOTIFY = "notification"
    SCHEDULE = "schedule tick"
    SEERR = "Seerr answers"
    DEFAULT_TRACKS = "default tracks"
    RUN_DEFAULT_TRACKS = "run's default tracks"
    WISH_PROFILES = "quality profile"
    RUN_WISH_PROFILES = "run's quality profiles"
    BADGES = "badges"
    RUN_BADGES = "run's badges"


@dataclass(slots=True)
class Step:
    kind: Kind
    run_id: int | None
    item_id: int | None
    hold: float  # seconds it may go without progress
    started: float = field(default_factory=time.monotonic)
    key: int = 0  # its place in the registry
    progressed_at: float | None = None  # its last progress (None: none since it started)
    token: int | None = None  # an item step's fencing token, once it holds its item

    def held_for(self, now: float | None = None) -> float:
        """Seconds since it started or last made progress."""
        since = self.started if self.progressed_at is None else self.progressed_at
        return (time.monotonic() if now is None else now) - since

    def overdue(self, now: float | None = None) -> bool:
        """Past its hold limit and a quarter more: the step ends its own waits at the
        limit (scanner.runtime.hold) and has that long to say so; the watchdog is the
        backstop for what it cannot end (a call not run that way)."""
        return self.held_for(now) > self.hold * BACKSTOP

    def where(self) -> str:
        """``item 12 of scan #3``, ``scan #3``, or nothing (a step of no run)."""
        if self.item_id is not None and self.run_id is not None:
            return f"item {self.item_id} of scan #{self.run_id}"
        if self.item_id is not None:
            return f"item {self.item_id}"
        return f"scan #{self.run_id}" if self.run_id is not None else ""

    def describe(self, now: float | None = None) -> str:
        """One clause for the log and the health answer."""
        where = f" ({self.where()})" if self.where() else ""
        return (
            f"{self.kind} step{where} has made no progress for {self.held_for(now):.0f} s, "
            f"past TAGGARR_HOLD_SECONDS ({self.hold:.0f} s)"
        )


# The watchdog acts on a step silent for this many hold limits: past the step's own
# deadline, so that the two never race for the same hang.
BACKSTOP = 1.25

_steps: dict[int, Step] = {}
_lock = threading.Lock()
_keys = itertools.count(1)
_current: ContextVar[Step | None] = ContextVar("taggarr_running_step", default=None)


@contextmanager
def step(
    kind: Kind, *, run_id: int | None = None, item_id: int | None = None, hold: float | None = None
) -> Iterator[Step]:
    """The block is a step of ``kind`` running in this process (registered until it
    ends); ``hold``: its hold limit, the setting's by default."""
    key = next(_keys)
    entry = Step(kind, run_id, item_id, hold_limit() if hold is None else hold, key=key)
    with _lock:
        _steps[key] = entry
    current = _current.set(entry)
    try:
        yield entry
    finally:
        _current.reset(current)
        with _lock:
            _steps.pop(key, None)


def progressed() -> None:
    """The step running in this thread (or this task's context) made progress: its hold
    limit counts from now. Outside a step, nothing."""
    entry = _current.get()
    if entry is not None:
        entry.progressed_at = time.monotonic()


def fenced(token: int) -> None:
    """The item step running in this context holds its item with ``token`` (the watchdog
    fails the item only while it is still the step's: scanner.pipeline.runtime.overdue).
    Outside a step, nothing."""
    entry = _current.get()
    if entry is not None:
        entry.token = token


def steps() -> list[Step]:
    """The steps running in this process now, the longest-running first."""
    with _lock:
        found = list(_steps.values())
    return sorted(found, key=lambda each: each.started)


def overdue(now: float | None = None) -> list[Step]:
    """The steps running past their hold limit now."""
    moment = time.monotonic() if now is None else now
    return [each for each in steps() if each.overdue(moment)]


def forget(entry: Step) -> None:
    """``entry`` is no longer this process's (the watchdog ended its work: its run or
    item is failed or will be sent again), so it is not acted on twice."""
    with _lock:
        _steps.pop(entry.key, None)
