"""A scan's items' posters and fanart brought up to date, on workers, after the run
ended: from the *arr, at the addresses its listing gave the scan (Media.arr_covers),
with its key (never the browser's business); or from a library folder's own files.

Only what changed is fetched: the *arr's cover address carries the image's lastWrite,
a folder file its size and time. ``chunks_to_refresh`` reads, in three queries, which
of the run's items have an image to fetch or drop (an *arr item whose addresses are
all stored, or failed for good at that address, costs nothing more: a rescan with
nothing changed sends no task and asks the *arr for nothing); ``refresh_chunk`` does
a chunk of them (a task each, scanner.tasks), its images fetched side by side within
bounds (scanner.artwork.fetch) under a lease (scanner.artwork.leases), its reads and
writes in bulk. Artwork never fails an item or a run: a failure is one log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Q
from django.utils import timezone

from scanner.arr.covers import COVER_HEIGHTS
from scanner.artwork import leases
from scanner.artwork.fetch import Fetched, Made, Wanted, fetch_all
from scanner.artwork.folder_files import find_folder_file, library_root
from scanner.errors import ArrError, ConfigError
from scanner.models import Artwork, Instance, Media, ScanRun
from scanner.runtime.hold import call_within_hold, holding

logger = logging.getLogger(__name__)

KINDS = tuple(COVER_HEIGHTS)
# Items per task: a hundred images, fetched THREADS at a time.
CHUNK_ITEMS = 50
# What each stored image was made from, by (media id, kind).
Stored = dict[leases.Key, str]


@dataclass
class ArtworkCounts:
    fetched: int = 0
    unchanged: int = 0
    removed: int = 0
    busy: int = 0  # held by another refresh, which fetches them
    skipped: int = 0  # failed for good at this address earlier
    failed: list[str] = field(default_factory=list)

    def add(self, other: ArtworkCounts) -> None:
        self.fetched += other.fetched
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.busy += other.busy
        self.skipped += other.skipped
        self.failed += other.failed


@dataclass(frozen=True)
class Chunk:
    instance_id: int
    media_ids: tuple[int, ...]


def chunks_of_run(run_id: int) -> list[Chunk]:
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None:
        return []
    return chunks_to_refresh(run.instance, run.scope or ())


def _media(instance: Instance, scope: Iterable[int]) -> Q:
    wanted = tuple(scope)
    return Q(instance=instance) & (instance.scope_filter(wanted) if wanted else Q())


def chunks_to_refresh(instance: Instance, scope: Iterable[int] = ()) -> list[Chunk]:
    """The instance's media (those of ``scope`` when given: *arr ids, or media ids for a
    library folder) with an image to fetch or drop, in chunks of CHUNK_ITEMS. A folder's
    files are looked at by the chunks (on a share, that is where the time goes)."""
    media = Media.objects.filter(_media(instance, scope))
    if instance.is_arr:
        listed = list(media.exclude(arr_id=None).values_list("pk", "arr_covers"))
        media_ids = [pk for pk, _ in listed]
        stored = _stored(media_ids)
        failed = leases.failed_sources(media_ids)
        due = [
            pk
            for pk, covers in listed
            if any(_due(pk, kind, _wanted_of(covers, kind), stored, failed) for kind in KINDS)
        ]
    else:
        due = list(media.values_list("pk", flat=True))
    due.sort()
    return [
        Chunk(instance.pk, tuple(due[start : start + CHUNK_ITEMS]))
        for start in range(0, len(due), CHUNK_ITEMS)
    ]


def _due(
    pk: int, kind: str, source: str | None, stored: Stored, failed: dict[leases.Key, str]
) -> bool:
    """An image to fetch (a new address that did not fail) or to drop."""
    if not source:
        return (pk, kind) in stored
    return source not in (stored.get((pk, kind)), failed.get((pk, kind)))


def _wanted_of(covers: object, kind: str) -> str | None:
    return covers.get(kind) if isinstance(covers, dict) else None


def _stored(media_ids: list[int]) -> Stored:
    rows = Artwork.objects.filter(media_id__in=media_ids).values_list("media_id", "kind", "source")
    return {(media_id, kind): source for media_id, kind, source in rows}


def refresh_artwork(instance: Instance, scope: Iterable[int] = ()) -> ArtworkCounts:
    """Every chunk of the instance's media, one after the other in this process (the
    workers run them as tasks side by side: scanner.tasks)."""
    counts = ArtworkCounts()
    for chunk in chunks_to_refresh(instance, scope):
        counts.add(refresh_chunk(chunk, instance=instance))
    return counts


def refresh_chunk(
    chunk: Chunk, *, token: int | None = None, instance: Instance | None = None
) -> ArtworkCounts:
    """The images of the chunk's items that changed, fetched and stored; ``token`` the
    leases' (a task's own, kept when its message comes again). Its waits on the *arr and
    the share end by the hold limit (scanner.runtime.hold)."""
    with holding():
        return _refresh_chunk(chunk, token, instance)


def _refresh_chunk(chunk: Chunk, token: int | None, instance: Instance | None) -> ArtworkCounts:
    counts = ArtworkCounts()
    if instance is None:
        instance = Instance.objects.filter(pk=chunk.instance_id).first()
    if instance is None:
        return counts
    fields = ("pk", "title", "arr_id", "arr_covers", "path")
    rows = Media.objects.filter(instance=instance, pk__in=chunk.media_ids).only(*fields)
    media = list(rows.exclude(arr_id=None) if instance.is_arr else rows)
    ids = [item.pk for item in media]
    stored = _stored(ids)
    failed = leases.failed_sources(ids)
    wanted: list[Wanted] = []
    gone: list[leases.Key] = []
    for item in media:
        for each in _sources(instance, item):
            key = each.key
            if not each.source:
                if key in stored:
                    gone.append(key)
            elif stored.get(key) == each.source:
                counts.unchanged += 1
            elif failed.get(key) == each.source:
                counts.skipped += 1
            else:
                wanted.append(each)
    if gone:
        Artwork.objects.filter(leases.of_keys(gone)).delete()
        counts.removed += len(gone)
    if wanted:
        _fetch_and_store(instance, wanted, token or leases.new_token(), counts)
    return counts


def _sources(instance: Instance, item: Media) -> list[Wanted]:
    """Each kind's source of the item ("" when it has none)."""
    if instance.is_arr:
        covers = item.arr_covers if isinstance(item.arr_covers, dict) else {}
        return [
            Wanted(item.pk, item.title, kind, covers.get(kind) or "", arr_id=item.arr_id)
            for kind in KINDS
        ]
    root = library_root(item.path, instance.root_folders)
    found = [
        (kind, call_within_hold(partial(find_folder_file, item.path, kind, root), item.path))
        for kind in KINDS
    ]
    return [
        Wanted(item.pk, item.title, kind, file.fingerprint if file else "", folder_file=file)
        for kind, file in found
    ]


