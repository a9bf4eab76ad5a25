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
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

from scanner.errors import ArrAuthError, ArrTransientError, TaggarrError
from scanner.pipeline import runs
from scanner.pipeline.apply import apply_run
from scanner.pipeline.heartbeat import beating
from scanner.pipeline.items import record_item_failure, scan_items
from scanner.pipeline.plan import plan_run
from scanner.pipeline.retries import describe, jittered, retry_policy
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


@dataclass(frozen=True, slots=True)
class RetryLater:
    delay: float
    error: BaseException


def attempt(work: Work, retries_done: int, *, claim_more: int = 0) -> Next | RetryLater:
    """Run ``work`` once. Unexpected errors propagate (the caller logs and gives up).
    ``claim_more``: a worker's item step also takes that many more items of the run."""
    try:
        if isinstance(work, StartRequested | RunEnded):
            return perform(work)
        holding: list[int] = []  # the items the step holds: their leases beat too
        with beating(work.run_id, holding):
            return perform(work, claim_more=claim_more, holding=holding)
    except (*retry_policy(work).errors, TaggarrError) as exc:
        return after_error(work, exc, retries_done)


def after_error(work: Work, error: BaseException, retries_done: int) -> Next | RetryLater:
    """What follows an expected error of ``work``: a retry while its budget lasts, else
    the give-up (an unexpected error is the caller's: it logs the traceback first)."""
    policy = retry_policy(work)
    if not isinstance(error, policy.errors):
        return give_up(work, error)
    delays = policy.delays(error)
    if retries_done < len(delays):
        delay = jittered(delays[retries_done])
        _waiting(work, error, delay)
        return RetryLater(delay, error)
    return give_up(work, error, retried_for=sum(delays))


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


def perform(work: Work, *, claim_more: int = 0, holding: list[int] | None = None) -> Next:
    if isinstance(work, Plan):
        return plan_run(work.run_id)
    if isinstance(work, ScanItems):
        return scan_items(
            work.run_id, work.item_ids, more=claim_more, retry=work.retry, holding=holding
        )
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
        return tuple(w for item_id in work.item_ids for w in record_item_failure(item_id, reason))
    if isinstance(work, Plan | Apply):
        cause = runs.CAUSE_UNREACHABLE if isinstance(error, ArrTransientError) else ""
        return runs.fail(work.run_id, reason, cause=cause)
    logger.error("%s failed: %s", work, reason)
    return NOTHING
