"""Scan one media item: list its files, probe only the changed ones, decide its tag.

Idempotent: the item is claimed with a compare-and-set on its ScanItem row, its
results and the run's counters are written in one transaction, so a task that is
delivered twice (acks_late after a worker died) changes nothing the second time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from scanner.engine.library import counted_files
from scanner.engine.probe import AudioTrack, probe
from scanner.engine.verdict import FileResult, file_result, item_verdict
from scanner.errors import ProbeError, StorageError
from scanner.models import Event, Media, MediaFile, ScanItem, ScanRun, Season
from scanner.pipeline.dispatch import Dispatcher
from scanner.pipeline.options import ScanOptions
from scanner.pipeline.prefetch import discover

logger = logging.getLogger(__name__)

# A worker that dies on an item (a file that crashes MediaInfo) gets it back through
# acks_late; after this many starts the item is failed instead of killing more workers.
MAX_ITEM_STARTS = 5


@dataclass(frozen=True, slots=True)
class ScannedItem:
    """What scanning one item found, before anything is written."""

    rows: list[MediaFile]  # one per counted file, in verdict order
    results: list[FileResult]
    stale_file_ids: list[int]  # stored files that are gone or no longer counted
    tag: str | None  # None: keep the planned tag (no counted file could be read)
    reasons: dict[str, Any]
    files_probed: int
    file_errors: int


def scan_item(run_id: int, item_id: int, dispatcher: Dispatcher, *, retries_left: int = 0) -> None:
    item = (
        ScanItem.objects.select_related("run__instance", "media")
        .filter(pk=item_id, run_id=run_id)
        .first()
    )
    if item is None or item.status != ScanItem.Status.PENDING:
        return  # gone, or already done by an earlier delivery
    run = item.run
    if run.status != ScanRun.Status.RUNNING or run.cancel_requested:
        return  # cancelled or failed: stop early, apply nothing
    logger.debug("scan #%s: item %s (%s) starts", run_id, item_id, item.media.title)
    claimed = ScanItem.objects.filter(
        pk=item_id, status=ScanItem.Status.PENDING, attempts__lt=MAX_ITEM_STARTS
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        record_item_failure(item_id, f"gave up after {MAX_ITEM_STARTS} starts", dispatcher)
        return
    options = ScanOptions.for_run(run.instance, run)
    try:
        scanned = scan_media(item.media, options, rewrite=run.mode == ScanRun.Mode.REWRITE)
    except StorageError as exc:
        if retries_left > 0:
            raise
        record_item_failure(item_id, str(exc), dispatcher)
        return
    _commit(item, scanned, options)
    dispatcher.barrier(run_id)


def scan_media(media: Media, options: ScanOptions, *, rewrite: bool) -> ScannedItem:
    """Probe what changed; reuse the stored tracks of unchanged files. Writes nothing."""
    root = Path(media.path)
    discovery = discover(media.path, media.kind)
    counted = counted_files(
        discovery,
        count_specials=options.count_specials,
        season_counted=options.season_filter(media),
        quick_mode=options.quick_mode,
    )
    stored = {row.path: row for row in media.files.all()}
    original = media.original_language or None
    now = timezone.now()
    rows: list[MediaFile] = []
    results: list[FileResult] = []
    probed = errors = 0
    for video in counted:
        old = stored.get(video.relpath)
        reuse = (
            old is not None
            and not rewrite
            and (old.size, old.mtime_ns) == (video.size, video.mtime_ns)
            and old.result not in ("", MediaFile.Result.ERROR)
        )
        error = ""
        if reuse:
            tracks = tuple(AudioTrack.from_dict(track) for track in old.audio_tracks)
            probed_at = old.probed_at
        else:
            probed += 1
            probed_at = now
            try:
                tracks = probe(root / video.relpath)
            except ProbeError as exc:
                tracks, error = (), exc.reason
        if error:
            errors += 1
            result = FileResult.failed(video.relpath, video.season, video.episodes, error)
        else:
            result = file_result(
                tracks, original, options.targets, options.policy,
                path=video.relpath, season=video.season, episodes=video.episodes,
            )  # fmt: skip
        results.append(result)
        rows.append(
            MediaFile(
                media=media,
                path=video.relpath,
                size=video.size,
                mtime_ns=video.mtime_ns,
                episodes=list(video.episodes),
                audio_tracks=[t.to_dict() for t in tracks],
                result=_result_code(result),
                error=error,
                probed_at=probed_at,
            )
        )
    counted_paths = {row.path for row in rows}
    verdict = item_verdict(results)
    reasons = dict(verdict.reasons)
    if discovery.problems:
        reasons["problems"] = [{"path": p.relpath, "reason": p.reason} for p in discovery.problems]
    return ScannedItem(
        rows=rows,
        results=results,
        stale_file_ids=[row.pk for path, row in stored.items() if path not in counted_paths],
        tag=verdict.tag.value if verdict.tag is not None else None,
        reasons=reasons,
        files_probed=probed,
        file_errors=errors,
    )


def _result_code(result: FileResult) -> str:
    if result.error is not None:
        return MediaFile.Result.ERROR
    if result.wrong:
        return MediaFile.Result.WRONG
    if result.has_all:
        return MediaFile.Result.ALL
    return MediaFile.Result.SOME if result.has_some else MediaFile.Result.NONE


def _commit(item: ScanItem, scanned: ScannedItem, options: ScanOptions) -> None:
    """The item's files, seasons and planned tag, its "done" and the run's counters: one
    transaction, so a worker that dies half-way leaves the item pending and nothing else."""
    media = item.media
    with transaction.atomic():
        season_ids = _store_seasons(media, scanned.results)
        for row, result in zip(scanned.rows, scanned.results, strict=True):
            row.season_id = season_ids.get(result.season) if result.season is not None else None
        if scanned.stale_file_ids:
            MediaFile.objects.filter(pk__in=scanned.stale_file_ids).delete()
        MediaFile.objects.bulk_create(
            scanned.rows,
            update_conflicts=True,
            unique_fields=["media", "path"],
            update_fields=[
                "season", "size", "mtime_ns", "episodes", "audio_tracks", "result", "error",
                "probed_at",
            ],
        )  # fmt: skip
        if scanned.tag is not None:
            media.planned_tag = scanned.tag
        media.verdict_reasons = scanned.reasons
        media.settings_hash = options.media_hash(media)
        media.file_count = len(scanned.rows)
        media.error_file_count = scanned.file_errors
        media.error = ""
        media.last_scanned_at = timezone.now()
        media.save(
            update_fields=[
                "planned_tag", "verdict_reasons", "settings_hash", "file_count",
                "error_file_count", "error", "last_scanned_at", "updated_at",
            ]
        )  # fmt: skip
        done = ScanItem.objects.filter(pk=item.pk, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.DONE
        )
        if done:  # a second delivery of the same item counts nothing twice
            ScanRun.objects.filter(pk=item.run_id).update(
                items_done=F("items_done") + 1,
                files_probed=F("files_probed") + scanned.files_probed,
                file_errors=F("file_errors") + scanned.file_errors,
                heartbeat_at=timezone.now(),
            )


def _store_seasons(media: Media, results: list[FileResult]) -> dict[int, int]:
    existing = dict(media.seasons.values_list("number", "pk"))
    by_number: dict[int, list[FileResult]] = {}
    for result in results:
        if result.season is not None:
            by_number.setdefault(result.season, []).append(result)
    unmonitored = set(media.unmonitored_seasons)
    seasons = []
    for number, season_results in sorted(by_number.items()):
        verdict = item_verdict(season_results)
        seasons.append(
            Season(
                media=media,
                number=number,
                monitored=number not in unmonitored,
                status=verdict.tag.value if verdict.tag is not None else "unknown",
                file_count=len(season_results),
                files_with_all=sum(1 for r in season_results if r.has_all and not r.error),
                files_with_some=sum(1 for r in season_results if r.has_some and not r.error),
                error_count=sum(1 for r in season_results if r.error is not None),
            )
        )
    stale = [pk for number, pk in existing.items() if number not in by_number]
    if stale:
        Season.objects.filter(pk__in=stale).delete()
    Season.objects.bulk_create(
        seasons,
        update_conflicts=True,
        unique_fields=["media", "number"],
        update_fields=[
            "monitored", "status", "file_count", "files_with_all", "files_with_some",
            "error_count",
        ],
    )  # fmt: skip
    # The upsert returns the ids (PostgreSQL, SQLite >= 3.35); the fallback covers others.
    return {season.number: season.pk or existing[season.number] for season in seasons}


def record_item_failure(item_id: int, reason: str, dispatcher: Dispatcher) -> None:
    """The item is failed with its reason; the run goes on without it."""
    item = ScanItem.objects.select_related("media", "run").filter(pk=item_id).first()
    if item is None:
        return
    with transaction.atomic():
        failed = ScanItem.objects.filter(pk=item_id, status=ScanItem.Status.PENDING).update(
            status=ScanItem.Status.FAILED, error=reason[:2000]
        )
        if not failed:
            return
        ScanRun.objects.filter(pk=item.run_id).update(
            items_failed=F("items_failed") + 1, heartbeat_at=timezone.now()
        )
        Media.objects.filter(pk=item.media_id).update(error=reason[:2000])
        Event.objects.create(
            instance_id=item.run.instance_id,
            media=item.media,
            run=item.run,
            kind=Event.Kind.ITEM_FAILED,
            message=f"{item.media.title}: {reason[:500]}",
        )
    logger.warning("scan #%s: %s failed: %s", item.run_id, item.media.title, reason)
    dispatcher.barrier(item.run_id)
