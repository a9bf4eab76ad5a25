"""The item step: several items of a run at once, the same code inline and on the
workers.

``start_items`` claims the items (one statement) and starts reading them on the I/O
threads (on a share each listing and read waits on the network); ``finish_items``
stores their results and counts them in one transaction. ``scan_items`` does both;
the inline runner starts the next batch before it finishes this one, so that the
reading of one overlaps the storing of the other.

A claim is a lease (``ScanItem.leased_until``): nobody else takes a leased item until
the lease runs out, the holder's heartbeat extends it, and a worker that dies with
items in hand leaves them to be taken again once it runs out. A worker's task for one
item also takes up to ``batch_size() - 1`` more items of the run that nobody holds: one
message per item stays (per-item retries, Flower shows each), but most of them find
their item done already and end at once. The batch size is TAGGARR_ITEM_BATCH.

An item hit by an error the retry policy handles (its folder could not be read, its
*arr did not answer) goes back to pending, leased until its retry is due, and comes
back as work for those ids alone (``ScanItems(..., delay=...)``); after its budget it
is failed. Any other error of one item fails that item; the others go on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from scanner.errors import ArrAuthError
from scanner.models import Event, Media, MediaFile, ScanItem, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.arr_files import clients_for, fetched, needs_fetch
from scanner.pipeline.decide import ScannedItem, store_many
from scanner.pipeline.io_pool import map_on_io_threads
from scanner.pipeline.media_scan import scan_media
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.retries import (
    ITEM_RETRIED,
    describe,
    item_budget,
    item_retry_delay,
    jittered,
)
from scanner.pipeline.work import NOTHING, Next, ScanItems

logger = logging.getLogger(__name__)

# A worker that dies on an item (a file that crashes MediaInfo) leaves it to be taken
# again; after this many starts the item is failed instead of killing more workers.
MAX_ITEM_STARTS = 5

Read = tuple[ScannedItem, int]  # what an item's files say, and the *arr requests it took


@dataclass
class StartedItems:
    run_id: int
    items: list[ScanItem]  # claimed, being read
    worn: list[ScanItem]  # claimed once too often: failed when the batch finishes
    options: ScanOptions
    reading: Future[list[Read | Exception]] | list[Read | Exception]
    claimed: list[int] = field(default_factory=list)


def batch_size() -> int:
    return int(settings.ITEM_BATCH)


def start_items(
    run_id: int,
    item_ids: Sequence[int],
    *,
    more: int = 0,
    retry: bool = False,
    reader: Executor | None = None,
    holding: list[int] | None = None,
) -> StartedItems | None:
    """Claim ``item_ids`` (and up to ``more`` other items of the run nobody holds) and
    start reading them, on ``reader`` when given; None when the run no longer runs. The
    claimed ids are added to ``holding`` (the heartbeat extends their leases)."""
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    if run.status != ScanRun.Status.RUNNING or run.cancel_requested:
        return None
    logger.debug("scan #%s: taking items %s and up to %d more", run_id, list(item_ids), more)
    claimed = claim(run_id, item_ids, more=more, retry=retry)
    logger.debug("scan #%s: %d items claimed: %s", run_id, len(claimed), claimed)
    if holding is not None:
        holding += claimed
    try:
        return _start(run, claimed, reader)
    except BaseException:
        _release_quietly(claimed)
        raise


def _start(run: ScanRun, claimed: list[int], reader: Executor | None) -> StartedItems:
    run_id = run.pk
    if not claimed:
        return StartedItems(run_id, [], [], ScanOptions.for_run(run.instance, run), [])
    items = list(ScanItem.objects.filter(pk__in=claimed).select_related("media").order_by("pk"))
    worn = [item for item in items if item.attempts > MAX_ITEM_STARTS]
    items = [item for item in items if item.attempts <= MAX_ITEM_STARTS]
    options = ScanOptions.for_run(run.instance, run)
    rewrite = run.mode == ScanRun.Mode.REWRITE
    stored = _stored_files([item.media_id for item in items])
    needed = any(needs_fetch(item.arr_files) for item in items)
    clients = clients_for(run.instance) if needed else None

    def read(item: ScanItem) -> Read | Exception:
        try:
            arr_files, requests = item.arr_files, 0
            if clients is not None and needs_fetch(arr_files):
                arr_files, requests = fetched(clients, item.media, arr_files)  # type: ignore[arg-type]
            scanned = scan_media(
                item.media, options, rewrite=rewrite, arr_files=arr_files,
                stored=stored.get(item.media_id, {}),
            )  # fmt: skip
            return scanned, requests
        except ITEM_RETRIED as exc:
            return exc
        except ArrAuthError:
            raise  # the *arr refuses the key: every item would fail alike (the run fails)
        except Exception as exc:  # one item's bug or bad data: that item fails
            logger.exception("scan #%s: %s stopped on an unexpected error", run_id, item.media)
            return exc

    reading: Future[list[Read | Exception]] | list[Read | Exception]
    if reader is None:
        reading = map_on_io_threads(read, items)
    else:
        reading = reader.submit(map_on_io_threads, read, items)
    return StartedItems(run_id, items, worn, options, reading, claimed)


def finish_items(started: StartedItems) -> Next:
    """Store what was read (one transaction), fail what must fail, and hand back the
    items to retry as work of their own; the apply step when these were the last. When
    it cannot (the database is down), the items are free again for whoever retries."""
    try:
        return _finish(started)
    except BaseException:
        _release_quietly(started.claimed)
        raise


def _finish(started: StartedItems) -> Next:
    outcomes = started.reading.result() if isinstance(started.reading, Future) else started.reading
    done: list[tuple[ScanItem, Read]] = []
    later: list[tuple[ScanItem, Exception]] = []
    failed: list[tuple[ScanItem, str]] = [
        (item, f"gave up after {MAX_ITEM_STARTS} starts") for item in started.worn
    ]
    for item, outcome in zip(started.items, outcomes, strict=True):
        if isinstance(outcome, ITEM_RETRIED):
            later.append((item, outcome))
        elif isinstance(outcome, Exception):
            failed.append((item, describe(outcome)))
        else:
            done.append((item, outcome))
    next_work = list(_store(started.run_id, done, started.options))
    retry, spent = _retries(later)
    failed += spent
    for item, reason in failed:
        next_work += record_item_failure(item.pk, reason)
    if not next_work and not retry and (done or failed):
        next_work += runs.ready_to_apply(started.run_id)
    return (*retry, *next_work)


def scan_items(
    run_id: int,
    item_ids: Sequence[int],
    *,
    more: int = 0,
    retry: bool = False,
    holding: list[int] | None = None,
) -> Next:
    """The whole step for ``item_ids`` (and ``more``): claim, read, store, count."""
    started = start_items(run_id, item_ids, more=more, retry=retry, holding=holding)
    return NOTHING if started is None else finish_items(started)


def claim(run_id: int, item_ids: Sequence[int], *, more: int = 0, retry: bool = False) -> list[int]:
    """Lease the pending items of ``item_ids`` nobody holds, and up to ``more`` others of
    the run in id order, in one statement; their ids. Each claim counts a start.

    An item waiting for its retry (``retry_at`` not reached) is taken only by that retry
    (``retry``): otherwise the other messages of a batch that met a down *arr would
    retry at once, and spend the items' budgets without waiting."""
    now = timezone.now()
    table = connection.ops.quote_name(ScanItem._meta.db_table)
    unheld = "run_id = %s AND status = %s AND (leased_until IS NULL OR leased_until <= %s)"
    not_waiting = "(retry_at IS NULL OR retry_at <= %s)"
    wanted = [str(int(pk)) for pk in item_ids] or ["NULL"]
    which = f"(id IN ({', '.join(wanted)}){'' if retry else f' AND {not_waiting}'})"
    params: list[object] = [_lease_end(now), run_id, ScanItem.Status.PENDING, now]
    if not retry:
        params.append(now)
    if more:
        which += (
            f" OR id IN (SELECT id FROM {table} WHERE {unheld} AND {not_waiting} "  # noqa: S608
            f"AND id NOT IN ({', '.join(wanted)}) ORDER BY id LIMIT %s)"
        )
        params += [run_id, ScanItem.Status.PENDING, now, now, more]
    sql = (
        f"UPDATE {table} SET attempts = attempts + 1, leased_until = %s, retry_at = NULL "  # noqa: S608
        f"WHERE {unheld} AND ({which}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def extend_leases(item_ids: Sequence[int]) -> None:
    """The holder is alive: its items stay its own (called with the run's heartbeat)."""
    ScanItem.objects.filter(pk__in=item_ids, status=ScanItem.Status.PENDING).update(
        leased_until=_lease_end(timezone.now())
    )


def release(item_ids: Sequence[int]) -> None:
    """The holder cannot go on (the whole step failed): its items are free again, and
    the start does not count (it was not the items' fault)."""
    ScanItem.objects.filter(pk__in=item_ids, status=ScanItem.Status.PENDING).update(
        leased_until=None, attempts=F("attempts") - 1
    )


def _release_quietly(item_ids: Sequence[int]) -> None:
    try:
        release(item_ids)
    except DatabaseError as exc:  # down: the leases run out by themselves
        logger.warning("items %s not released (%s): free once their leases run out", item_ids, exc)


def record_item_failure(item_id: int, reason: str) -> Next:
    """The item is failed with its reason; the run goes on without it."""
    item = ScanItem.objects.select_related("media", "run").filter(pk=item_id).first()
    if item is None:
        return NOTHING
    with transaction.atomic():
        failed = ScanItem.objects.filter(pk=item_id, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.FAILED, error=reason[:2000]
        )
        if not failed:
            return NOTHING
        closing = runs.count_item_failed(item.run_id)
        Media.objects.filter(pk=item.media_id).update(error=reason[:2000])
        Event.objects.create(
            instance_id=item.run.instance_id,
            media=item.media,
            run=item.run,
            kind=Event.Kind.ITEM_FAILED,
            message=f"{item.media.title}: {reason[:500]}",
        )
    logger.warning("scan #%s: %s failed: %s", item.run_id, item.media.title, reason)
    return closing


def _lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.SCAN_STALL_SECONDS)


