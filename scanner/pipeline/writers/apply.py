"""The apply step: planned tags against applied ones, written in bulk, then NFOs, then
the media servers.

Runs once per run (the barrier's compare-and-set), held by one task at a time with a
fencing token (scanner.pipeline.state.apply_lease: each of its database writes takes
effect only while the token is held, and it stops writing to the *arr, the NFOs and the
media servers once it is gone), and is safe to run again after a crash: it works from
the database's applied/planned state, so what was written already is not written twice.
A write that failed is never stored as done: a failed *arr write leaves the item's
applied tag as the *arr has it, a failed NFO write (or a media server's failed re-read
of it) leaves the item's NFO due, and the media servers' tags are compared with the
wanted ones on every scan; so the next scan writes them again, and this one ends partial.

A holder that stops between two chunks (a worker killed) leaves what it stored: an *arr's
tag writes are recorded before they are sent and stored as soon as the *arr answers,
before the NFOs (tag_events: a write the *arr saved is never left untold), the NFOs they
owe marked due until written, and what the chunks came to kept with them (tally): the
holder that takes the step up again writes the rest and ends the run with the whole
run's figures (issue 92).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from scanner.engine.verdict import Tag
from scanner.errors import CAUSE_HELD, ShareUnanswered
from scanner.media_servers.writes.outcomes import media_server_problem
from scanner.media_servers.writes.tags import write_server_tags
from scanner.models import Event, Instance, Media, MediaServer, ScanItem, ScanRun, ServerOriginal
from scanner.models.bulk import update_fields
from scanner.pipeline.scanning.dub_news import announce_dub_changes
from scanner.pipeline.scanning.read_reasons import read_reasons
from scanner.pipeline.state import apply_lease, apply_steps, runs
from scanner.pipeline.state.apply_lease import ApplyHold, ApplyLost, Superseded
from scanner.pipeline.work import Next
from scanner.pipeline.writers import tag_events
from scanner.pipeline.writers import tally as tallies
from scanner.pipeline.writers.arr_writes import write_arr_tags
from scanner.pipeline.writers.nfo_writes import original_stale, write_nfos
from scanner.pipeline.writers.tag_events import record_events
from scanner.pipeline.writers.tally import Tally
from scanner.pipeline.writers.vacuum import vacuum_after
from scanner.pipeline.writers.writes import ArrResult, TagWrite, Written

logger = logging.getLogger(__name__)


APPLY_FIELDS = (
    "instance_id", "kind", "arr_id", "title", "path", "planned_tag", "applied_tag",
    "planned_labels", "applied_labels", "arr_tag_ids", "tvdb_id", "tmdb_id", "imdb_id",
    "nfo_due", "original_language", "original_override", "original_suggestion", "nfo_original",
)  # fmt: skip
# The same with the primary key, in the model's order: Media.from_db takes them so.
_COLUMNS = tuple(
    field.attname
    for field in Media._meta.concrete_fields
    if field.primary_key or field.attname in APPLY_FIELDS
)
# Read as their JSON text (Cast): a library holds few distinct label lists and tag ids,
# each decoded once (_Decoded) where decoding every row's was half the step's CPU.
_JSON = ("planned_labels", "applied_labels", "arr_tag_ids")
_PLAIN = tuple(name for name in _COLUMNS if name not in _JSON)
_TEXTS = {name: f"{name}_json" for name in _JSON}
_ID = _PLAIN.index(Media._meta.pk.attname)
_PLANNED_TAG, _APPLIED_TAG = _PLAIN.index("planned_tag"), _PLAIN.index("applied_tag")
_NFO_DUE, _NFO_ORIGINAL = _PLAIN.index("nfo_due"), _PLAIN.index("nfo_original")
_PLANNED_LABELS, _APPLIED_LABELS, _ARR_TAG_IDS = (len(_PLAIN) + n for n in range(len(_JSON)))
# Distinct JSON texts kept decoded at most (the user's own *arr tags make more).
DECODED_MOST = 10_000


def apply_run(run_id: int, token: int) -> Next | Superseded:
    """The run's apply step, taken and held with ``token`` (apply_lease): a task that
    finds it held by another, or loses it on the way, writes nothing (more) and ends
    with what happened. The writes are made and stored chunk by chunk (write_chunks)."""
    run = ScanRun.objects.select_related("instance").filter(pk=run_id).first()
    if run is None or run.status != ScanRun.Status.APPLYING:  # a late or second delivery
        return Superseded(f"not applied: scan #{run_id} is {run.status if run else 'gone'}")
    if not apply_lease.take(run_id, token):
        return Superseded(apply_lease.why_lost(run_id, token))
    held = ApplyHold(run_id, token)
    try:
        hold = holding(run)
        tally = _taken_up(run, held)
        created: dict[str, int] = {}  # the *arr's labels an earlier chunk created
        progress = ArrProgress(held, written=tally.planned)
        chunks = write_chunks(run, hold)
        for writes in chunks:
            changed = [w for w in writes if w.changed]
            full = len(writes) == WRITE_CHUNK
            if full and progress.total is None and not run.dry_run:  # more may follow
                progress.total = progress.written + _changes(run)
            if run.dry_run:
                with transaction.atomic():
                    held()
                    record_events(run, changed, Event.Kind.TAG_PLANNED)
                tally.add_tags(changed, {})
                continue
            try:
                _write_everything(run, writes, changed, hold, held, created, progress, tally)
            except ShareUnanswered:
                _owe_nfos(run, chunks, hold, held)
                raise
        if not run.dry_run:
            announce_dub_changes(run, held)  # before the end: its notification reads them
        _finish(run, tally, held)
    except ApplyLost as lost:
        logger.warning(
            "scan #%s of %s: this apply stopped and writes nothing more: %s",
            run.pk, run.instance.name, lost.why,
        )  # fmt: skip
        return Superseded(lost.why)
    if not run.dry_run:  # the pages read what the run rewrote from their indexes again
        vacuum_after(run.pk, run.items_total + tally.planned)
    return runs.ended(run)


def _taken_up(run: ScanRun, held: ApplyHold) -> Tally:
    """Where this holder of the step starts: the writes an earlier one sent and never saw
    answered settled (tag_events), and what it stored counted on (tally). A dry run
    taken up again plans every change anew: its earlier holder's planned events go."""
    if run.dry_run:
        with transaction.atomic():
            held()
            Event.objects.filter(run=run, kind=Event.Kind.TAG_PLANNED).delete()
        return Tally()
    tag_events.settle(run, held)
    run.refresh_from_db(fields=["apply_progress"])
    return tallies.resumed(run)


