"""A run's own steps as tasks, and the one place that sends work.

One task per media item (``scan_item``), whose state in Flower is its item's; the plan
and apply steps one task each. They run the pipeline's steps (the same code as the
inline runner: the pipeline registers each as a running step), retry with Celery's own
``self.retry`` within the budgets of scanner.pipeline.retries (a RETRY in Flower), and
send what a step returns once its transaction has committed. A task that raises
something unexpected gives up in ``on_failure``, so a run never hangs on a task that
died. What follows a run's end (its notification, artwork, people's tracks and counts,
lost dubs, Seerr) is each feature's to send, in the order scanner.run_end declares once.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime
from typing import Any

from celery.exceptions import Retry
from django.db import transaction
from kombu.exceptions import OperationalError

from scanner.pipeline.runtime import item_step, steps
from scanner.pipeline.state import apply_lease, webhook_requests
from scanner.pipeline.state.apply_lease import Superseded
from scanner.pipeline.work import Apply, Next, Plan, RunEnded, ScanItems, StartRequested, Work
from scanner.reports import item_states
from scanner.run_end import send_end
from scanner.tasking import kinds
from scanner.tasking.base import KindTask, bound_task

logger = logging.getLogger(__name__)


def send(work: Next) -> None:
    """Queue ``work`` for the workers when the current transaction commits."""
    for each in work:
        transaction.on_commit(functools.partial(enqueue, each))


def enqueue(work: Work) -> None:
    """Put one piece of work on the broker now (``send`` calls it after the commit).

    A broker that is down loses no scan: the work is in the database (a queued run, its
    pending items, its apply step), and beat's next tick after the stall window sends
    it again (runs.recover_stalled). So it is one log line here, not an error for the
    caller: a person pressing "Scan now" gets the queued run, a webhook its 202. (Only
    the notification of a run that ended meanwhile is lost.)
    """
    try:
        _publish(work)
    except OperationalError as exc:
        if isinstance(work, RunEnded):
            kept = f"the end of scan #{work.run_id} is not notified"
        elif isinstance(work, StartRequested):
            kept = "the webhook scans waiting start at beat's next tick"
        else:
            kept = (
                f"scan #{work.run_id} keeps its work in the database and beat sends it again "
                "when the broker is back"
            )
        logger.warning("the broker is unreachable (%s): %s", exc, kept)


def _publish(work: Work) -> None:
    if isinstance(work, Plan):
        plan_scan.delay(work.run_id)
    elif isinstance(work, ScanItems):
        # One message per item, whatever the batches they are scanned in.
        options: dict[str, bool | float | int] = {"retry": True} if work.retry else {}
        if work.since is not None:
            options["since"] = work.since
        if work.token is not None:
            options["token"] = work.token
        for item_id in work.item_ids:
            if work.delay:
                scan_item.apply_async((work.run_id, item_id), options, countdown=work.delay)
            else:
                scan_item.apply_async((work.run_id, item_id), options)
    elif isinstance(work, Apply):
        apply_scan.delay(work.run_id)
    elif isinstance(work, StartRequested):
        # Cheap (a few rows): done here rather than through one more task.
        send(webhook_requests.start_requested_scan(work.instance_id))
    elif isinstance(work, RunEnded):
        send_end(work.run_id)  # each feature's tasks, in scanner.run_end's order


class ItemFailed(Exception):
    """The item failed; its failure is recorded. Raised so that the item's task is a
    FAILURE in Flower, with the reason."""


class StepTask(KindTask):
    """A step that raised something unexpected gives up as the policy says.

    Celery's own retry limit is off (``max_retries = None``): the retry budgets are
    deadlines (scanner.pipeline.retries), not a count. ``since`` (the first try's time,
    seconds since the epoch) travels with each retry's message, so a retry on another
    worker keeps the deadline.
    """

    max_retries = None

    def work_of(self, args: tuple[Any, ...]) -> Work:
        raise NotImplementedError

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        if isinstance(exc, ItemFailed):
            return  # recorded already
        send(steps.give_up(self.work_of(args), exc))

    def first_try(self) -> float:
        since = (self.request.kwargs or {}).get("since")
        return float(since) if since is not None else time.time()

    def retry_later(self, error: BaseException, wait: float, since: float, **kwargs: Any) -> Retry:
        cause = error if isinstance(error, Exception) else None
        return self.retry(exc=cause, countdown=wait, kwargs={**kwargs, "since": since})

    def perform(self, work: Plan | Apply, **retry_kwargs: int) -> str | None:
        """The step once; its retry carries ``retry_kwargs``. A superseded step's result
        names what happened (a state that is not FAILURE: nothing failed)."""
        since = self.first_try()
        outcome = steps.attempt(work, self.request.retries, since)
        if isinstance(outcome, steps.RetryLater):
            raise self.retry_later(outcome.error, outcome.delay, since, **retry_kwargs)
        if isinstance(outcome, Superseded):
            return outcome.why
        send(outcome)
        return None


class PlanTask(StepTask):
    def work_of(self, args: tuple[Any, ...]) -> Work:
        return Plan(args[0])


class ItemTask(StepTask):
    # Expected ends: logged in one line, without a traceback (the failure is told and
    # recorded already).
    throws = (ItemFailed,)

    def work_of(self, args: tuple[Any, ...]) -> Work:
        return ScanItems(args[0], (args[1],))


class ApplyTask(StepTask):
    def work_of(self, args: tuple[Any, ...]) -> Work:
        return Apply(args[0])


@bound_task(kinds.PLAN, base=PlanTask)
def plan_scan(
    self: PlanTask, run_id: int, since: float | None = None, token: int | None = None
) -> None:
    """The run's plan, held with a fencing token drawn here (its retries keep it). A run
    another task or ``scan --inline`` took first is left to it: the step steps aside."""
    token = token or apply_lease.new_token()
    self.perform(Plan(run_id, token=token), token=token)


@bound_task(kinds.ITEM, base=ItemTask)
def scan_item(
    self: ItemTask,
    run_id: int,
    item_id: int,
    retry: bool = False,
    since: float | None = None,
    token: int | None = None,
) -> str:
    """One media item of a scan; the task's state is the item's: SUCCESS when it was
    scanned, FAILURE with the reason when it failed, RETRY while it waits for its retry.
    A task that did not scan its item ends SUCCESS too, its result saying why and what
    became of the item: a late second delivery ("already scanned ..."), or a task whose
    lease ran out while another task took the item ("superseded: ...": nothing of it
    was written). The truth per item is the run's page (scanner.reports.item_states).
    ``token``: the fencing number of the earlier try's claim (a random number, no
    secret), so that the retry takes back a lease that try could not release."""
    first = datetime.fromtimestamp(since, tz=UTC) if since is not None else None
    outcome = item_step.scan_item(run_id, item_id, retry=retry, since=first, token=token)
    send(outcome.next)  # every outcome may hand on work (other items' too: ItemDesk.unsent)
    if isinstance(outcome, item_step.Scanned):
        return f"scanned: {outcome.title}"
    if isinstance(outcome, item_step.NotTaken):
        return outcome.why
    if isinstance(outcome, item_step.ItemFailed):
        raise ItemFailed(outcome.reason)
    if isinstance(outcome, item_step.Lost):
        return item_states.superseded(item_id)
    held = {"token": outcome.token} if outcome.token is not None else {}
    raise self.retry_later(
        outcome.error, outcome.wait, outcome.since.timestamp(), retry=True, **held
    )


@bound_task(kinds.APPLY, base=ApplyTask)
def apply_scan(
    self: ApplyTask, run_id: int, since: float | None = None, token: int | None = None
) -> str | None:
    """The run's apply step, held with a fencing token drawn here (its retries keep it:
    a retry takes back its own lease). When another task holds the step, or took it
    while this one was paused past its lease, the result says so, e.g. "superseded:
    another apply took scan #12": nothing written by this task since."""
    token = token or apply_lease.new_token()
    return self.perform(Apply(run_id, token=token), token=token)
