"""The plan step of a run: list the items once, store them, decide which need a scan.

Unchanged items (same file fingerprints, same settings, same original language)
are skipped after one directory listing each; only the rest get a ScanItem and
a task.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from scanner.engine.library import counted_files
from scanner.errors import StorageError
from scanner.models import Event, Instance, Media, MediaFile, ScanItem, ScanRun, TagKind
from scanner.pipeline.dispatch import Dispatcher
from scanner.pipeline.options import BULK_UPDATE_BATCH, ScanOptions
from scanner.pipeline.prefetch import FolderPrefetch
from scanner.pipeline.runs import heartbeat
from scanner.pipeline.sources import SourceItem, SourceListing, list_sources

logger = logging.getLogger(__name__)

Fingerprints = dict[int, set[tuple[str, int, int]]]
HEARTBEAT_EVERY = 200
# A listing shorter than this (a webhook's scoped run) loads only its own items'
# rows and stored files, not the whole library's.
SCOPED_LOAD_LIMIT = 100
# More than this share of known items vanishing in one listing looks like an
# unmounted share or a wrong path mapping, not a library that lost them.
ORPHAN_GUARD_SHARE = 0.5
ORPHAN_GUARD_MIN = 5
MEDIA_FIELDS = (
    "arr_id", "title", "path", "arr_path", "original_language", "genres", "monitored",
    "unmonitored_seasons", "arr_tag_ids", "applied_tag",
)  # fmt: skip


def plan_run(run_id: int, dispatcher: Dispatcher) -> None:
    now = timezone.now()
    claimed = ScanRun.objects.filter(
        pk=run_id,
        status__in=[ScanRun.Status.QUEUED, ScanRun.Status.RUNNING],
        planned_at__isnull=True,
        cancel_requested=False,
    ).update(status=ScanRun.Status.RUNNING, started_at=Coalesce(F("started_at"), now),
             heartbeat_at=now)  # fmt: skip
    if not claimed:
        return
    run = ScanRun.objects.select_related("instance").get(pk=run_id)
    instance = run.instance
    compares = run.mode == ScanRun.Mode.NORMAL  # rewrite scans all, remove scans nothing
    known = instance.media.filter(arr_id__in=run.scope) if run.scope else instance.media.all()
    prefetch = FolderPrefetch(list(known.values_list("path", "kind")) if compares else [])
    try:
        listing = list_sources(instance, run.scope, create_tags=not run.dry_run)
        media = upsert_media(instance, listing)
        removed = remove_orphans(run, listing, media)
        options = ScanOptions.for_run(instance, run)
        if run.mode == ScanRun.Mode.REMOVE:
            work: list[Media] = []
        elif run.mode == ScanRun.Mode.REWRITE:
            work = list(media)
        else:
            stored = _stored_fingerprints(instance, media)
            work = [
                m for i, m in enumerate(media)
                if _needs_work(m, options, stored, prefetch, run, i)
            ]  # fmt: skip
    finally:
        prefetch.close()
    with transaction.atomic():
        ScanItem.objects.bulk_create(
            [ScanItem(run=run, media=m) for m in work], ignore_conflicts=True, batch_size=1000
        )
        item_ids = list(
            ScanItem.objects.filter(run=run, status=ScanItem.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        ScanRun.objects.filter(pk=run_id).update(
            items_total=len(work),
            items_skipped=len(media) - len(work),
            arr_requests=F("arr_requests") + listing.requests,
            planned_at=timezone.now(),
            heartbeat_at=timezone.now(),
            summary={
                "listed": len(media),
                "not_listed": listing.skipped,
                "removed": removed,
                "tag_ids": listing.tag_ids,
            },
        )
    logger.info(
        "scan #%s of %s: %d items listed, %d to scan, %d unchanged",
        run_id, instance.name, len(media), len(work), len(media) - len(work),
    )  # fmt: skip
    if item_ids:
        dispatcher.items(run_id, item_ids)
    else:
        dispatcher.barrier(run_id)


def upsert_media(instance: Instance, listing: SourceListing) -> list[Media]:
    """Create or update the Media rows of the listed items, in bulk; returns them in order."""
    existing = list(_matchable_media(instance, listing))
    by_arr_id = {m.arr_id: m for m in existing if m.arr_id is not None}
    by_path = {m.path: m for m in existing}
    managed = _managed_tag_kinds(instance, listing)
    listed: list[Media] = []
    to_create: list[Media] = []
    to_update: list[Media] = []
    seen_paths: set[str] = set()
    now = timezone.now()  # bulk_update does not apply auto_now
    for source in listing.items:
        if source.local_path in seen_paths:
            listing.skip("shares its folder with another item")
            continue
        seen_paths.add(source.local_path)
        media = by_arr_id.get(source.arr_id) if source.arr_id is not None else None
        media = media or by_path.get(source.local_path)
        values = _media_values(instance, source, managed, media)
        if media is None:
            media = Media(instance=instance, kind=instance.media_kind, **values)
            to_create.append(media)
        elif any(getattr(media, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(media, name, value)
            media.updated_at = now
            to_update.append(media)
        listed.append(media)
    with transaction.atomic():
        Media.objects.bulk_update(
            to_update, [*MEDIA_FIELDS, "updated_at"], batch_size=BULK_UPDATE_BATCH
        )
        Media.objects.bulk_create(to_create, batch_size=500)
    return listed


def _matchable_media(instance: Instance, listing: SourceListing) -> QuerySet[Media]:
    """The rows a listed item can match (same *arr id or same folder). Without the
    verdict reasons: the largest field, which planning never reads (decoding it for
    2,000 series took ~0.4 s, on every webhook)."""
    rows = instance.media.defer("verdict_reasons")
    if len(listing.items) < SCOPED_LOAD_LIMIT:
        arr_ids = [item.arr_id for item in listing.items if item.arr_id is not None]
        paths = [item.local_path for item in listing.items]
        rows = rows.filter(Q(arr_id__in=arr_ids) | Q(path__in=paths))
    return rows


def _managed_tag_kinds(instance: Instance, listing: SourceListing) -> dict[int, str]:
    return {
        listing.tag_ids[label]: kind
        for kind, label in instance.tag_labels().items()
        if label in listing.tag_ids
    }


def _media_values(
    instance: Instance, source: SourceItem, managed: dict[int, str], media: Media | None
) -> dict[str, object]:
    values: dict[str, object] = {
        "arr_id": source.arr_id,
        "title": source.title[:500],
        "path": source.local_path,
        "arr_path": source.arr_path,
        "original_language": source.original_language,
        "genres": list(source.genres),
        "monitored": source.monitored,
        "unmonitored_seasons": list(source.unmonitored_seasons),
        "arr_tag_ids": sorted(source.tag_ids),
    }
    if instance.is_arr:
        # What the *arr says is on the item is what is applied, whatever we wrote before.
        kinds = [managed[tag_id] for tag_id in source.tag_ids if tag_id in managed]
        planned = media.planned_tag if media else ""
        values["applied_tag"] = (
            planned if planned in kinds else (kinds[0] if kinds else TagKind.NONE)
        )
    elif media is None:
        values["applied_tag"] = TagKind.NONE
    else:
        values["applied_tag"] = media.applied_tag
    return values


def remove_orphans(run: ScanRun, listing: SourceListing, listed: list[Media]) -> int:
    """Items that left the *arr or whose folder is gone leave the database (not the disk)."""
    instance = run.instance
    if listing.complete:
        orphans = instance.media.exclude(pk__in=[m.pk for m in listed])
    else:
        orphans = instance.media.filter(arr_id__in=listing.gone_arr_ids)
    doomed = list(orphans.only("pk", "title", "path", "arr_id"))
    if not doomed:
        return 0
    known = len(doomed) + len(listed)
    too_many = len(doomed) > max(ORPHAN_GUARD_MIN, ORPHAN_GUARD_SHARE * known)
    if listing.complete and too_many and run.mode != ScanRun.Mode.REWRITE:
        message = (
            f"{len(doomed)} of {known} items are missing from this listing; not removing "
            "them (check the mounts, root folders and path mappings, or scan in rewrite mode)"
        )
        logger.warning("scan #%s of %s: %s", run.pk, instance.name, message)
        Event.objects.create(instance=instance, run=run, kind=Event.Kind.CONFIG, message=message)
        return 0
    with transaction.atomic():
        Event.objects.bulk_create(
            [
                Event(
                    instance=instance,
                    run=run,
                    kind=Event.Kind.MEDIA_REMOVED,
                    message=f"{m.title} left the library",
                    data={"title": m.title, "path": m.path, "arr_id": m.arr_id},
                )
                for m in doomed
            ]
        )
        Media.objects.filter(pk__in=[m.pk for m in doomed]).delete()
    return len(doomed)


def _stored_fingerprints(instance: Instance, listed: list[Media]) -> Fingerprints:
    stored: Fingerprints = defaultdict(set)
    rows = MediaFile.objects.filter(media__instance=instance)
    if len(listed) < SCOPED_LOAD_LIMIT:  # a scoped run: fetch only its items' files
        rows = rows.filter(media__in=[m.pk for m in listed])
    for media_id, path, size, mtime_ns in rows.values_list(
        "media_id", "path", "size", "mtime_ns"
    ).iterator(chunk_size=5000):
        stored[media_id].add((path, size, mtime_ns))
    return stored


def _needs_work(
    media: Media,
    options: ScanOptions,
    stored: Fingerprints,
    prefetch: FolderPrefetch,
    run: ScanRun,
    position: int,
) -> bool:
    if position % HEARTBEAT_EVERY == 0:
        heartbeat(run.pk)
    if media.last_scanned_at is None or media.error:
        return True
    if media.settings_hash != options.media_hash(media):
        return True
    try:
        discovery = prefetch.discovery(media.path, media.kind)
    except StorageError:
        return True  # the item step records why
    counted = counted_files(
        discovery,
        count_specials=options.count_specials,
        season_counted=options.season_filter(media),
        quick_mode=options.quick_mode,
    )
    return {video.fingerprint for video in counted} != stored.get(media.pk, set())
