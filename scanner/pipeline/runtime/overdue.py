"""What becomes of a step found running past its hold limit (the worker's watchdog asks
here before it restarts the process: scanner.worker.health).

A poison item never loops: the item is failed the FIRST time, with a reason a user can
read, before the process restarts; the message delivered again after the restart finds
it failed and scans nothing (its claim takes pending items only). Only while the item is
still the step's (its fencing token, scanner.pipeline.state.leases.taken_over): a worker
paused past its lease finds, when it wakes, its step past the limit and the item another
task's; it steps aside, failing nothing (issue 79). Issue 69 measured the
old way: four worker kills in seven minutes for one item that was sent again each time.

A run's plan or apply step is sent again once (the stalled-work recovery does it when
the restarted process's beats stop): a share that hiccuped once gets a second chance.
Found past the limit a second time, the run fails with that reason.

Other steps (artwork, searches, lost-dub actions, notifications) are delivered again by
the broker (``acks_late``) and safe to run twice; their hold is only logged.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from scanner.errors import CAUSE_HELD, CAUSE_STEP_HELD
from scanner.models import ScanRun
from scanner.pipeline.state import leases, runs
from scanner.pipeline.state.failures import record_own_failure
from scanner.pipeline.work import NOTHING, Next
from scanner.runtime.running import Kind, Step

logger = logging.getLogger(__name__)

# A run's own step may be found past its hold limit this many times; the next fails it.
STEP_HOLDS_FORGIVEN = 1


def item_reason(hold: float) -> str:
    """The English reason stored on the item (the pages tell its cause translated)."""
    return (
        f"reading its files did not end within the hold limit ({hold:.0f} s, "
        "TAGGARR_HOLD_SECONDS): the share may not answer"
    )


def step_reason(kind: Kind, hold: float) -> str:
    return (
        f"its {kind} step did not end within the hold limit ({hold:.0f} s, "
        "TAGGARR_HOLD_SECONDS), twice: a share or the *arr may not answer"
    )


def end_overdue(step: Step) -> Next:
    """``step`` ran past its hold limit: its item failed, or its run's step counted (and
    the run failed the second time); what follows (an item's last failure may send the
    run's apply step)."""
    if step.kind == Kind.ITEM and step.item_id is not None:
        taken = leases.taken_over(step.item_id, step.token)
        if taken is not None:
            logger.warning("%s: stepped aside: %s; nothing failed", step.describe(), taken)
            return NOTHING
        failed = record_own_failure(step.item_id, step.token, item_reason(step.hold), CAUSE_HELD)
        if failed is None:  # taken over between the check and the failure: its holder's now
            logger.warning(
                "%s: stepped aside: taken over meanwhile; nothing failed", step.describe()
            )
            return NOTHING
        return failed
    if step.kind in (Kind.PLAN, Kind.APPLY) and step.run_id is not None:
        return _count_step_hold(step, step.run_id)
    logger.warning("%s: sent again by the broker when the worker restarts", step.describe())
    return NOTHING


def _count_step_hold(step: Step, run_id: int) -> Next:
    with transaction.atomic():
        row = ScanRun.objects.select_for_update().filter(pk=run_id).first()
        if row is None or not row.is_active:
            return NOTHING
        ScanRun.objects.filter(pk=run_id).update(steps_held=F("steps_held") + 1)
        if row.steps_held < STEP_HOLDS_FORGIVEN:
            logger.warning(
                "scan #%s: its %s step ran past the hold limit; sent again once the "
                "worker restarts (a second time fails the scan)",
                run_id,
                step.kind,
            )
            return NOTHING
    return runs.fail(row.pk, step_reason(step.kind, step.hold), cause=CAUSE_STEP_HELD)