def _store(run_id: int, done: list[tuple[ScanItem, Read]], options: ScanOptions) -> Next:
    """The items' files, seasons and verdicts, "done" and the run's counters: one
    transaction, so a worker that dies half-way leaves them pending and nothing else."""
    if not done:
        return NOTHING
    with transaction.atomic():
        store_many([(item.media, scanned) for item, (scanned, _) in done], options)
        finished = ScanItem.objects.filter(
            pk__in=[item.pk for item, _ in done], status=ScanItem.Status.PENDING
        ).update(status=ScanItem.Status.DONE, leased_until=None)
        if not finished:  # a second delivery of the same items counts nothing twice
            return NOTHING
        return runs.count_items_done(
            run_id,
            items=finished,
            files_probed=sum(scanned.files_probed for _, (scanned, _) in done),
            file_errors=sum(scanned.file_errors for _, (scanned, _) in done),
            arr_requests=sum(requests for _, (_, requests) in done),
        )


def _retries(
    later: list[tuple[ScanItem, Exception]],
) -> tuple[list[ScanItems], list[tuple[ScanItem, str]]]:
    """The items to try again, leased until then, as work per due time; and those whose
    budget is spent, with their reason."""
    if not later:
        return [], []
    now = timezone.now()
    due: dict[float, list[ScanItem]] = defaultdict(list)
    spent = []
    jitter = jittered(1.0)  # once per batch: its items wait alike
    for item, error in later:
        delay = item_retry_delay(error, item.retries)
        if delay is None:
            budget = item_budget(error)
            spent.append((item, f"{describe(error)} (still so after {budget:.0f} s of retries)"))
            continue
        delay = round(delay * jitter, 2)
        logger.warning(
            "scan #%s: %s: %s; trying again in %.0f s", item.run_id, item.media, error, delay
        )
        ScanItem.objects.filter(pk=item.pk, status=ScanItem.Status.PENDING).update(
            retries=F("retries") + 1,
            attempts=F("attempts") - 1,  # not a crash: the start does not count
            leased_until=None,
            retry_at=now + timedelta(seconds=delay),
        )
        due[delay].append(item)
    work = [
        ScanItems(later[0][0].run_id, tuple(item.pk for item in items), delay=delay, retry=True)
        for delay, items in sorted(due.items())
    ]
    return work, spent


def _stored_files(media_ids: list[int]) -> dict[int, dict[str, MediaFile]]:
    stored: dict[int, dict[str, MediaFile]] = defaultdict(dict)
    for row in MediaFile.objects.filter(media_id__in=media_ids):
        stored[row.media_id][row.path] = row
    return stored
