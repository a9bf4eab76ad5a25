"""Several items of a run at once, for the inline runner: their folder listings, file
reads and *arr requests on the I/O threads together (on a NAS each waits on the
network), their results written in one transaction with a fixed number of statements.

A batch is started (``start_batch``: its rows read, its reading handed to the
``reader`` thread, which spreads it over the I/O threads) and then finished
(``finish_batch``: its results stored), so the inline runner can start the next batch
before it stores this one and the waiting overlaps with the storing.

The same steps as one item at a time (the *arr's files fetched when the plan left them
to the item, scan_media, then the stored verdict); an item whose folder cannot be read,
or whose *arr did not answer, is handed back, and the one-at-a-time step, with its
retry policy, takes it from there.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from concurrent.futures import Executor, Future
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from scanner.errors import ArrTransientError, StorageError
from scanner.models import MediaFile, ScanItem, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.arr_files import clients_for, fetched, needs_fetch
from scanner.pipeline.decide import ScannedItem, store_many
from scanner.pipeline.io_pool import map_on_io_threads
from scanner.pipeline.item import (
    MAX_ITEM_STARTS,
    RETRIED_ERRORS,
    record_item_failure,
    scan_media,
    uncount_start,
)
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)

BATCH_SIZE = 32

Outcome = tuple[ScannedItem, int] | StorageError | ArrTransientError


@dataclass
class StartedBatch:
    run_id: int
    items: list[ScanItem]
    worn: list[ScanItem]
    options: ScanOptions
    reading: Future[list[Outcome]]


def start_batch(run_id: int, item_ids: list[int], reader: Executor) -> StartedBatch | None:
    """Claim these items and start reading them on ``reader``; None when the run is no
    longer running."""
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    if run.status != ScanRun.Status.RUNNING or run.cancel_requested:
        return None
    items = list(
        ScanItem.objects.filter(run=run, pk__in=item_ids, status=ScanItem.Status.PENDING)
        .select_related("media")
        .order_by("pk")
    )
    worn = [item for item in items if item.attempts >= MAX_ITEM_STARTS]
    items = [item for item in items if item.attempts < MAX_ITEM_STARTS]
    ScanItem.objects.filter(pk__in=[item.pk for item in items]).update(attempts=F("attempts") + 1)
    options = ScanOptions.for_run(run.instance, run)
    rewrite = run.mode == ScanRun.Mode.REWRITE
    stored = _stored_files([item.media_id for item in items])
    clients = clients_for(run.instance) if any(needs_fetch(i.arr_files) for i in items) else None

    def scan(item: ScanItem) -> Outcome:
        try:
            arr_files, requests = item.arr_files, 0
            if clients is not None and needs_fetch(arr_files):
                arr_files, requests = fetched(clients, item.media, arr_files)  # type: ignore[arg-type]
            scanned = scan_media(
                item.media, options, rewrite=rewrite, arr_files=arr_files,
                stored=stored.get(item.media_id, {}),
            )  # fmt: skip
            return scanned, requests
        except RETRIED_ERRORS as exc:
            return exc

    reading = reader.submit(map_on_io_threads, scan, items)
    return StartedBatch(run_id, items, worn, options, reading)


def finish_batch(batch: StartedBatch) -> tuple[Next, list[int]]:
    """Store what the batch read; returns the next work and the items left for the
    one-at-a-time step."""
    outcomes = batch.reading.result()
    pairs = list(zip(batch.items, outcomes, strict=True))
    done = [(item, out) for item, out in pairs if isinstance(out, tuple)]
    left = [item.pk for item, out in pairs if not isinstance(out, tuple)]
    closing = _commit(batch.run_id, done, batch.options)
    uncount_start(left)  # handed back on an error the retry policy handles, not a crash
    for item in batch.worn:
        closing += record_item_failure(item.pk, f"gave up after {MAX_ITEM_STARTS} starts")
    return closing or runs.ready_to_apply(batch.run_id), left


def _stored_files(media_ids: list[int]) -> dict[int, dict[str, MediaFile]]:
    stored: dict[int, dict[str, MediaFile]] = defaultdict(dict)
    for row in MediaFile.objects.filter(media_id__in=media_ids):
        stored[row.media_id][row.path] = row
    return stored


def _commit(
    run_id: int, done: list[tuple[ScanItem, tuple[ScannedItem, int]]], options: ScanOptions
) -> Next:
    if not done:
        return NOTHING
    with transaction.atomic():
        store_many([(item.media, scanned) for item, (scanned, _) in done], options)
        finished = ScanItem.objects.filter(
            pk__in=[item.pk for item, _ in done], status=ScanItem.Status.PENDING
        ).update(status=ScanItem.Status.DONE)
        if not finished:
            return NOTHING
        return runs.count_items_done(
            run_id,
            items=finished,
            files_probed=sum(scanned.files_probed for _, (scanned, _) in done),
            file_errors=sum(scanned.file_errors for _, (scanned, _) in done),
            arr_requests=sum(requests for _, (_, requests) in done),
        )
