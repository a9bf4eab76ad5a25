"""The plan and apply steps, run once or under the retry budgets; the give-up policy.

Celery tasks (scanner.tasks) run a step once with ``attempt`` and retry it with
Celery's own ``self.retry`` when it returns ``RetryLater``; the inline runner runs it
with ``run_retried`` (tenacity, waiting in its process). Both take the waits and the
deadline from one definition (scanner.pipeline.retries). Expected failures (every
TaggarrError, and transient ones whose budget is spent) give up here: a plan or apply
step fails its run, an item fails itself and the run goes on (but a refused API key
fails the run: every item would fail alike). Anything else propagates; the caller
gives up with ``give_up`` after logging the traceback.

The item step is scanner.pipeline.runtime.item_step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

from scanner.errors import CAUSE_ARR_KEY, ArrAuthError, TaggarrError, cause_of, describe
from scanner.pipeline.retries import budget_for, call_retried, spent_note
from scanner.pipeline.runtime.heartbeat import beating
from scanner.pipeline.scanning.plan import plan_run
from scanner.pipeline.state import apply_lease, runs
from scanner.pipeline.state.apply_lease import Superseded
from scanner.pipeline.state.failures import record_item_failure
from scanner.pipeline.state.webhook_requests import start_requested_scan
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
from scanner.pipeline.writers.apply import apply_run
from scanner.runtime import running
from scanner.runtime.hold import holding
from scanner.runtime.running import Kind

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryLater:
    delay: float
    error: BaseException


def attempt(
    work: Plan | Apply | StartRequested,
    retries_done: int,
    since: float,
    *,
    clock: Callable[[], float] = time.time,
) -> Next | RetryLater | Superseded:
    """Run ``work`` once; ``since``: when its first try began, on ``clock`` (seconds
    since the epoch: a retry may run on another worker). The time a failed try took
    counts: the budget is a deadline. Unexpected errors propagate (the caller logs and
    gives up)."""
    try:
        return perform(work)
    except TaggarrError as exc:
        return after_error(work, exc, retries_done, clock() - since)
    except Exception as exc:
        if budget_for(work, exc) is None:
            raise
        return after_error(work, exc, retries_done, clock() - since)


def after_error(
    work: Work, error: BaseException, retries_done: int, elapsed: float
) -> Next | RetryLater:
    """What follows an expected error of ``work``: a retry while its budget lasts, else
    the give-up."""
    budget = budget_for(work, error)
    if budget is None:
        return give_up(work, error)
    wait = budget.next_wait(retries_done, elapsed)
    if wait is None:
        return give_up(work, spent_note(error, budget), cause_error=error)
    _waiting(work, error, wait)
    return RetryLater(wait, error)


def run_retried(
    work: Plan | Apply,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Next:
    """``work`` in this process, retried within its budget (tenacity); then given up.
    A plan or apply step holds its run with one token across its tries."""
    if not work.token:
        work = replace(work, token=apply_lease.new_token())

    def told(error: BaseException, wait: float) -> None:
        logger.warning("%s: %s; trying again in %.1f s", work, error, wait)
        _waiting(work, error, wait)

    try:
        outcome = call_retried(
            lambda: perform(work),
            lambda error: budget_for(work, error),
            sleep=sleep,
            clock=clock,
            before_sleep=told,
        )
    except TaggarrError as exc:
        budget = budget_for(work, exc)
        return give_up(work, spent_note(exc, budget) if budget else exc, cause_error=exc)
    except Exception as exc:
        budget = budget_for(work, exc)
        if budget is None:
            logger.exception("%s stopped on an unexpected error", work)
            return give_up(work, exc)
        return give_up(work, spent_note(exc, budget), cause_error=exc)
    return NOTHING if isinstance(outcome, Superseded) else outcome  # logged by the step


def _waiting(work: Work, error: BaseException, delay: float) -> None:
    """A heartbeat for the run whose step waits to retry: it is waiting, not lost (the
    longest wait is shorter than the stall window), and its page says why and until
    when. A database that is down too is the retry's business, not this beat's."""
    if isinstance(work, Plan | ScanItems | Apply):
        try:
            next_try = timezone.now() + timedelta(seconds=delay)
            runs.waiting_to_retry(work.run_id, describe(error), next_try)
        except DatabaseError as exc:
            logger.debug("scan #%s: heartbeat not written: %s", work.run_id, exc)


def perform(work: Work) -> Next | Superseded:
    """``work`` once, registered as a running step (scanner.runtime.running:
    the watchdog ends it past its hold limit). An apply step that another task holds
    (or took from it) is ``Superseded``: nothing written by it, and no next work."""
    # Its waits on the share end by the hold limit: a listing or an NFO write that never
    # returns fails the run with that reason (scanner.runtime.hold).
    if isinstance(work, Plan):
        with running.step(Kind.PLAN, run_id=work.run_id), beating(work.run_id), holding():
            return plan_run(work.run_id, work.token or None)
    if isinstance(work, Apply):
        token = work.token or apply_lease.new_token()
        with (
            running.step(Kind.APPLY, run_id=work.run_id),
            beating(work.run_id, apply_token=token),
            holding(),
        ):
            return apply_run(work.run_id, token)
    if isinstance(work, StartRequested):
        return start_requested_scan(work.instance_id)
    if isinstance(work, RunEnded):
        return NOTHING  # not a step: scanner.tasks (or the inline runner's caller) notifies
    raise TypeError(f"not a step run whole: {work!r}")


def give_up(
    work: Work, error: BaseException | str, *, cause_error: BaseException | None = None
) -> Next:
    """The step's failure, recorded: its run fails, or its item (the run goes on).
    ``cause_error``: the error behind a reason given as text."""
    reason = error if isinstance(error, str) else describe(error)
    cause = cause_error if cause_error is not None else error
    if isinstance(work, ScanItems) and isinstance(cause, ArrAuthError):
        # The *arr refuses the instance's key (changed while the run went on): every item
        # would fail alike, and the apply step after them. The run fails once, not item
        # by item with a refused request and an error on each.
        return runs.fail(work.run_id, reason, cause=CAUSE_ARR_KEY)
    code = cause_of(cause) if isinstance(cause, BaseException) else ""
    if isinstance(work, ScanItems):
        return tuple(
            w for item_id in work.item_ids for w in record_item_failure(item_id, reason, code)
        )
    if isinstance(work, Plan | Apply):
        return runs.fail(work.run_id, reason, cause=code)
    logger.error("%s failed: %s", work, reason)
    return NOTHING