# Items read at a time: the rows of one chunk are held, then only the writes kept.
CHUNK = 2000
# Writes held at once where nothing needs the whole scope: a first scan changes every
# item, and a write holds its item (~3.5 KB); past this many they are written, stored
# and let go (issue 83: 70,000 held writes were half a first scan's peak memory).
WRITE_CHUNK = 5000


@dataclass(frozen=True)
class Holding:
    """Which of the run's writes the apply step holds (issue 83): every one (a media
    server matches the whole scope against its items), or those that can be written:
    the changed ones, and with ``nfos`` the NFO writer's candidates (read this run,
    ``scanned``; due; a REMOVE run's; an original in the NFOs gone stale). An unchanged
    rescan holds nothing per item."""

    every: bool = True
    nfos: bool = False
    scanned: frozenset[int] = frozenset()


HOLD_ALL = Holding()


def holding(run: ScanRun) -> Holding:
    """What ``run``'s apply step holds: a dry run its changes only, a run whose instance
    feeds an enabled media server every write (write_server_tags), any other its changes
    and its NFO candidates."""
    if run.dry_run:
        return Holding(every=False)
    if MediaServer.objects.filter(enabled=True, instances=run.instance).exists():
        return HOLD_ALL
    return Holding(every=False, nfos=True, scanned=_scanned(run))


def write_chunks(run: ScanRun, hold: Holding) -> Iterator[list[TagWrite]]:
    """The writes ``hold`` keeps, in chunks of at most WRITE_CHUNK; all in one where a
    media server matches the whole scope (``hold.every``). Each chunk is read after the
    one before was written (keyset pages, never a cursor held open across writes)."""
    writes = tag_writes(run, hold)
    if hold.every:
        yield list(writes)
        return
    while chunk := list(islice(writes, WRITE_CHUNK)):
        yield chunk


