"""The apply step's tag events, and an *arr's tag writes recorded before they are sent
(issue 92).

The *arr saves a bulk edit before it answers (SeriesEditorController saves every item,
then answers). A worker killed while it waits for that answer (or before it stored it)
left tags the *arr holds and Taggarr never recorded: the next run's listing reads them
as applied (scanning.sync: "what the *arr says is on the item is what is applied"), so
no run ever told them. So each chunk's events are recorded first, in a fenced
transaction that also marks them sent (``apply_progress``, SENT: the newest event id
before them); the *arr's answer then drops the events of the writes it refused and the
mark, with the applied tags stored in the same transaction (apply._store_arr).

Events still marked sent at an apply step's start were never answered:

* the run's own (an earlier holder of this step, killed or stopped while the *arr saved
  them): they go; the writes were not stored, so they are changes still and are sent
  and recorded again (adding a tag twice changes nothing);
* another run's of the instance, ended meanwhile (interrupted, then this run began):
  this run's plan listed the whole *arr, so each item says whether it holds what was
  sent. An event is kept where it does (that run wrote it: its count and tally gain
  it) and goes where it does not (this run writes it, if it is still a change). A run
  of a part of the library (a scope) leaves them for a run that lists it all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F

from scanner.models import Event, Media, ScanRun
from scanner.pipeline.state.apply_lease import ApplyHold
from scanner.pipeline.writers.tally import TALLY, Tally
from scanner.pipeline.writers.writes import TagWrite

logger = logging.getLogger(__name__)

SENT = "sent_after"  # apply_progress's key: the newest event id before those sent
SENT_KINDS = (Event.Kind.TAG_CHANGED,)


def record_events(run: ScanRun, writes: list[TagWrite], kind: str) -> None:
    """The writes' events (``kind``: changed, or planned by a dry run)."""
    verb = "would change" if kind == Event.Kind.TAG_PLANNED else "changed"
    Event.objects.bulk_create(
        [
            Event(
                instance=run.instance,
                media=w.media,
                run=run,
                kind=kind,
                message=f"{w.media.title}: {verb}: {w.describe()}",
                data={
                    "from": w.media.applied_tag,
                    "to": w.new_tag,
                    "labels_from": w.media.applied_labels,
                    "labels_to": w.labels,
                },
            )
            for w in writes
        ],
        batch_size=500,
    )


def send_ahead(run: ScanRun, changed: list[TagWrite], held: ApplyHold) -> None:
    """The events of ``changed``, recorded and marked sent before the *arr is asked."""
    with transaction.atomic():
        held()
        newest = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        record_events(run, changed, Event.Kind.TAG_CHANGED)
        _mark(run.pk, newest)


def answered(run: ScanRun, refused: Iterable[int]) -> None:
    """The *arr answered the writes sent: the events of those it refused (media pks) go,
    and the mark. In the caller's fenced transaction, which stores the others."""
    after = _sent_after(run.pk)
    refused = list(refused)
    if after is not None and refused:
        _sent(run, after).filter(media_id__in=refused).delete()
    _mark(run.pk, None)


def settle(run: ScanRun, held: ApplyHold) -> None:
    """The writes sent and never answered, at ``run``'s apply step's start (the module's
    docstring): the run's own dropped, to be sent again; an ended run's kept or dropped
    by what this run's listing found."""
    with transaction.atomic():
        held()
        after = _sent_after(run.pk)
        if after is not None:
            dropped, _ = _sent(run, after).delete()
            _mark(run.pk, None)
            logger.info(
                "scan #%s: %d tag writes an earlier apply sent were never answered: sent "
                "again", run.pk, dropped,
            )  # fmt: skip
        if run.scope:
            return  # its listing did not read the whole library
        ended = (
            ScanRun.objects.filter(instance_id=run.instance_id, apply_progress__has_key=SENT)
            .exclude(pk=run.pk)
            .exclude(status__in=ScanRun.ACTIVE)
        )
        for other in ended:
            _settle_ended(other)


def _settle_ended(run: ScanRun) -> None:
    """Another run's writes sent and never answered, each kept where the item holds now
    what was sent (this run's listing), dropped where not."""
    progress = run.apply_progress if isinstance(run.apply_progress, dict) else {}
    after = progress.get(SENT)
    if not isinstance(after, int):
        _mark(run.pk, None)
        return
    events = list(_sent(run, after).values_list("pk", "media_id", "data"))
    items = {
        pk: (tag, labels)
        for pk, tag, labels in Media.objects.filter(
            pk__in=[media for _, media, _ in events if media is not None]
        ).values_list("pk", "applied_tag", "applied_labels")
    }
    held, gone = [], []
    for pk, media_id, data in events:
        now = items.get(media_id) if media_id is not None else None
        if now is not None and _holds(now, data):
            held.append(str(data.get("to") or ""))
        else:
            gone.append(pk)
    Event.objects.filter(pk__in=gone).delete()
    tally = Tally.taken_up(progress.get(TALLY))
    tally.add_settled(held)
    ScanRun.objects.filter(pk=run.pk).update(
        apply_progress={
            **{key: value for key, value in progress.items() if key != SENT},
            TALLY: tally.kept(),
        },
        tags_changed=F("tags_changed") + len(held),
    )
    logger.warning(
        "scan #%s: of %d tag writes it sent and never saw answered, the *arr holds %d "
        "(recorded as its own); the others are this scan's to write",
        run.pk, len(events), len(held),
    )  # fmt: skip


def _holds(now: tuple[str, Any], data: Any) -> bool:
    """Whether an item's applied tag and labels (as the listing found them) are what the
    event says was sent."""
    if not isinstance(data, dict):
        return False
    tag, labels = now
    sent_labels = data.get("labels_to")
    if not isinstance(labels, list) or not isinstance(sent_labels, list):
        return False
    return bool(tag == data.get("to") and sorted(labels) == sorted(sent_labels))


def _sent(run: ScanRun, after: int) -> Any:
    return Event.objects.filter(run=run, kind__in=SENT_KINDS, pk__gt=after)


def _sent_after(run_id: int) -> int | None:
    progress = ScanRun.objects.filter(pk=run_id).values_list("apply_progress", flat=True).first()
    after = progress.get(SENT) if isinstance(progress, dict) else None
    return after if isinstance(after, int) else None


def _mark(run_id: int, after: int | None) -> None:
    """The run's writes sent after event ``after`` are under way; None: none are."""
    runs = ScanRun.objects.filter(pk=run_id)
    progress = runs.values_list("apply_progress", flat=True).first()
    progress = dict(progress) if isinstance(progress, dict) else {}
    if after is None:
        if SENT not in progress:
            return
        progress.pop(SENT)
    else:
        progress[SENT] = after
    runs.update(apply_progress=progress)
