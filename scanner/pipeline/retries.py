"""What is retried, and after how long: one policy for every step, inline and on the
workers, for each item of a batch of items, and for the media-server writes
(server_retries.py). It lives apart so that the apply step's writers can use it without
importing the runner that runs them.

The *arr steps ride out an *arr that restarts (Sonarr answers 503 for tens of
seconds) and a database that restarts, for TAGGARR_ARR_RETRY_SECONDS; an item whose
folder could not be read (a NAS that hiccuped) gets TAGGARR_STORAGE_RETRY_SECONDS.
The clients send each request once: this is the only retry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError

from scanner.errors import ArrTransientError, StorageError
from scanner.pipeline.work import ScanItems, Work

# Waits before each retry: doubling from FIRST_WAIT, each at most LONGEST_WAIT, adding up
# to the budget (the default 120 s: 2, 4, 8, 16, 32, 58). A budget under two minutes
# starts at a 60th of itself, so it is spread over six retries too, whatever its length.
FIRST_WAIT = 2.0
LONGEST_WAIT = 60.0


def backoff_delays(budget: float) -> tuple[float, ...]:
    """Doubling waits that add up to ``budget`` (see FIRST_WAIT)."""
    delays: list[float] = []
    delay = min(FIRST_WAIT, budget / 60)
    while sum(delays) < budget:
        delays.append(min(delay, LONGEST_WAIT, budget - sum(delays)))
        delay *= 2
    return tuple(delays)


def jittered(delay: float) -> float:
    """A wait made up to a tenth longer, so that retries of many callers spread out."""
    return delay * random.uniform(1.0, 1.1)  # noqa: S311


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    # (errors, seconds before each retry), the first that matches applies
    budgets: tuple[tuple[tuple[type[BaseException], ...], tuple[float, ...]], ...]

    @property
    def errors(self) -> tuple[type[BaseException], ...]:
        return tuple(error for errors, _ in self.budgets for error in errors)

    def delays(self, error: BaseException) -> tuple[float, ...]:
        return next(delays for errors, delays in self.budgets if isinstance(error, errors))


def retry_policy(work: Work) -> RetryPolicy:
    """What ``work`` retries, and after how long."""
    arr = ((ArrTransientError, OperationalError), backoff_delays(settings.ARR_RETRY_SECONDS))
    if isinstance(work, ScanItems):
        # A folder that could not be read: a NAS that hiccuped gets another chance; an
        # *arr asked for the item's files rides out its restart as the other steps do.
        storage = backoff_delays(settings.STORAGE_RETRY_SECONDS)
        return RetryPolicy((((StorageError,), storage), arr))
    return RetryPolicy((arr,))


# An item's own errors that the policy retries (the rest fail the item at once): a
# folder that could not be read, an *arr that did not answer for the item's files.
ITEM_RETRIED = (StorageError, ArrTransientError)


def describe(error: BaseException) -> str:
    """An error as a run's or an item's reason: our own errors say what happened; any
    other is named by its type."""
    from scanner.errors import TaggarrError

    if isinstance(error, TaggarrError):
        return str(error)[:2000]
    return f"{type(error).__name__}: {error}"[:2000]


def item_retry_delay(error: BaseException, retries_done: int) -> float | None:
    """Seconds before an item that met ``error`` is tried again, after ``retries_done``
    retries; None when its budget is spent."""
    delays = retry_policy(ScanItems(0, ())).delays(error)
    return delays[retries_done] if retries_done < len(delays) else None


def item_budget(error: BaseException) -> float:
    """The seconds of retries an item's ``error`` is given in all."""
    return sum(retry_policy(ScanItems(0, ())).delays(error))