def plan_tag_writes(run: ScanRun, hold: Holding = HOLD_ALL) -> list[TagWrite]:
    """Every write ``hold`` keeps (tag_writes), in one list."""
    return list(tag_writes(run, hold))


def tag_writes(run: ScanRun, hold: Holding = HOLD_ALL) -> Iterator[TagWrite]:
    """Per item in the run's scope: the tag and labels it should end with, and the *arr
    tag edits from what it carries now; of those, the ones ``hold`` keeps. The rows are
    read in chunks as plain values (their JSON fields as text, each distinct one decoded
    once), only the columns applying reads (decoding the JSON fields of 2,000 series,
    verdict reasons above all, took ~0.45 s), and a model instance is made only for a
    write kept: building one per item was most of an unchanged rescan's apply step."""
    instance = run.instance
    db = instance.media.all().db
    for row, media, parts in _kept(run, hold):
        yield TagWrite(media=media or _media(instance, db, row), **parts)


def _kept(
    run: ScanRun, hold: Holding
) -> Iterator[tuple[tuple[Any, ...], Media | None, dict[str, Any]]]:
    """tag_writes' rows that ``hold`` keeps, each with its item if one was made already
    and the rest of its TagWrite: what counting them (_changes) needs, without a model."""
    instance = run.instance
    media_qs = instance.media.all()
    if run.scope:
        media_qs = media_qs.filter(instance.scope_filter(run.scope))
    labels = instance.label_set()
    summary = frozenset(labels.summary.values())
    labels_by_id = {tag_id: label for label, tag_id in run.arr_tag_ids.items()}
    remove_all = run.mode == ScanRun.Mode.REMOVE
    keeps_all = hold.every or (hold.nfos and remove_all)  # a REMOVE run rewrites every NFO
    texts = media_qs.annotate(
        **{alias: Cast(name, output_field=TextField()) for name, alias in _TEXTS.items()}
    )
    decoded = _Decoded()
    for row in _pages(texts.values_list(*_PLAIN, *_TEXTS.values())):
        new_tag = Tag.NONE if remove_all else row[_PLANNED_TAG]
        if not new_tag:
            continue  # never decided (no readable file yet): keep what is there
        applied_labels = decoded(row[_APPLIED_LABELS])
        extra = [] if remove_all else list(decoded(row[_PLANNED_LABELS]))
        summary_label = labels.summary_label(new_tag)
        wanted = frozenset(extra) | ({summary_label} if summary_label else frozenset())
        managed = summary | set(applied_labels) | set(extra)
        add: set[str] = set()
        remove: set[str] = set()
        if instance.is_arr:
            carried = {labels_by_id[i] for i in decoded(row[_ARR_TAG_IDS]) if i in labels_by_id}
            current = carried & managed
            add, remove = set(wanted - current), set(current - wanted)
            taken_off = frozenset(remove)
        else:  # a library's item carries what was last written
            old_summary = labels.summary_label(row[_APPLIED_TAG] or None)
            carried = set(applied_labels) | ({old_summary} if old_summary else set())
            taken_off = frozenset(carried - wanted)
        # TagWrite.changed, before a model instance is made
        changed = row[_APPLIED_TAG] != new_tag or applied_labels != extra or bool(add or remove)
        media: Media | None = None
        if not (keeps_all or changed):
            if not hold.nfos:
                continue
            if not (row[_ID] in hold.scanned or row[_NFO_DUE]):
                if not row[_NFO_ORIGINAL]:
                    continue
                media = _media(instance, media_qs.db, row)
                if not original_stale(media):
                    continue
        yield (
            row,
            media,
            {
                "new_tag": new_tag,
                "labels": extra,
                "wanted": wanted,
                "managed": managed,
                "add_labels": add,
                "remove_labels": remove,
                "taken_off": taken_off,
            },
        )


