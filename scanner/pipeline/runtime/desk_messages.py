"""What the item tasks ask the desk (one request type per kind) and what it answers.

A request carries the future its task waits on, typed with the answers its kind may
have (``Request[ClaimAnswer]``, ...): the desk can hand a task only what it expects. The
task waits for a bounded time (``answer_bound``): a desk that does not answer within it
(a database that hangs, a desk that is stuck) ends the task's wait with
``DeskUnanswered``, an outage the item rides out as a database that is down. A request
its task stopped waiting for is ``abandoned``: the desk hands back what it would have
answered (a claim is released at once), and the next work its answer carried is kept
for the process's next item step to hand on (desk_work.Unsent), never dropped without
a word.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.db import OperationalError

from scanner.models import MediaFile, ScanItem
from scanner.pipeline.scanning.decide import ScannedItem
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.state import leases
from scanner.pipeline.work import Next


class DeskUnanswered(OperationalError):
    """The desk did not answer within its bound: the database work behind it hangs, or
    the desk is stuck. An ``OperationalError``, so the item rides it out as an outage."""


def answer_bound() -> float:
    """The longest a task waits for one answer of the desk: a lease's length (past it,
    what the task holds has lapsed anyway)."""
    return float(settings.SCAN_STALL_SECONDS)


# --- answers ---------------------------------------------------------------------------


@dataclass
class Claimed:
    """An item this process holds, with what its read needs."""

    item: ScanItem  # with its media, run and instance
    token: int
    options: ScanOptions
    stored: dict[str, MediaFile]
    claimed_at: datetime

    @property
    def held(self) -> leases.Held:
        return (self.item.pk, self.token)


@dataclass(frozen=True, slots=True)
class NotClaimed:
    why: str  # in words, for the task's result


@dataclass(frozen=True, slots=True)
class Stored:
    next: Next


@dataclass(frozen=True, slots=True)
class StoreFailed:
    reason: str  # the item failed with it (already recorded)
    next: Next


@dataclass(frozen=True, slots=True)
class FailRecorded:
    next: Next


@dataclass(frozen=True, slots=True)
class LeaseLost:
    """The lease ran out and another holder took the item: nothing was written."""


LEASE_LOST = LeaseLost()


@dataclass(frozen=True, slots=True)
class WaitingForRetry:
    """The item waits for its retry, let go of until then."""


@dataclass(frozen=True, slots=True)
class Released:
    """The item is let go of (or was no longer this task's to let go)."""


@dataclass(frozen=True, slots=True)
class Beaten:
    written: bool  # false: the database did not take the beat (the connection is dropped)


@dataclass(frozen=True, slots=True)
class Stopped:
    """The desk's thread ends (its database connection closed)."""


@dataclass(frozen=True, slots=True)
class Woken:
    """Never sent: nobody waits on a wake."""


WAITING_FOR_RETRY = WaitingForRetry()
RELEASED = Released()
STOPPED = Stopped()

ClaimAnswer = Claimed | NotClaimed
StoreAnswer = Stored | StoreFailed | LeaseLost
FailAnswer = FailRecorded | LeaseLost
RetryAnswer = WaitingForRetry | LeaseLost
Answer = ClaimAnswer | StoreAnswer | FailAnswer | RetryAnswer | Released | Beaten | Stopped | Woken
A = TypeVar("A", bound=Answer)


# --- requests --------------------------------------------------------------------------


@dataclass(eq=False)
class Request(Generic[A]):
    """A question of one kind, and the future its task waits on: typed with the answers
    that kind may have, so that the desk can only answer what the task expects."""

    done: Future[A] = field(default_factory=Future, init=False, repr=False)

    def answer(self, value: A) -> bool:
        """Hand the task its answer; false if the task stopped waiting (abandoned)."""
        try:
            self.done.set_result(value)
        except InvalidStateError:
            return False
        return True

    def refuse(self, error: BaseException) -> None:
        """The task meets ``error`` (unless it was answered or stopped waiting)."""
        with contextlib.suppress(InvalidStateError):
            self.done.set_exception(error)

    @property
    def answered(self) -> bool:
        return self.done.done()


@dataclass(eq=False)
class Claim(Request[ClaimAnswer]):
    run_id: int
    item_id: int
    retry: bool = False  # the item's retry: it may take the item before its wait is over
    token: int | None = None  # the token of the task's own earlier claim (its retry)


@dataclass(eq=False)
class Store(Request[StoreAnswer]):
    claimed: Claimed
    scanned: ScannedItem
    requests: int  # the *arr requests the read took


@dataclass(eq=False)
class Fail(Request[FailAnswer]):
    claimed: Claimed
    reason: str
    cause: str = ""  # the reason's code (scanner.errors.cause_of)


@dataclass(eq=False)
class WaitRetry(Request[RetryAnswer]):
    claimed: Claimed
    retry_at: datetime
    why: str


@dataclass(eq=False)
class Release(Request[Released]):
    claimed: Claimed


@dataclass(eq=False)
class Beat(Request[Beaten]):
    pass


@dataclass(eq=False)
class Wake(Request[Woken]):
    """Have a serving ``serve`` check its condition."""


@dataclass(eq=False)
class Stop(Request[Stopped]):
    pass


GATHERED = (Claim, Store)  # requests that go to the database together
