"""Each item of a scan run in the state Taggarr's own rows give it: the truth per item,
where Flower can only show what its events said (a broker blip drops events; a task
sent again is a new task). The run's page and ``GET /api/scans/{id}/items/`` read it
from here, and an item task that lost its item (scanner.tasks) says from here what
became of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scanner.models import ScanItem, ScanRun


class ItemState(StrEnum):
    SCANNED = "scanned"
    FAILED = "failed"
    WAITING_FOR_RETRY = "waiting_for_retry"
    HELD = "held"  # a worker holds it (its lease runs)
    NOT_CLAIMED = "not_claimed"  # its message waits in the broker, or was lost
    NOT_SCANNED = "not_scanned"  # the run ended (cancelled, failed) before it


STATE_LABELS = {
    ItemState.SCANNED: _("scanned"),
    ItemState.FAILED: _("failed"),
    ItemState.WAITING_FOR_RETRY: _("waiting for a retry"),
    ItemState.HELD: _("held by a worker"),
    ItemState.NOT_CLAIMED: _("not yet claimed"),
    ItemState.NOT_SCANNED: _("not scanned: the run ended"),
}


@dataclass(frozen=True, slots=True)
class ItemView:
    item_id: int
    media_id: int
    title: str
    state: ItemState
    error: str  # a failed item's reason; the last error of an item waiting for its retry
    retry_at: datetime | None  # waiting for its retry until then
    leased_until: datetime | None  # held: its lease runs until then (renewed while alive)
    attempts: int
    retries: int


def state_of(item: ScanItem, run_status: str, now: datetime) -> ItemState:
    if item.status == ScanItem.Status.DONE:
        return ItemState.SCANNED
    if item.status == ScanItem.Status.FAILED:
        return ItemState.FAILED
    if run_status not in ScanRun.ACTIVE:
        return ItemState.NOT_SCANNED
    if item.leased_until is not None and item.leased_until > now:
        return ItemState.HELD
    if item.retry_at is not None:
        return ItemState.WAITING_FOR_RETRY
    return ItemState.NOT_CLAIMED


# Failed first, then the items still to do, then the scanned: what a person looks for.
ORDER = Case(
    When(status=ScanItem.Status.FAILED, then=Value(0)),
    When(status=ScanItem.Status.PENDING, then=Value(1)),
    default=Value(2),
)


def run_items(run: ScanRun) -> QuerySet[ScanItem]:
    """The run's items, failed first, then those still to do, then by title."""
    return (
        ScanItem.objects.filter(run=run)
        .select_related("media")
        .only(
            "id",
            "status",
            "error",
            "retry_at",
            "leased_until",
            "attempts",
            "retries",
            "run_id",
            "media_id",
            "media__title",
        )
        .order_by(ORDER, "media__title", "id")
    )


def item_views(run: ScanRun, items: Iterable[ScanItem]) -> list[ItemView]:
    now = timezone.now()
    latest = _latest_retry(run)
    return [view_of(item, run.status, now, latest) for item in items]


def _latest_retry(run: ScanRun) -> tuple[datetime, str] | None:
    """The run's latest retry, as its heartbeat wrote it (runs.waiting_to_retry): when,
    and why. An item does not keep the error it waits out; the one whose retry is due
    at that very moment is the item it was written for."""
    when = run.retry_next_at
    return (when, run.retry_why) if when is not None else None


def view_of(
    item: ScanItem, run_status: str, now: datetime, latest: tuple[datetime, str] | None = None
) -> ItemView:
    state = state_of(item, run_status, now)
    error = item.error
    if state == ItemState.WAITING_FOR_RETRY and not error and latest and latest[0] == item.retry_at:
        error = latest[1]
    return ItemView(
        item_id=item.pk,
        media_id=item.media_id,
        title=item.media.title,
        state=state,
        error=error,
        retry_at=item.retry_at if state == ItemState.WAITING_FOR_RETRY else None,
        leased_until=item.leased_until if state == ItemState.HELD else None,
        attempts=item.attempts,
        retries=item.retries,
    )


def in_state(items: QuerySet[ScanItem], run: ScanRun, state: ItemState) -> QuerySet[ScanItem]:
    """Those of ``items`` (one run's) in ``state``, as state_of says, in the database."""
    now = timezone.now()
    if state == ItemState.SCANNED:
        return items.filter(status=ScanItem.Status.DONE)
    if state == ItemState.FAILED:
        return items.filter(status=ScanItem.Status.FAILED)
    pending = items.filter(status=ScanItem.Status.PENDING)
    if run.status not in ScanRun.ACTIVE:
        return pending if state == ItemState.NOT_SCANNED else pending.none()
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    if state == ItemState.HELD:
        return pending.filter(leased_until__gt=now)
    if state == ItemState.WAITING_FOR_RETRY:
        return pending.filter(free, retry_at__isnull=False)
    if state == ItemState.NOT_CLAIMED:
        return pending.filter(free, retry_at__isnull=True)
    return pending.none()


def counts(run: ScanRun) -> dict[ItemState, int]:
    """How many of the run's items are in each state. The scanned items' rows are
    removed when the run's tags are written: those are counted by the run."""
    now = timezone.now()
    tally = dict.fromkeys(ItemState, 0)
    rows = ScanItem.objects.filter(run=run).values_list("status", "leased_until", "retry_at")
    for status, leased_until, retry_at in rows:
        item = ScanItem(status=status, leased_until=leased_until, retry_at=retry_at)
        tally[state_of(item, run.status, now)] += 1
    tally[ItemState.SCANNED] = max(tally[ItemState.SCANNED], run.items_done)
    return tally


def superseded(item_id: int) -> str:
    """What became of an item whose task lost it (its lease ran out and another task
    took it), in words for that task's result: the item's state now."""
    item = ScanItem.objects.select_related("run").filter(pk=item_id).first()
    if item is None:  # a scanned item's row is removed when its run's tags are written
        return "superseded: the item was scanned by another task, and its scan has ended"
    state = state_of(item, item.run.status, timezone.now())
    if state == ItemState.SCANNED:
        return "superseded: the item was scanned by another task"
    if state == ItemState.FAILED:
        return f"superseded: the item failed in another task: {item.error}"
    if state == ItemState.HELD:
        return "superseded: another task holds the item now"
    if state == ItemState.WAITING_FOR_RETRY:
        return f"superseded: another task left the item waiting for its retry at {item.retry_at}"
    if state == ItemState.NOT_SCANNED:
        return f"superseded: the item's scan ended ({item.run.status})"
    return "superseded: the item was sent again; its next task scans it"
