"""Scan one media item: list its files (or ask the *arr for them, when the plan left
that to the item), probe only the changed ones, decide its tag.

Idempotent: the item is claimed with a compare-and-set on its ScanItem row, its
results and the run's counters are written in one transaction, so a task that is
delivered twice (acks_late after a worker died) changes nothing the second time.
A StorageError (the item's folder cannot be read) or an ArrTransientError (its *arr
did not answer) is raised for the caller's retry policy (scanner.pipeline.steps) to
decide on.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from scanner import names
from scanner.engine.library import VideoFile, counted_files
from scanner.engine.probe import read_tracks
from scanner.engine.tracks import FileTracks
from scanner.errors import ArrTransientError, StorageError
from scanner.models import Event, Media, MediaFile, ScanItem, ScanRun
from scanner.pipeline import runs
from scanner.pipeline.arr_files import clients_for, fetched, needs_fetch
from scanner.pipeline.decide import (
    ScannedFile,
    ScannedItem,
    decide,
    file_row,
    judge,
    store,
    stored_tracks,
)
from scanner.pipeline.io_pool import map_in_folder
from scanner.pipeline.item_arr import scan_files_arr
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.prefetch import discover
from scanner.pipeline.work import NOTHING, Next

logger = logging.getLogger(__name__)

# A worker that dies on an item (a file that crashes MediaInfo) gets it back through
# acks_late; after this many starts the item is failed instead of killing more workers.
MAX_ITEM_STARTS = 5


def scan_run_item(run_id: int, item_id: int) -> Next:
    """The step for one item of a run (the Celery task ``scan_item`` runs it): claim it,
    read what changed, store its verdict and count it, in one transaction."""
    item = (
        ScanItem.objects.select_related("run__instance", "media")
        .filter(pk=item_id, run_id=run_id)
        .first()
    )
    if item is None or item.status != ScanItem.Status.PENDING:
        return NOTHING  # gone, or already done by an earlier delivery
    run = item.run
    if run.status != ScanRun.Status.RUNNING or run.cancel_requested:
        return NOTHING  # cancelled, failed or interrupted: stop early, apply nothing
    logger.debug("scan #%s: item %s (%s) starts", run_id, item_id, item.media.title)
    claimed = ScanItem.objects.filter(
        pk=item_id, status=ScanItem.Status.PENDING, attempts__lt=MAX_ITEM_STARTS
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return record_item_failure(item_id, f"gave up after {MAX_ITEM_STARTS} starts")
    options = ScanOptions.for_run(run.instance, run)
    rewrite = run.mode == ScanRun.Mode.REWRITE
    try:
        arr_files, requests = item.arr_files, 0
        if needs_fetch(arr_files):
            clients = clients_for(run.instance)
            arr_files, requests = fetched(clients, item.media, arr_files)  # type: ignore[arg-type]
        scanned = scan_media(item.media, options, rewrite=rewrite, arr_files=arr_files)
    except RETRIED_ERRORS:
        uncount_start([item_id])
        raise
    return _commit(item, scanned, options, arr_requests=requests)


# Errors the retry policy handles (scanner.pipeline.steps): a start that ends in one is
# not a crash, so it does not count towards MAX_ITEM_STARTS.
RETRIED_ERRORS = (StorageError, ArrTransientError)


def uncount_start(item_ids: list[int]) -> None:
    ScanItem.objects.filter(pk__in=item_ids, attempts__gt=0).update(attempts=F("attempts") - 1)


def scan_media(
    media: Media,
    options: ScanOptions,
    *,
    rewrite: bool,
    arr_files: dict[str, Any] | None = None,
    stored: dict[str, MediaFile] | None = None,
) -> ScannedItem:
    """Probe what changed; reuse the stored tracks of unchanged files. Writes nothing
    (``stored``: the item's stored files, when the caller loaded them already). With
    the *arr's files (arr and hybrid audio sources), its media info comes first."""
    if stored is None:
        stored = {row.path: row for row in media.files.all()}
    if arr_files is not None and options.audio_source != "files":
        files, counted, problems = scan_files_arr(
            media, options, arr_files, stored, rewrite=rewrite
        )
        counted_paths = {video.relpath for video in counted}
        return decide(
            media, files, options, problems=problems,
            stale_file_ids=[row.pk for path, row in stored.items() if path not in counted_paths],
            files_fingerprint=arr_files.get("fingerprint", ""),
            arr_files=arr_files.get("files"),
        )  # fmt: skip
    discovery = discover(media.path, media.kind, stats_at_once=True)
    counted = counted_files(
        discovery,
        count_specials=options.count_specials,
        season_counted=options.season_filter(media),
        quick_mode=options.quick_mode,
    )
    files = scan_files(media, counted, stored, options, rewrite=rewrite)
    counted_paths = {video.relpath for video in counted}
    problems = [{"path": names.display(p.relpath), "reason": p.reason} for p in discovery.problems]
    return decide(
        media,
        files,
        options,
        problems=problems,
        stale_file_ids=[row.pk for path, row in stored.items() if path not in counted_paths],
    )


def scan_files(
    media: Media,
    counted: list[VideoFile],
    stored: dict[str, MediaFile],
    options: ScanOptions,
    *,
    rewrite: bool,
) -> list[ScannedFile]:
    """The counted files: stored tracks when unchanged, the rest probed (on a share
    several at once, see ``map_in_folder``)."""
    now = timezone.now()
    reused = {
        video.relpath: _unchanged(stored.get(video.relpath), video, rewrite) for video in counted
    }
    to_read = [video.relpath for video in counted if reused[video.relpath] is None]
    paths = [Path(media.path) / relpath for relpath in to_read]
    read = dict(zip(to_read, map_in_folder(read_tracks, paths, media.path), strict=True))
    files = []
    for video in counted:
        old = reused[video.relpath]
        if old is not None:
            tracks, error, probed_at = stored_tracks(old), "", old.probed_at
        else:
            (tracks, error), probed_at = read[video.relpath], now
        files.append(_scanned(media, video, tracks, error, probed_at, options, probed=old is None))
    return files


def _unchanged(old: MediaFile | None, video: VideoFile, rewrite: bool) -> MediaFile | None:
    """The stored row, when the file is unchanged since it was read and read well."""
    if old is None or rewrite or old.result in ("", MediaFile.Result.ERROR):
        return None
    return old if (old.size, old.mtime_ns) == (video.size, video.mtime_ns) else None


def _scanned(
    media: Media,
    video: VideoFile,
    tracks: FileTracks,
    error: str,
    probed_at: datetime | None,
    options: ScanOptions,
    *,
    probed: bool,
) -> ScannedFile:
    result = judge(media, video.relpath, video.season, video.episodes, tracks, error, options)
    row = file_row(
        media,
        video.relpath,
        size=video.size,
        mtime_ns=video.mtime_ns,
        episodes=list(video.episodes),
        audio_tracks=[t.to_dict() for t in tracks.audio],
        subtitle_tracks=[t.to_dict() for t in tracks.subtitles],
        result=result,
        error=error,
        probed_at=probed_at,
    )
    return ScannedFile(row, result, probed=probed)


def _commit(
    item: ScanItem, scanned: ScannedItem, options: ScanOptions, *, arr_requests: int
) -> Next:
    """The item's files, seasons and planned tag, its "done" and the run's counters: one
    transaction, so a worker that dies half-way leaves the item pending and nothing else.
    The apply step when it was the run's last item."""
    with transaction.atomic():
        store(item.media, scanned, options)
        done = ScanItem.objects.filter(pk=item.pk, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.DONE
        )
        if not done:  # a second delivery of the same item counts nothing twice
            return NOTHING
        return runs.count_items_done(
            item.run_id,
            items=1,
            files_probed=scanned.files_probed,
            file_errors=scanned.file_errors,
            arr_requests=arr_requests,
        )


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
