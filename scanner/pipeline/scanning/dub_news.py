"""Dub arrivals and losses, told where a real scan's results become applied.

The item step stores each decided item's files (and flags it, ``Media.dubs_due``); the
apply step of a real run compares the flagged items of its scope with what was last
told (``Media.dub_announced``) and records one event per item, language, kind and
season. A dry run stores and flags but tells nothing: the next real run (or the apply
of the dry run's plan) does. An item's first real scan only takes note: a library's
first scan is no news. The events are what the notifications (scanner.notify), the feed
and the dashboard read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

from scanner.engine.dub_news import ARRIVED, changes, describe, merged, snapshot
from scanner.models import Event, Media, ScanRun
from scanner.models.bulk import update_fields

logger = logging.getLogger(__name__)

KINDS = {"arrived": Event.Kind.DUB_ARRIVED, "lost": Event.Kind.DUB_LOST}
_FIELDS = ("id", "instance_id", "kind", "title", "arr_id", "verdict_reasons", "dub_announced")
CHUNK = 500  # items told in one transaction


def media_snapshot(media: Media) -> dict | None:
    return snapshot(media.verdict_reasons or {}, movie=media.kind == Media.Kind.MOVIE)


def announce_dub_changes(run: ScanRun) -> int:
    """Record the dub news of the run's scope; the number of events. Safe to run again:
    the events and the new snapshots of each chunk of items are stored in one
    transaction. A chunk at a time: a library's first scan flags every item, and their
    verdict reasons held at once took 210 MB for 10,000 series."""
    if run.dry_run or run.mode == ScanRun.Mode.REMOVE:
        return 0
    instance = run.instance
    flagged = instance.media.filter(dubs_due=True)
    if run.scope:
        flagged = flagged.filter(instance.scope_filter(run.scope))
    ids = list(flagged.order_by("pk").values_list("pk", flat=True))
    told = arrived = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        events = _tell(run, Media.objects.filter(pk__in=chunk).order_by("pk").only(*_FIELDS))
        told += len(events)
        arrived += sum(event.kind == KINDS[ARRIVED] for event in events)
    if told:
        logger.info(
            "scan #%s of %s: %d dub arrivals and %d losses",
            run.pk, instance.name, arrived, told - arrived,
        )  # fmt: skip
    return told


def _tell(run: ScanRun, items: Iterable[Media]) -> list[Event]:
    """The events of these items, stored with their new snapshots."""
    events = []
    told = []
    for media in items:
        now = media_snapshot(media)
        for change in changes(media.dub_announced, now):
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
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=500)
        update_fields(told, ["dub_announced", "dubs_due"])
    return events


def take_note(media: Media) -> None:
    """A person's decision (an original language, a language for the unknown tracks)
    changed what the files are taken to say, not the files: no news, only a new note.
    Call after the item's verdict is stored."""
    if media.dub_announced is None:
        return  # not told yet: the next real scan takes its first note
    media.dub_announced = merged(media.dub_announced, media_snapshot(media))
    Media.objects.filter(pk=media.pk).update(dub_announced=media.dub_announced)
