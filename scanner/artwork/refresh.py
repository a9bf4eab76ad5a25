"""A scan's items' posters and fanart brought up to date, on a worker, after the run
ended: from the *arr, at the addresses its listing gave the scan (Media.arr_covers),
with its key (never the browser's business); or from a library folder's own files.
Only what changed is fetched: the *arr's cover address carries the image's lastWrite,
a folder file its size and time. Artwork never fails an item or a run: a failure is
one log line, and the next scan tries again (nothing was stored)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from scanner.arr.covers import COVER_HEIGHTS, fetch_cover
from scanner.artwork.folder_files import FolderFileTooLarge, find_folder_file, read_folder_file
from scanner.artwork.thumbnails import NotAnImage, thumbnail
from scanner.connect.arr import arr_client
from scanner.errors import ArrAuthError, ArrError, ArrTransientError, ConfigError
from scanner.models import Artwork, Instance, Media, ScanRun

logger = logging.getLogger(__name__)

KINDS = tuple(COVER_HEIGHTS)
# What each stored image was made from, by (media id, kind).
Stored = dict[tuple[int, str], str]


@dataclass
class ArtworkCounts:
    fetched: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)


def refresh_after_run(run_id: int) -> ArtworkCounts:
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None:
        return ArtworkCounts()
    return refresh_artwork(run.instance, scope=run.scope or ())


def refresh_artwork(instance: Instance, scope: Iterable[int] = ()) -> ArtworkCounts:
    """The artwork of the instance's media (those of ``scope`` when given: *arr ids, or
    media ids for a library folder)."""
    media = instance.media.all()
    wanted = tuple(scope)
    if wanted:
        media = media.filter(instance.scope_filter(wanted))
    counts = ArtworkCounts()
    # What is stored, read once: an unchanged library costs one query, not two per item.
    rows = Artwork.objects.filter(media__in=media).values_list("media_id", "kind", "source")
    stored: Stored = {(media_id, kind): source for media_id, kind, source in rows}
    try:
        if instance.is_arr:
            _from_arr(instance, list(media.exclude(arr_id=None)), stored, counts)
        else:
            _from_folders(list(media), stored, counts)
    except (ArrError, ConfigError) as exc:
        counts.failed.append(str(exc))
        logger.warning("artwork of %s not fetched, the next scan tries again: %s", instance, exc)
    return counts


def _from_arr(
    instance: Instance, media: list[Media], stored: Stored, counts: ArtworkCounts
) -> None:
    """The covers the scan's listing stored (Media.arr_covers): no request but the images'."""
    if not media:
        return
    with arr_client(instance) as client:

        def loader(item: Media, kind: str) -> Callable[[], bytes]:
            def load() -> bytes:
                data, content_type = fetch_cover(client, item.arr_id or 0, kind)
                if content_type and not content_type.lower().startswith("image/"):
                    raise NotAnImage(f"answered {content_type.split(';')[0]}, not an image")
                return data

            return load

        for item in media:
            covers = item.arr_covers if isinstance(item.arr_covers, dict) else {}
            for kind in KINDS:
                known = stored.get((item.pk, kind))
                _update(item, kind, known, covers.get(kind), loader(item, kind), counts)


def _from_folders(media: list[Media], stored: Stored, counts: ArtworkCounts) -> None:
    for item in media:
        for kind in KINDS:
            found = find_folder_file(item.path, kind)
            known = stored.get((item.pk, kind))
            if found is None:
                _update(item, kind, known, None, bytes, counts)  # nothing to load: dropped
            else:
                load = functools.partial(read_folder_file, found)
                _update(item, kind, known, found.fingerprint, load, counts)


def _update(
    item: Media,
    kind: str,
    known: str | None,
    source: str | None,
    load: Callable[[], bytes],
    counts: ArtworkCounts,
) -> None:
    """Store the kind's thumbnail from ``load`` when ``source`` is new (``known``: what the
    stored one was made from); drop it when the item has none any more."""
    if source is None:
        if known is not None:
            Artwork.objects.filter(media=item, kind=kind).delete()
            counts.removed += 1
        return
    if known == source:
        counts.unchanged += 1
        return
    try:
        made = thumbnail(load(), kind)
    except (ArrAuthError, ArrTransientError):
        raise  # a refused key or an *arr out of reach: every other item would fail too
    except (ArrError, NotAnImage, FolderFileTooLarge, OSError) as exc:
        title = item.title
        counts.failed.append(f"{title}: {kind}: {exc}")
        logger.warning("%s of %r not fetched, the next scan tries again: %s", kind, title, exc)
        return
    Artwork.objects.update_or_create(
        media=item,
        kind=kind,
        defaults={
            "data": made.data,
            "content_type": made.content_type,
            "width": made.width,
            "height": made.height,
            "digest": made.digest,
            "source": source,
            "fetched_at": timezone.now(),
        },
    )
    counts.fetched += 1
