"""The plan step of a run: sync the library, decide which items need a scan, store them.

Unchanged items (same file fingerprints, same settings, same original language)
are skipped after one directory listing each; only the rest get a ScanItem.
Returns the items to scan, or the apply step when there are none.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from scanner.engine.library import files_digest
from scanner.errors import ShareUnanswered, StorageError
from scanner.models import Media, ScanItem, ScanRun
from scanner.pipeline.scanning.arr_files import episodes_due, planned_payloads, with_episodes
from scanner.pipeline.scanning.audio_source import ARR, FILES, effective_source
from scanner.pipeline.scanning.decide import redecide
from scanner.pipeline.scanning.options import ScanOptions
from scanner.pipeline.scanning.prefetch import FolderPrefetch
from scanner.pipeline.scanning.sources import SourceItem
from scanner.pipeline.scanning.stored import Stored
from scanner.pipeline.scanning.sync import Pairs, SyncedLibrary, listing_ahead, sync_library
from scanner.pipeline.state import runs
from scanner.pipeline.state.leases import new_token
from scanner.pipeline.work import NOTHING, Next, ScanItems

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 200


def plan_run(run_id: int, token: int | None = None) -> Next:
    """The run planned by the holder of ``token`` (drawn here when None: a first try);
    nothing when another holds it or it moved on (ended, planned, cancelled)."""
    token = token or new_token()
    if not runs.claim_plan(run_id, token):
        status = ScanRun.objects.filter(pk=run_id).values_list("status", flat=True).first()
        logger.info(
            "scan #%s is not planned here: it is %s (taken by another worker or by "
            "scan --inline, or it moved on); this step steps aside",
            run_id, status or "gone",
        )  # fmt: skip
        return NOTHING
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    instance = run.instance
    source = effective_source(instance)
    lists = run.mode == ScanRun.Mode.NORMAL and source != ARR  # else no folder is listed
    in_scope = instance.media.all()
    if run.scope:
        in_scope = in_scope.filter(instance.scope_filter(run.scope))
    # Items an unfinished try of this plan stored (a retry, or a holder that was lost):
    # none was sent, as items are sent once the run is planned; this try stores its own.
    ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING).delete()
    # While the *arr answers, the known folders are listed (see prefetch.py). The listed
    # items are then stored and judged in batches (sync.BATCH): a batch's stored rows
    # are read in one statement, their files' digest with them (no file row is read),
    # and the batch's items to scan are stored at once: of a batch only its ids are kept.
    with listing_ahead(instance, run.scope, needs_folders=source != ARR) as listing:
        # In the order the items were stored: the order the *arr lists them.
        folders = in_scope.order_by("pk").values_list("path", "kind") if lists else []
        prefetch = FolderPrefetch(list(folders))
        try:
            judge = WorkJudge(run, prefetch, source)
            synced = sync_library(run, listing(), judge)
            if run.mode == ScanRun.Mode.REDECIDE:
                _decide_again(run, synced.ids)
        finally:
            prefetch.close()
    item_ids = _store_plan(run, token, synced, source)
    if item_ids is None:
        return NOTHING  # cancelled or interrupted while planning
    logger.info(
        "scan #%s of %s: %d items listed, %d to scan, %d unchanged",
        run_id, instance.name, len(synced.ids), len(item_ids), len(synced.ids) - len(item_ids),
    )  # fmt: skip
    if item_ids:
        return (ScanItems(run_id, tuple(item_ids)),)
    return runs.ready_to_apply(run_id)


class WorkJudge:
    """Which listed items the run scans, told a batch at a time (sync.upsert_media):
    each batch's items to scan are stored as scan items with their payloads at once,
    so a first plan of 70,000 items holds one batch of rows, not 70,000."""

    def __init__(self, run: ScanRun, prefetch: FolderPrefetch, source: str) -> None:
        self.run = run
        self.prefetch = prefetch
        self.source = source
        self.seen = 0
        self.options: ScanOptions | None = None
        self.named: frozenset[int] = frozenset()
        self.every = run.mode == ScanRun.Mode.REWRITE
        self.none = run.mode in (ScanRun.Mode.REMOVE, ScanRun.Mode.APPLY, ScanRun.Mode.REDECIDE)
        # The arr source sees no folder: Radarr lists a movie's subtitle files (Sonarr has
        # no such list), asked for by the item when they matter (subtitle tags on).
        self.subtitles = source == ARR and run.instance.subtitle_tags
        self.changes = run.webhook_file_changes or None
        if run.trigger == ScanRun.Trigger.WEBHOOK and source != FILES and not self.none:
            if run.scope:
                # The *arr said these items' files changed; its statistics may not show it.
                self.every = True
            else:
                # A scan of the whole instance, for more items than webhooks remember one
                # by one (state/webhook_requests.py): those they named are read whatever
                # it lists.
                self.named = frozenset(run.webhook_items or ())

    def __call__(self, pairs: Pairs) -> None:
        if self.none:
            return
        work = pairs if self.every else [pair for pair in pairs if self._needed(*pair)]
        if work:
            self._store(work)

    def _needed(self, item: Stored, listed: SourceItem) -> bool:
        if self.options is None:
            self.options = ScanOptions.for_run(self.run.instance, self.run)
        if self.seen % HEARTBEAT_EVERY == 0:
            runs.heartbeat(self.run.pk)
        self.seen += 1
        needed = item.arr_id in self.named or _needs_scan(
            item, listed, self.options, self.prefetch, self.source
        )
        self.prefetch.passed(item.path)  # its listing, if it was not needed, is dropped
        return needed

    def _store(self, work: Pairs) -> None:
        """The batch's scan items, each with what the item step starts from."""
        if self.source == FILES:
            payloads: dict[int, dict[str, object]] = {}
        else:
            payloads = planned_payloads(work, self.changes, subtitles=self.subtitles)
        payloads = with_episodes(payloads, work)  # Sonarr's episode list, whatever the source
        ScanItem.objects.bulk_create(
            [ScanItem(run=self.run, media_id=m.pk, arr_files=payloads.get(m.pk)) for m, _ in work],
            ignore_conflicts=True,
        )


