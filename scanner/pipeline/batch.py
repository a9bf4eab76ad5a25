"""Several items of a run at once, for the inline runner: their folder listings and
file reads on the I/O threads together (on a NAS each waits on the network), their
results written in one transaction with a fixed number of statements.

The same steps as one item at a time (scan_media, then the stored verdict); an item
whose folder cannot be read is handed back, and the one-at-a-time step, with its
retry policy, takes it from there.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F

from scanner.errors import StorageError
from scanner.models import MediaFile, ScanItem, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.decide import ScannedItem, store_many
from scanner.pipeline.io_pool import read_all
from scanner.pipeline.item import MAX_ITEM_STARTS, record_item_failure, scan_media
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)

BATCH_SIZE = 32


def scan_batch(run_id: int, item_ids: list[int]) -> tuple[Next, list[int]]:
    """Scan these items; returns the next work and the items left for the one-at-a-time
    step (their folder could not be read)."""
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    if run.status != ScanRun.Status.RUNNING or run.cancel_requested:
        return NOTHING, []
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

    def scan(item: ScanItem) -> ScannedItem | StorageError:
        try:
            return scan_media(
                item.media, options, rewrite=rewrite, arr_files=item.arr_files,
                stored=stored.get(item.media_id, {}),
            )  # fmt: skip
        except StorageError as exc:
            return exc

    outcomes = read_all(scan, items)
    done = [(item, out) for item, out in zip(items, outcomes, strict=True) if not _failed(out)]
    left = [item.pk for item, out in zip(items, outcomes, strict=True) if _failed(out)]
    _commit(run_id, done, options)  # type: ignore[arg-type]
    for item in worn:
        record_item_failure(item.pk, f"gave up after {MAX_ITEM_STARTS} starts")
    return runs.ready_to_apply(run_id), left


def _failed(outcome: ScannedItem | StorageError) -> bool:
    return isinstance(outcome, StorageError)


def _stored_files(media_ids: list[int]) -> dict[int, dict[str, MediaFile]]:
    stored: dict[int, dict[str, MediaFile]] = defaultdict(dict)
    for row in MediaFile.objects.filter(media_id__in=media_ids):
        stored[row.media_id][row.path] = row
    return stored


def _commit(run_id: int, done: list[tuple[ScanItem, ScannedItem]], options: ScanOptions) -> None:
    if not done:
        return
    with transaction.atomic():
        store_many([(item.media, scanned) for item, scanned in done], options)
        finished = ScanItem.objects.filter(
            pk__in=[item.pk for item, _ in done], status=ScanItem.Status.PENDING
        ).update(status=ScanItem.Status.DONE)
        if finished:
            runs.count_items_done(
                run_id,
                items=finished,
                files_probed=sum(scanned.files_probed for _, scanned in done),
                file_errors=sum(scanned.file_errors for _, scanned in done),
            )