def _pages(rows: QuerySet[Any, tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """``rows`` in the order of their ids, CHUNK at a time, each page read whole before
    the next is asked for: the writes of the rows read may be stored meanwhile (an open
    cursor would see them on SQLite, an index on the tag could hand a row back twice)."""
    after = None
    while True:
        page = rows.order_by("pk") if after is None else rows.filter(pk__gt=after).order_by("pk")
        values = list(page[:CHUNK])
        yield from values
        if len(values) < CHUNK:
            return
        after = values[-1][_ID]


class _Decoded:
    """JSON texts decoded, each once while at most DECODED_MOST are kept; the values
    only read (a kept item's own are decoded anew: _media)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        value = self.values.get(text)
        if value is None:
            if len(self.values) >= DECODED_MOST:
                self.values.clear()
            value = self.values[text] = json.loads(text)
        return value


def _media(instance: Instance, db: str, row: tuple[Any, ...]) -> Media:
    """The item of ``row`` (_PLAIN's values, then _JSON's texts) as its queryset would
    have made it: the other columns deferred, its instance the one in hand."""
    plain = dict(zip(_PLAIN, row, strict=False))
    texts = dict(zip(_JSON, row[len(_PLAIN) :], strict=True))
    values = [plain[name] if name in plain else json.loads(texts[name]) for name in _COLUMNS]
    media = Media.from_db(db, _COLUMNS, values)
    Media.instance.field.set_cached_value(media, instance)
    return media


def _write_everything(
    run: ScanRun,
    writes: list[TagWrite],
    changed: list[TagWrite],
    hold: Holding,
    held: ApplyHold,
    created: dict[str, int],
    progress: ArrProgress,
    tally: Tally,
) -> None:
    """One chunk's writes to the *arr, the NFOs and the media servers, each after the
    fence (an *arr request may hold the step past its lease); what they did stored in
    fenced transactions: the *arr's as soon as it answers (_store_arr), the rest after
    the media servers, with ``tally``, the run's count so far. ``writes``: those
    ``hold`` kept (holding), every one the NFOs and the media servers can need;
    ``created``: the *arr's labels (label -> id) the chunks before created, which gains
    this one's; ``progress``: the *arr step's count over the chunks."""
    scanned = hold.scanned if hold.nfos else _scanned(run)
    changes = frozenset(w.media.pk for w in changed)  # before any is stored as applied
    looked_at = [w for w in writes if _nfo_target(run, w, scanned, changes)]
    owed_pks = {w.media.pk for w in looked_at if w.media.pk in changes or w.media.nfo_due}
    arr = ArrResult()
    owed_ahead: set[int] = set()
    if run.instance.is_arr and changed:
        tag_events.send_ahead(run, changed, held)
        progress.begin(len(changed))
        arr = write_arr_tags(run.instance, changed, {**run.arr_tag_ids, **created})
        created.update(arr.tag_ids)
        progress.done(len(changed))
        owed_ahead = _store_arr(run, changed, looked_at, arr, held, tally)
    nfo_targets = [w for w in looked_at if w.media.pk not in arr.failed]
    nfo = write_nfos(run, nfo_targets, held)
    # Last: a server's failure never undoes the *arr and NFO writes done already.
    held()
    servers = write_server_tags(
        run,
        writes,
        failed={**arr.failed, **nfo.tag_failed},
        to_reread=nfo.to_reread,
        on_server=_server_progress(held),
    )
    written = Written(arr, nfo, servers)
    for pk, reason in written.failed.items():
        logger.warning("scan #%s: tag of media %s not written: %s", run.pk, pk, reason)
    for pk, reason in nfo.failed.items():
        logger.warning("scan #%s: NFO of media %s not written: %s", run.pk, pk, reason)
    owed = [w for w in nfo_targets if w.media.pk in owed_pks]
    not_held = not_carried(run, owed, written)
    with transaction.atomic():
        held()
        if not run.instance.is_arr:  # a library's tags are its NFOs' and servers'
            applied = [w for w in changed if w.media.pk not in written.failed]
            record_events(run, applied, Event.Kind.TAG_CHANGED)
            _store_applied(applied)
            held_not = {w.media.pk for w in not_carried(run, changed, written)}
            tally.add_tags(changed, written.failed, held_not, nfo.not_written)
        _store_nfo_due(nfo_targets, written, not_held, owed_ahead)
        _store_nfo_originals(nfo_targets, written.nfo.originals)
        _store_server_originals(written.servers.originals)
        tally.add_writers(written)
        tally.store(run.pk)


def _store_arr(
    run: ScanRun,
    changed: list[TagWrite],
    looked_at: list[TagWrite],
    arr: ArrResult,
    held: ApplyHold,
    tally: Tally,
) -> set[int]:
    """The *arr answered the chunk's tag writes: what it holds now is stored at once, in
    one fenced transaction, before the NFOs are written (a holder killed while it writes
    them leaves the *arr's writes recorded): the events of the writes it refused go
    (tag_events), the others' applied tags are stored and counted, the labels it created
    join the run's (a holder that takes the step up again reads the items that carry
    them as carrying them, not as changes), and the NFOs these owe are due until written
    (the next holder or the next run writes them). Returns those marked due here."""
    applied = [w for w in changed if w.media.pk not in arr.failed]
    instance = run.instance
    ahead: set[int] = set()
    if instance.write_nfo or instance.create_nfo:
        done = {w.media.pk for w in applied}
        ahead = {w.media.pk for w in looked_at if w.media.pk in done and not w.media.nfo_due}
    created = {
        label: tag_id
        for label, tag_id in arr.tag_ids.items()
        if run.arr_tag_ids.get(label) != tag_id
    }
    with transaction.atomic():
        held()
        tag_events.answered(run, arr.failed)
        _store_applied(applied)
        if created:
            run.arr_tag_ids = {**run.arr_tag_ids, **created}
            ScanRun.objects.filter(pk=run.pk).update(arr_tag_ids=run.arr_tag_ids)
        if ahead:
            Media.objects.filter(pk__in=ahead).update(nfo_due=True)
        tally.add_tags(changed, arr.failed)
        tally.store(run.pk)
    return ahead


class ArrProgress:
    """The *arr step's "item m of n" over a run's chunks: n every change of the run
    (``total``, counted once a first chunk comes full: _changes), m those written so far,
    the rate from the step's first start (the chunks' NFOs between count in it: the time
    left is the run's). One chunk counts its own, as before."""

    def __init__(self, held: ApplyHold, written: int = 0) -> None:
        self.held = held
        self.total: int | None = None
        self.written = written  # by the step's earlier holders (tally)
        self.since: str | None = None

    def begin(self, count: int) -> None:
        total = self.total if self.total is not None else self.written + count
        self.since = apply_steps.begin_step(
            self.held, apply_steps.ARR, total, done=self.written, since=self.since
        )

    def done(self, count: int) -> None:
        self.written += count
        apply_steps.step_done(self.held, self.written)


def _changes(run: ScanRun) -> int:
    """How many of the run's writes change something: one more read of its items, no
    model or write made for any."""
    return sum(1 for _ in _kept(run, Holding(every=False)))


def _nfo_target(
    run: ScanRun, write: TagWrite, scanned: frozenset[int], changes: frozenset[int]
) -> bool:
    """Whether the NFO writer looks at ``write``'s item: changed (``changes``: media
    pks), read this run, due, a REMOVE run's, or an original in its NFOs gone stale."""
    return (
        write.media.pk in changes
        or write.media.pk in scanned
        or write.media.nfo_due
        or run.mode == ScanRun.Mode.REMOVE
        or original_stale(write.media)
    )


def _owe_nfos(
    run: ScanRun, chunks: Iterator[list[TagWrite]], hold: Holding, held: ApplyHold
) -> None:
    """A share stopped answering during a chunk (write_nfos made that chunk's NFOs due):
    those of the chunks not reached are due too, so that the next scan writes them
    though nothing else changed. Their *arr tags were not written: the next scan finds
    them changed."""
    scanned = hold.scanned if hold.nfos else _scanned(run)
    for writes in chunks:
        changes = frozenset(w.media.pk for w in writes if w.changed)
        due = [w.media.pk for w in writes if _nfo_target(run, w, scanned, changes)]
        with transaction.atomic():
            held()
            Media.objects.filter(pk__in=due, nfo_due=False).update(nfo_due=True)


def _scanned(run: ScanRun) -> frozenset[int]:
    """The items the run read (their NFOs are written though nothing changed)."""
    done = ScanItem.objects.filter(run=run, status=ScanItem.Status.DONE)
    return frozenset(done.values_list("media_id", flat=True))


def _server_progress(held: ApplyHold) -> Callable[[int, int], None]:
    """The media servers' writer tells m of n servers done; the run's page shows it. The
    next server is written only while the step is held."""

    def told(done: int, total: int) -> None:
        held()
        if done == 0:
            apply_steps.begin_step(held, apply_steps.SERVERS, total)
        else:
            apply_steps.step_done(held, done)

    return told


def _store_applied(writes: list[TagWrite]) -> None:
    for write in writes:
        write.media.applied_tag = write.new_tag
        write.media.applied_labels = write.labels
    update_fields([w.media for w in writes], ["applied_tag", "applied_labels", "arr_tag_ids"])


def not_carried(run: ScanRun, writes: list[TagWrite], written: Written) -> list[TagWrite]:
    """A library folder's tag writes that nothing holds: no NFO of theirs has them (none
    found, none created, or NFO writing off) and no media server took them. An *arr
    instance's are held by the *arr (a refused one is in ``written.failed``)."""
    if run.instance.is_arr:
        return []
    held = written.nfo.carried | written.servers.carried
    failed = written.failed
    return [w for w in writes if w.media.pk not in failed and w.media.pk not in held]


def _store_nfo_due(
    targets: list[TagWrite], written: Written, not_held: list[TagWrite], ahead: set[int]
) -> None:
    """The items whose NFO write or re-read failed are due (the next scan writes their
    NFO although nothing else changed), and so are a library folder's changes nothing
    holds (once an NFO can be written or created, the next scan writes it); the due ones
    written now are not any more (``ahead``: those made due when the *arr answered)."""
    due = set(written.nfo.failed) | written.nfo.left_alone | written.servers.reread_failed
    due |= {w.media.pk for w in not_held}
    done = [
        w.media.pk
        for w in targets
        if (w.media.nfo_due or w.media.pk in ahead) and w.media.pk not in due
    ]
    if due:
        Media.objects.filter(pk__in=due, nfo_due=False).update(nfo_due=True)
    if done:
        Media.objects.filter(pk__in=done).update(nfo_due=False)


def _store_nfo_originals(targets: list[TagWrite], originals: dict[int, str]) -> None:
    """What the NFOs hold of Taggarr's original language now, where it changed."""
    changed = [w.media for w in targets if w.media.pk in originals]
    for media in changed:
        media.nfo_original = originals[media.pk]
    update_fields(changed, ["nfo_original"])


def _store_server_originals(originals: dict[tuple[int, int], str]) -> None:
    """The original language Taggarr owns on each server's items now, where it changed
    ("" none): in bulk, the first scan of a large library sets thousands."""
    gone: dict[int, list[int]] = {}
    for (server, media), value in originals.items():
        if not value:
            gone.setdefault(server, []).append(media)
    for server, media_ids in gone.items():
        ServerOriginal.objects.filter(server_id=server, media_id__in=media_ids).delete()
    rows = [
        ServerOriginal(server_id=server, media_id=media, language=value)
        for (server, media), value in originals.items()
        if value
    ]
    ServerOriginal.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["server", "media"],
        update_fields=["language"],
    )


# The most items a run's end names by title (the run's page lists them all).
NAMED_HELD = 10


def held_titles(run: ScanRun) -> list[str]:
    """The titles of the run's items failed for a read held past the hold limit
    (scanner.pipeline.runtime.overdue): the run's end names them."""
    events = Event.objects.filter(
        run=run, kind=Event.Kind.ITEM_FAILED, data__cause=CAUSE_HELD
    ).order_by("pk")
    return [str(data.get("title", "")) for data in events.values_list("data", flat=True)][
        :NAMED_HELD
    ]


def _end_status(planned: int, failed_changes: int, errors: list[str]) -> str:
    """Failed when every tag change failed, partial when anything else the run's
    ``errors`` name did (tag, NFO or media-server writes, items): the exit status of
    ``manage.py scan`` follows, so cron notices."""
    if planned and failed_changes >= planned:
        return ScanRun.Status.FAILED
    return ScanRun.Status.PARTIAL if errors else ScanRun.Status.SUCCEEDED


def _finish(run: ScanRun, tally: Tally, held: ApplyHold) -> None:
    """The run's end, its counters and its history line, in one fenced transaction."""
    errors = []
    # What went wrong, as figures the pages tell in the reader's language (the event's
    # "problems"; scanner.history.event_text); ``errors``: the same in English, for the log.
    problems: dict[str, Any] = {}
    if tally.failed_changes:
        errors.append(f"{tally.failed_changes} of {tally.planned} tag writes failed")
        problems["tag_writes_failed"] = [tally.failed_changes, tally.planned]
    if tally.nfo_errors:
        errors.append(f"{tally.nfo_errors} NFOs could not be written")
        problems["nfo_failed"] = tally.nfo_errors
    for name, outcome in tally.servers.items():
        if problem := media_server_problem(outcome):
            errors.append(f"media server {name}: {problem}")
            problems.setdefault("media_servers", []).append(name)
    # A dry run's figures are what it would have done: named so, never "set".
    done = "planned" if run.dry_run else "tags"
    apply_lease.releasing(held.token)  # its heartbeat meets the step let go, not lost
    with transaction.atomic():
        held()  # the run's row is held from here: its counters are final
        items_failed = ScanRun.objects.values_list("items_failed", flat=True).get(pk=run.pk)
        if items_failed:
            errors.append(f"{items_failed} items failed")
            problems["items_failed"] = items_failed
            if held_items := held_titles(run):
                errors.append(f"held past the hold limit: {', '.join(held_items)}")
                problems["held"] = held_items
        duration = run.duration(until=timezone.now()) or 0.0
        status = _end_status(tally.planned, tally.failed_changes, errors)
        finished = runs.finish(
            run.pk,
            held.token,
            status=status,
            tags_changed=0 if run.dry_run else tally.done,
            arr_requests=F("arr_requests") + tally.arr_requests,
            error="; ".join(errors),
            summary={
                **run.summary,
                "dry_run": run.dry_run,
                "planned_changes": tally.planned,
                f"{done}_set": dict(tally.added),
                # The tags taken off that were there: a first apply's "none" removes none.
                f"{done}_cleared": tally.cleared,
                "tag_write_failures": {str(pk): why for pk, why in tally.failed.items()},
                "not_written": dict(tally.not_written),
                "nfo_written": tally.nfo_written,
                "nfo_created": tally.nfo_created,
                "nfo_errors": tally.nfo_errors,
                "nfo_left_alone": tally.nfo_left_alone,
                **({"media_servers": tally.servers} if tally.servers else {}),
                "duration_s": round(duration, 2),
                **({"read_why": why} if (why := read_reasons(run)) else {}),
            },
        )
        if not finished:  # not after the fence, but never recorded twice
            raise ApplyLost(apply_lease.why_lost(run.pk, held.token))
        ScanItem.objects.filter(run=run, status=ScanItem.Status.DONE).delete()
        Event.objects.create(
            instance=run.instance,
            run=run,
            kind=Event.Kind.SCAN_FINISHED,
            message=_end_message(run, tally.done, tally.not_held)
            + (f" ({'; '.join(errors)})" if errors else ""),
            data={
                "status": status,
                "dry_run": run.dry_run,
                "written": tally.done,
                "not_written": tally.not_held,
                **({"problems": problems} if problems else {}),
            },
        )
    logger.info(
        "scan #%s of %s finished (%s%s) in %.1fs", run.pk, run.instance.name,
        status, f": {'; '.join(errors)}" if errors else "",
        duration,
    )  # fmt: skip


def _end_message(run: ScanRun, written: int, not_written: int) -> str:
    if run.dry_run:
        return f"dry run #{run.pk} finished: {written} tag changes planned, nothing written"
    if not_written:
        return (
            f"scan #{run.pk} finished: {written} tag changes written, {not_written} not "
            "written (no NFO or media server holds them: see the run's page)"
        )
    return f"scan #{run.pk} finished: {written} tag changes written"