def _decide_again(run: ScanRun, ids: list[int]) -> None:
    """Each listed item's verdict again from its stored tracks (nothing is read), as a
    person's decision asks; read again here, so that a decision saved while the run was
    queued counts."""
    for start in range(0, len(ids), HEARTBEAT_EVERY):
        runs.heartbeat(run.pk)
        chunk = Media.objects.filter(pk__in=ids[start : start + HEARTBEAT_EVERY])
        for media in chunk.select_related("instance").order_by("pk"):
            redecide(media)


def _store_plan(run: ScanRun, token: int, synced: SyncedLibrary, source: str) -> list[int] | None:
    """The run's plan counters, once its scan items are stored (WorkJudge): the items
    to send are those stored, read back."""
    with transaction.atomic():
        item_ids = list(
            ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        planned = runs.mark_planned(
            run.pk,
            token,
            items_total=len(item_ids),
            items_skipped=max(0, len(synced.ids) - len(item_ids)),
            arr_requests=F("arr_requests") + synced.listing.requests,
            audio_source=source,
            arr_tag_ids=synced.listing.tag_ids,
            summary={
                "listed": len(synced.ids),
                "not_listed": synced.listing.skipped,
                "removed": synced.removed,
            },
        )
        if not planned:
            transaction.set_rollback(True)
            return None
    return item_ids


def _needs_scan(
    media: Stored,
    listed: SourceItem,
    options: ScanOptions,
    prefetch: FolderPrefetch,
    source: str,
) -> bool:
    if media.last_scanned_at is None or media.error:
        return True
    if media.settings_hash != options.settings_hash(media):
        return True
    if episodes_due(media, listed):
        return True  # the series' page has no episode list, or its files changed since
    if source != FILES and media.files_fingerprint != listed.files_fingerprint:
        return True  # the *arr's files changed (count, size, or the movie file)
    if source == ARR:
        return False  # nothing more to look at: no folder is opened
    try:
        discovery = prefetch.discovery(media.path, media.kind)
    except ShareUnanswered:
        # The share stopped answering: every item on it would wait its hold limit in turn
        # and fail alike; the plan fails the run once, with that reason.
        raise
    except StorageError:
        return True  # the item step records why
    counted = options.counted(discovery, media)
    # The stored files as one digest, read with the item's row (decide._set_verdict
    # writes it): empty, as stored before the digest existed, never matches.
    return files_digest(video.fingerprint for video in counted) != media.files_digest
