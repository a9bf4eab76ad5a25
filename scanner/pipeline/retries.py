"""What is retried, and for how long: one definition of the retry budgets, used by the
Celery tasks (``self.retry``, so a retry is a RETRY in Flower) and by the code that
must wait in its own process (tenacity: the inline runner, the media-server writes).

A budget is a deadline: an error is retried while less than its budget has passed since
the first try that met it began (request timeouts included), and never waits past it. An
item's *arr budget begins at its first request to the *arr, not at its claim; a run
whose *arr stays silent ends sooner, at its own deadline
(scanner.pipeline.state.unreachable). The waits between tries grow as tenacity's
``wait_exponential_jitter``: doubling from FIRST_WAIT (a budget under two minutes starts
at a 60th of itself), each at most LONGEST_WAIT, with up to a tenth of random jitter so
that many callers spread out. The *arr steps ride out an *arr that restarts (Sonarr
answers 503 for tens of seconds) and a database that restarts, for
TAGGARR_ARR_RETRY_SECONDS; an item whose folder could not be read (a NAS that hiccuped)
gets TAGGARR_STORAGE_RETRY_SECONDS.
The clients send each request once: this is the only retry.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from tenacity import RetryCallState, Retrying, retry_if_exception

from scanner.errors import ArrTransientError, StorageError, describe
from scanner.pipeline.work import ScanItems, Work

FIRST_WAIT = 2.0
LONGEST_WAIT = 60.0
JITTER = 0.1  # a wait is made up to this fraction longer

T = TypeVar("T")

# The database restarting or unreachable: every step rides it out as the *arr's outage.
# These classes always are; ``database_down`` is the whole test (it also knows the
# errors Django raises as another class for a database that is read-only or recovering).
DATABASE_DOWN = (OperationalError, InterfaceError)
# PostgreSQL's SQLSTATEs of a database that cannot take writes right now, whatever class
# Django gives them: a read-only transaction (a failover's new primary still read-only,
# a managed database that turned read-only on a full disk), an administrator's or a
# crash's shutdown, a server still starting or recovering, a serialization failure or
# deadlock (the transaction may succeed when tried again), a connection lost.
OUTAGE_SQLSTATES = frozenset(
    {"25006", "57P01", "57P02", "57P03", "40001", "40P01", "08000", "08003", "08006"}
)

# An item's own errors that the policy retries (the rest fail the item at once): a
# folder that could not be read, an *arr that did not answer for the item's files.
ITEM_RETRIED = (StorageError, ArrTransientError)


def database_down(error: BaseException) -> bool:
    """The database is down, read-only or recovering (an outage to ride out), rather
    than refusing this statement for what it is. Django wraps psycopg's error (its
    ``__cause__``, whose ``sqlstate`` tells)."""
    if isinstance(error, DATABASE_DOWN):
        return True
    if not isinstance(error, DatabaseError):
        return False
    return getattr(error.__cause__, "sqlstate", None) in OUTAGE_SQLSTATES


@dataclass(frozen=True, slots=True)
class Budget:
    errors: tuple[type[BaseException], ...]
    seconds: float
    database: bool = False  # the database being down (``database_down``) too

    def covers(self, error: BaseException) -> bool:
        return isinstance(error, self.errors) or (self.database and database_down(error))

    def wait(self, retries_done: int) -> float:
        """The wait before retry number ``retries_done + 1``: doubling, as tenacity's
        ``wait_exponential_jitter``, then the jitter."""
        first = min(FIRST_WAIT, self.seconds / 60)
        base = min(first * 2.0 ** min(retries_done, 64), LONGEST_WAIT)
        return base * random.uniform(1.0, 1.0 + JITTER)  # noqa: S311 - spreading, no secret

    def next_wait(self, retries_done: int, elapsed: float) -> float | None:
        """Seconds before the next try, ``elapsed`` seconds after the first try began;
        None once the budget is spent. The last wait ends at the deadline, not past it."""
        left = self.seconds - elapsed
        if left <= 0:
            return None
        return min(self.wait(retries_done), left)


def longest_wait(*budget_seconds: float) -> int:
    """The longest wait between two tries under these budgets, in whole seconds: a wait
    is at most LONGEST_WAIT and its jitter, and never past its budget's deadline."""
    return math.ceil(min(LONGEST_WAIT * (1 + JITTER), max(budget_seconds, default=0.0)))


def budgets(work: Work) -> tuple[Budget, ...]:
    """What ``work`` retries, and for how long; the first that matches applies."""
    arr = Budget((ArrTransientError,), float(settings.ARR_RETRY_SECONDS), database=True)
    if isinstance(work, ScanItems):
        return (Budget((StorageError,), float(settings.STORAGE_RETRY_SECONDS)), arr)
    return (arr,)


def budget_for(work: Work, error: BaseException) -> Budget | None:
    """The budget ``error`` of ``work`` is retried under; None: it is not retried."""
    return next((b for b in budgets(work) if b.covers(error)), None)


def item_budget(error: BaseException) -> Budget | None:
    return budget_for(ScanItems(0, ()), error)


def spent_note(error: BaseException, budget: Budget) -> str:
    """An error's reason once its budget is spent (an error given no retries at all
    is told as it is)."""
    if budget.seconds <= 0:
        return describe(error)
    return f"{describe(error)} (still so after {budget.seconds:.0f} s of retries)"


def retrying(
    pick: Callable[[BaseException], Budget | None],
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    before_sleep: Callable[[BaseException, float], None] | None = None,
) -> Retrying:
    """tenacity, for code that waits in its own process (one call: the first try starts
    now): retries the errors ``pick`` gives a budget, each until its deadline; then the
    error is raised. ``sleep`` and ``clock`` are the tests' to replace."""
    started = clock()
    worked_out: dict[int, float | None] = {}  # attempt number: the wait after it

    def next_wait(state: RetryCallState) -> float | None:
        # tenacity asks ``wait`` and ``stop`` after each failed try (in an order that
        # changed between releases): the wait is worked out once per try.
        if state.attempt_number not in worked_out:
            budget = pick(error_of(state))
            elapsed = clock() - started
            worked_out[state.attempt_number] = (
                None if budget is None else budget.next_wait(state.attempt_number - 1, elapsed)
            )
        return worked_out[state.attempt_number]

    def error_of(state: RetryCallState) -> BaseException:
        # Called only after a failed try (tenacity's retry predicate let it through).
        error = state.outcome.exception() if state.outcome is not None else None
        if error is None:
            raise RuntimeError(f"try {state.attempt_number} did not fail: no error to judge")
        return error

    def stop(state: RetryCallState) -> bool:
        return next_wait(state) is None

    def wait(state: RetryCallState) -> float:
        return next_wait(state) or 0.0

    def tell(state: RetryCallState) -> None:
        if before_sleep is not None and state.next_action is not None:
            before_sleep(error_of(state), state.next_action.sleep)

    return Retrying(
        retry=retry_if_exception(lambda error: pick(error) is not None),
        stop=stop,
        wait=wait,
        sleep=sleep,
        before_sleep=tell,
        reraise=True,
    )


def call_retried(
    call: Callable[[], T],
    pick: Callable[[BaseException], Budget | None],
    **options: Any,
) -> T:
    """``call()`` under ``retrying``."""
    return retrying(pick, **options)(call)
