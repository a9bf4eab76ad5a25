"""An *arr that stopped answering a run's items: the run's record of it, and its end.

Workers on several machines read one run, so the record is the run's row:
``ScanRun.arr_unanswered_since``, when the first item request that the *arr left
unanswered was sent (a read timeout, a refused connection, a 5xx), cleared by any
answer. From then on the run's items stop asking it: each process sends one request
at a time to find out whether it is back, the others wait for their retries without a
request (scanner.pipeline.scanning.arr_files), and no retry waits past the run's
deadline, TAGGARR_ARR_RETRY_SECONDS after that first request. The first item that
meets the *arr's silence at or after the deadline ends the run: every pending item
fails with the one reason and the run fails, cause unreachable (scanner.errors), in
one transaction. The run so ends within the budget and one read timeout (a request
under way at the deadline) of the first unanswered request, however many items it has
left and whether they wait for a slot, a retry or their turn on the broker (their
claims find the run ended). Failed, not partial: the apply step would need the *arr
too.

An item's own budget (scanner.pipeline.retries) still holds when the *arr answers the
others but never this item (a series whose list it cannot serve in time).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from scanner.errors import CAUSE_UNREACHABLE, ArrNotAsked, ArrUnanswered, describe
from scanner.models import ScanItem, ScanRun
from scanner.pipeline.state import runs
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Silence:
    """The run's record after an unanswered (or unasked) request of one of its items."""

    running: bool  # false: the run ended meanwhile (failed by another item, cancelled)
    since: datetime | None  # the run's first unanswered request; None: answered since

    def deadline(self) -> datetime | None:
        return None if self.since is None else deadline_of(self.since)

    def left(self, now: datetime) -> float | None:
        """Seconds until the run's deadline (<= 0: past it); None: no deadline."""
        deadline = self.deadline()
        return None if deadline is None else (deadline - now).total_seconds()


def past_deadline(since: datetime) -> bool:
    """Whether the run's deadline, counted from its first unanswered request, has passed."""
    return timezone.now() >= deadline_of(since)


def deadline_of(since: datetime) -> datetime:
    return since + timedelta(seconds=settings.ARR_RETRY_SECONDS)


def first_request(error: ArrUnanswered | ArrNotAsked, fallback: datetime) -> datetime:
    """When the item's budget starts: its request that went unanswered; an item that
    has not asked yet (``ArrNotAsked``) starts it now."""
    return error.asked_at if isinstance(error, ArrUnanswered) else fallback


def note(run_id: int, error: BaseException) -> Silence:
    """The run's record once ``error`` met an item: an unanswered request is the run's
    first unless an earlier one is recorded (a compare-and-set, whichever worker is
    first)."""
    if isinstance(error, ArrUnanswered):
        ScanRun.objects.filter(pk=run_id, arr_unanswered_since__isnull=True).update(
            arr_unanswered_since=error.asked_at
        )
    row = ScanRun.objects.filter(pk=run_id).values_list("status", "arr_unanswered_since").first()
    if row is None:
        return Silence(running=False, since=None)
    status, since = row
    return Silence(running=status == ScanRun.Status.RUNNING, since=since)


def answered(run_id: int) -> None:
    """An item's request was answered: the *arr is back, the record is cleared."""
    if ScanRun.objects.filter(pk=run_id, arr_unanswered_since__isnull=False).update(
        arr_unanswered_since=None
    ):
        logger.info("scan #%s: the *arr answers again", run_id)


def reason(error: BaseException, since: datetime) -> str:
    """The one reason every item and the run fail with: the *arr and the request (the
    error's words) and since when."""
    if isinstance(error, ArrNotAsked):
        words = error.unanswered
    else:
        words = describe(error.error if isinstance(error, ArrUnanswered) else error)
    return (
        f"{words}; the *arr has left this scan's requests unanswered since "
        f"{since:%Y-%m-%d %H:%M:%S} UTC "
        f"(still so after {settings.ARR_RETRY_SECONDS} s of retries)"
    )


def give_up(run_id: int, why: str) -> Next:
    """The run fails, cause unreachable, with every pending item, in one transaction;
    what follows the run's end (NOTHING when it had ended already)."""
    now = timezone.now()
    with transaction.atomic():
        ended = runs.fail(run_id, why, cause=CAUSE_UNREACHABLE)
        if not ended:
            return NOTHING
        failed = ScanItem.objects.filter(run_id=run_id, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.FAILED,
            error=why[:2000],
            leased_until=None,
            lease_token=None,
            retry_at=None,
        )
        ScanRun.objects.filter(pk=run_id).update(
            items_failed=F("items_failed") + failed, heartbeat_at=now
        )
    logger.error("scan #%s: %d items failed with it: the *arr is unreachable", run_id, failed)
    return ended
