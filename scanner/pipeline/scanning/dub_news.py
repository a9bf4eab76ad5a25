"""Dub arrivals and losses, told where a real scan's results become applied.

The item step stores each decided item's files (and flags it, ``Media.dubs_due``); the
apply step of a real run (a scan, or the apply of a dry run's plan) compares the
flagged items of its scope with what was last told (``Media.dub_announced``: per
episode, the file and its audio tracks with their varieties) and records one event per
item, language (or regional target: ``fr-CA``), kind and season. Both sides are
judged with today's settings and the item's decisions, so a person's decision (an
original language, a language for the unknown tracks) or a new target neither makes
news nor swallows any. A dry run stores and flags but tells
nothing: the next real run (or the apply of the dry run's plan) does. An item's first
look (dry or real) only takes note: a library's first scan is no news. The events are
what the notifications (scanner.notify), the feed, the dashboard and the lost dubs'
actions (scanner.searches.lost_dubs) read.

Only files changed on disk make news (scanner.engine.dub_news): a file that is the same
but judged otherwise (its variety learned by reading it, the *arr's media info or the
rules read again) is a correction, made without an event; the run's summary counts the
items corrected and names a few (``corrected``: scanner.reports.dub_corrections).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanner import names
from scanner.engine.dub_news import (
    ARRIVED,
    Audio,
    Correction,
    SeenFile,
    compare,
    describe,
    hearing,
    merged,
    seen_audio,
    snapshot,
)
from scanner.engine.listened import listened
from scanner.engine.tracks import AudioTrack
from scanner.engine.verdict import FileResult
from scanner.models import Event, Media, MediaFile, ScanRun
from scanner.models.bulk import update_fields
from scanner.pipeline.scanning.options import ScanOptions

logger = logging.getLogger(__name__)

KINDS = {"arrived": Event.Kind.DUB_ARRIVED, "lost": Event.Kind.DUB_LOST}
_FIELDS = (
    "id", "instance_id", "kind", "title", "arr_id", "dub_announced", "original_language",
    "original_override", "unknown_language", "settled_varieties", "wanted", "wanted_targets",
)  # fmt: skip
CHUNK = 500  # items told in one transaction
READ_FROM_FILE = (MediaFile.Source.FILE, MediaFile.Source.ARR_PROBE)  # its time the file's
CORRECTED = "corrected"  # the run summary's key
SHOWN = 5  # the titles of corrected items a run's summary keeps per reason


def announce_dub_changes(run: ScanRun, fence: Callable[[], None]) -> int:
    """Record the dub news of the run's scope; the number of events. Safe to run again:
    the events and the new snapshots of each chunk of items are stored in one
    transaction. A chunk at a time: a library's first scan flags every item.

    ``fence``: the apply step's token, held first in each chunk's transaction (it
    raises once the token is gone, scanner.pipeline.state.apply_lease). While it holds,
    the run is applying, so no later run of the instance exists: what the chunk reads
    (the flags, the files and their tracks) is this run's news, never a later run's."""
    if run.dry_run or run.mode == ScanRun.Mode.REMOVE:
        return 0
    instance = run.instance
    flagged = instance.media.filter(dubs_due=True)
    if run.scope:
        flagged = flagged.filter(instance.scope_filter(run.scope))
    ids = list(flagged.order_by("pk").values_list("pk", flat=True))
    options = ScanOptions.for_instance(instance)
    told = arrived = 0
    corrections = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            fence()
            items = Media.objects.filter(pk__in=chunk, dubs_due=True).order_by("pk").only(*_FIELDS)
            events, corrected = _tell(run, items, _seen_files(chunk, options.listen_mode), options)
            if corrected:
                _count_corrections(run, corrected)
        told += len(events)
        corrections += len(corrected)
        arrived += sum(event.kind == KINDS[ARRIVED] for event in events)
    if told or corrections:
        logger.info(
            "scan #%s of %s: %d dub arrivals and %d losses; %d items corrected without news",
            run.pk, instance.name, arrived, told - arrived, corrections,
        )  # fmt: skip
    return told


def _seen_files(media_ids: Sequence[int], listen_mode: str) -> dict[int, list[SeenFile]]:
    """The readable counted files of these items, as their last scan stored them (with
    what was heard, as the instance's listening mode counts it)."""
    rows = MediaFile.objects.filter(media_id__in=media_ids, error="").values_list(
        "media_id", "path", "season__number", "episodes", "audio_tracks", "size", "mtime_ns",
        "source",
    )  # fmt: skip
    files: dict[int, list[SeenFile]] = defaultdict(list)
    for media_id, path, season, episodes, tracks, size, mtime, source in rows.iterator(
        chunk_size=2000
    ):
        audio = _audio(tracks, listen_mode)
        modified = mtime if source in READ_FROM_FILE else None
        seen = SeenFile(names.display(path), season, tuple(episodes), audio, size, modified)
        files[media_id].append(seen)
    return files


def _tell(
    run: ScanRun,
    items: Iterable[Media],
    seen: dict[int, list[SeenFile]],
    options: ScanOptions,
) -> tuple[list[Event], list[tuple[Media, list[Correction]]]]:
    """The events of these items, stored with their new snapshots (in the caller's
    transaction); the items corrected without news, with their corrections."""
    events = []
    told = []
    corrected = []
    at = timezone.now().isoformat()
    for media in items:
        now = snapshot(seen.get(media.pk, ()), movie=media.kind == Media.Kind.MOVIE, at=at)
        # Judged as the item's files are today: its targets, its original language, a
        # person's language for its tracks without one and their word on its varieties.
        heard = hearing(
            options.targets_for(media),
            media.effective_original or None,
            options.policy,
            media.unknown_language,
            lat_is_latino=options.lat_is_latino,
            settled=media.settled_varieties,
        )
        comparison = compare(media.dub_announced, now, heard)
        if comparison.corrections:
            corrected.append((media, list(comparison.corrections)))
        for change in comparison.changes:
            events.append(
                Event(
                    instance=run.instance,
                    media=media,
                    run=run,
                    kind=KINDS[change.kind],
                    message=describe(change, media.title)[:2000],
                    data=change.to_data(),
                )
            )
        media.dub_announced = merged(media.dub_announced, now)
        media.dubs_due = False
        told.append(media)
    Event.objects.bulk_create(events, batch_size=500)
    update_fields(told, ["dub_announced", "dubs_due"])
    return events, corrected


def _count_corrections(run: ScanRun, corrected: list[tuple[Media, list[Correction]]]) -> None:
    """Adds a chunk's corrected items to the run's summary, per reason (``read``: learned
    by reading their files; ``judged``: judged again from what was known): a count and
    the first titles. In the chunk's transaction, whose fence holds the run's row, and
    kept on ``run`` too (the apply step ends with its summary)."""
    stored = ScanRun.objects.values_list("summary", flat=True).get(pk=run.pk) or {}
    counts = dict(stored.get(CORRECTED) or {})
    for media, corrections in corrected:
        reason = "read" if any(each.read for each in corrections) else "judged"
        entry = counts.get(reason) or {"count": 0, "titles": []}
        titles = list(entry["titles"])
        if len(titles) < SHOWN:
            titles.append(media.title)
        counts[reason] = {"count": entry["count"] + 1, "titles": titles}
        logger.debug(
            "scan #%s: %s corrected without news (%s): %s",
            run.pk, media.title, reason,
            "; ".join(f"{each.path}: {', '.join(each.languages)}" for each in corrections),
        )  # fmt: skip
    ScanRun.objects.filter(pk=run.pk).update(summary={**stored, CORRECTED: counts})
    run.summary = {**(run.summary or {}), CORRECTED: counts}


def first_note(
    media: Media, results: Sequence[FileResult], rows: Sequence[MediaFile], listen_mode: str
) -> bool:
    """Whether this is the item's first note: Taggarr has told nothing of it yet, so
    what its files are now becomes what news is told against (no news), whichever run
    looked. Sets ``dub_announced``; the caller stores it."""
    if media.dub_announced is not None:
        return False
    seen = [
        SeenFile(
            names.display(row.path),
            result.season,
            tuple(result.episodes),
            _audio(row.audio_tracks, listen_mode),
            row.size,
            row.mtime_ns if row.source in READ_FROM_FILE else None,
        )
        for result, row in zip(results, rows, strict=True)
        if result.error is None
    ]
    at = timezone.now().isoformat()
    media.dub_announced = snapshot(seen, movie=media.kind == Media.Kind.MOVIE, at=at)
    return media.dub_announced is not None


def _audio(tracks: Iterable[dict[str, Any]], listen_mode: str) -> Audio:
    return seen_audio(listened([AudioTrack.from_dict(track) for track in tracks], listen_mode))
