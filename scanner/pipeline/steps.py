"""One step of the pipeline, run under the one retry and give-up policy.

Celery tasks (scanner.tasks) and the inline runner (scanner.pipeline.inline) both
call ``attempt``: it runs the step once and returns its next work, or a
``RetryLater`` when a named transient error may be retried once more. Expected
failures (every TaggarrError, and transient ones whose budget is spent) give up
here: a plan or apply step fails its run, an item step fails its item and the run
goes on (but a refused API key fails the run: every item would fail alike). Anything
else propagates; the caller gives up with ``give_up`` after logging the traceback.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.utils import timezone

from scanner.errors import ArrAuthError, ArrTransientError, StorageError, TaggarrError
from scanner.pipeline import runs
from scanner.pipeline.apply import apply_run
from scanner.pipeline.heartbeat import beating
from scanner.pipeline.item import record_item_failure, scan_run_item
from scanner.pipeline.plan import plan_run
from scanner.pipeline.webhook_requests import start_requested_scan
from scanner.pipeline.work import (
    NOTHING,
    Apply,
    Next,
    Plan,
    RunEnded,
    ScanItems,
    StartRequested,
    Work,
)

logger = logging.getLogger(__name__)


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
    """What is retried, and after how long. The *arr steps ride out an *arr that restarts
    (Sonarr answers 503 for tens of seconds) and a database that restarts."""
    arr = ((ArrTransientError, OperationalError), backoff_delays(settings.ARR_RETRY_SECONDS))
    if isinstance(work, ScanItems):
        # A folder that could not be read: a NAS that hiccuped gets another chance; an
        # *arr asked for the item's files rides out its restart as the other steps do.
        storage = backoff_delays(settings.STORAGE_RETRY_SECONDS)
        return RetryPolicy((((StorageError,), storage), arr))
    return RetryPolicy((arr,))


@dataclass(frozen=True, slots=True)
class RetryLater:
    delay: float
    error: BaseException


def attempt(work: Work, retries_done: int) -> Next | RetryLater:
    """Run ``work`` once. Unexpected errors propagate (the caller logs and gives up)."""
    policy = retry_policy(work)
    try:
        if isinstance(work, StartRequested | RunEnded):
            return perform(work)
        with beating(work.run_id):
            return perform(work)
    except policy.errors as exc:
        delays = policy.delays(exc)
        if retries_done < len(delays):
            delay = delays[retries_done] * random.uniform(1.0, 1.1)  # noqa: S311
            _waiting(work, exc, delay)
            return RetryLater(delay, exc)
        return give_up(work, exc, retried_for=sum(delays))
    except TaggarrError as exc:
        return give_up(work, exc)


def _waiting(work: Work, error: BaseException, delay: float) -> None:
    """A heartbeat for the run whose step waits to retry: it is waiting, not lost (the
    longest wait, LONGEST_WAIT, is shorter than the stall window), and its page says why
    and until when. A database that is down too is the retry's business, not this beat's."""
    if isinstance(work, Plan | ScanItems | Apply):
        try:
            next_try = timezone.now() + timedelta(seconds=delay)
            runs.waiting_to_retry(work.run_id, describe(error), next_try)
        except DatabaseError as exc:
            logger.debug("scan #%s: heartbeat not written: %s", work.run_id, exc)


def perform(work: Work) -> Next:
    if isinstance(work, Plan):
        return plan_run(work.run_id)
    if isinstance(work, ScanItems):
        (item_id,) = work.item_ids  # one item per task
        return scan_run_item(work.run_id, item_id)
    if isinstance(work, Apply):
        return apply_run(work.run_id)
    if isinstance(work, StartRequested):
        return start_requested_scan(work.instance_id)
    if isinstance(work, RunEnded):
        return NOTHING  # not a step: scanner.tasks (or the inline runner's caller) notifies
    raise TypeError(f"not pipeline work: {work!r}")


def give_up(work: Work, error: BaseException | str, *, retried_for: float = 0) -> Next:
    """The step's failure, recorded: its run fails, or its item (the run goes on).
    ``retried_for``: the seconds of retries the error outlasted, told in the reason."""
    reason = error if isinstance(error, str) else describe(error)
    if retried_for:
        reason = f"{reason} (still so after {retried_for:.0f} s of retries)"
    if isinstance(work, ScanItems) and isinstance(error, ArrAuthError):
        # The *arr refuses the instance's key (changed while the run went on): every item
        # would fail alike, and the apply step after them. The run fails once, not item
        # by item with a refused request and an error on each.
        return runs.fail(work.run_id, reason)
    if isinstance(work, ScanItems):
        return record_item_failure(work.item_ids[0], reason)
    if isinstance(work, Plan | Apply):
        cause = runs.CAUSE_UNREACHABLE if isinstance(error, ArrTransientError) else ""
        return runs.fail(work.run_id, reason, cause=cause)
    logger.error("%s failed: %s", work, reason)
    return NOTHING


def describe(error: BaseException) -> str:
    if isinstance(error, TaggarrError):
        return str(error)[:2000]
    return f"{type(error).__name__}: {error}"[:2000]