def _fetch_and_store(
    instance: Instance, wanted: list[Wanted], token: int, counts: ArtworkCounts
) -> None:
    held = leases.take([each.key for each in wanted], token)
    counts.busy += len(wanted) - len(held)
    mine = [each for each in wanted if each.key in held]
    fetched = Fetched()
    try:
        fetched = fetch_all(instance, mine, _store)
    except (ArrError, ConfigError) as exc:
        fetched.stopped = exc if isinstance(exc, ArrError) else ArrError(str(exc))
    finally:
        leases.release(
            token,
            [
                leases.Failure(f.wanted.key, f.wanted.source, f.reason, f.undecodable)
                for f in fetched.failed
            ],
        )
    counts.fetched += fetched.made
    counts.failed += [f"{f.wanted.title}: {f.wanted.kind}: {f.reason}" for f in fetched.failed]
    if fetched.stopped is not None:
        counts.failed.append(str(fetched.stopped))
        logger.warning(
            "artwork of %s not fetched, the next scan tries again: %s", instance, fetched.stopped
        )


def _store(made: list[Made]) -> None:
    now = timezone.now()
    Artwork.objects.bulk_create(
        [
            Artwork(
                media_id=each.wanted.media_id,
                kind=each.wanted.kind,
                data=each.image.data,
                content_type=each.image.content_type,
                width=each.image.width,
                height=each.image.height,
                digest=each.image.digest,
                source=each.wanted.source,
                fetched_at=now,
            )
            for each in made
        ],
        update_conflicts=True,
        unique_fields=["media", "kind"],
        update_fields=["data", "content_type", "width", "height", "digest", "source", "fetched_at"],
    )
